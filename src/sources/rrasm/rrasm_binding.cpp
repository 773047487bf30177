#include "sources/rrasm/rrasm_binding.h"

namespace rras::rrasm {

BindingPlan planBinding(const std::string& server, const RrasmConfig& config, const std::string& pipe) {
  BindingPlan plan;
  std::vector<std::string> options;
  const bool np = config.transport == RrasmConfig::Transport::kNamedPipe;
  if (np) {
    options.push_back(pipe);
  } else if (config.port != 0) {
    options.push_back(std::to_string(config.port));  // else the endpoint mapper on 135 finds it
  }
  // MS-RRASM 2.1.1.2: SPNEGO; privacy unless configured otherwise. Over np, "none" leaves the
  // SMB session's identity as the only authentication.
  if (config.auth_level == RrasmConfig::AuthLevel::kPrivacy) options.emplace_back("seal");
  if (config.auth_level == RrasmConfig::AuthLevel::kIntegrity) options.emplace_back("sign");
  if (config.auth_level != RrasmConfig::AuthLevel::kNone) options.emplace_back("spnego");
  plan.binding = (np ? "ncacn_np:" : "ncacn_ip_tcp:") + server;
  if (!options.empty()) {
    plan.binding += '[';
    for (size_t i = 0; i < options.size(); ++i) plan.binding += (i ? "," : "") + options[i];
    plan.binding += ']';
  }
  // Names by DNS only: Samba's default order would broadcast NetBIOS queries on the LAN.
  plan.lp_options.emplace_back("name resolve order=host");
  // SMB signing on the IPC$ session, whatever the auth level above.
  plan.lp_options.emplace_back("client ipc signing=required");
  if (np && config.port != 0) plan.lp_options.push_back("smb ports=" + std::to_string(config.port));
  // Never forward the user's TGT to the RRAS server (DESIGN §6).
  if (config.kerberos) plan.lp_options.emplace_back("gensec_gssapi:delegation_by_kdc_policy=no");
  return plan;
}

}  // namespace rras::rrasm
