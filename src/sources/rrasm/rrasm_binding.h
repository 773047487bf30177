// From a router's settings to what Samba is given: the DCE/RPC binding string and the Samba
// options that replace smb.conf (which is never read). Pure, so tests check it without a server.
#pragma once

#include <string>
#include <vector>

#include "sources/rrasm/rrasm_config.h"

namespace rras::rrasm {

inline constexpr const char* kRouterPipe = "\\pipe\\ROUTER";

struct BindingPlan {
  std::string binding;                  // e.g. ncacn_np:vpn1[\pipe\ROUTER,seal]
  std::vector<std::string> lp_options;  // "name=value"
};

// `pipe` is used with the np transport only (tests point it at smbd's \pipe\srvsvc).
BindingPlan planBinding(const std::string& server, const RrasmConfig& config, const std::string& pipe = kRouterPipe);

}  // namespace rras::rrasm
