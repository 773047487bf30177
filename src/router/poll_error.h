// Why a poll failed: the code a call returned (or 0 for the exporter's own guards), a stable
// symbolic name used as the `error` label, and a message for people.
#pragma once

#include <string>

#include "router/api_status.h"

namespace rras {

struct PollError {
  ApiCode code = 0;
  std::string name;     // ERROR_ACCESS_DENIED, RESUME_HANDLE_STUCK, POLL_DEADLINE_EXCEEDED, ...
  std::string message;  // what happened and what to do

  static PollError fromCode(ApiCode code, std::string message) {
    return PollError{code, apiCodeName(code), std::move(message)};
  }
  static PollError guard(std::string name, std::string message) {
    return PollError{0, std::move(name), std::move(message)};
  }
};

}  // namespace rras
