#include "sources/rrasm/dce_transport.h"

#include <atomic>
#include <stdexcept>

#include "log/logger.h"
#include "sources/rrasm/dce_shim.h"

namespace rras::rrasm {

namespace {
// Once per process: a network wait kept the Samba lock, so every rrasm router stalled during it.
void warnIfAWaitKeptTheLock() {
  static std::atomic<bool> warned{false};
  if (rrasm_dce_waits_holding_lock() == 0 || warned.exchange(true)) return;
  logging::warn(
      "rrasm: Samba waited for the network inside an open stack frame, holding the lock all "
      "rrasm routers share; routers were serialised during that wait (please report this)");
}
}  // namespace

DceTransport::DceTransport() : dce_(rrasm_dce_new()) {
  if (dce_ == nullptr) throw std::runtime_error("cannot initialise Samba's DCE/RPC client");
}

DceTransport::~DceTransport() { rrasm_dce_free(dce_); }

TransportResult DceTransport::connect(const BindingPlan& plan, const DceInterface& iface, const RrasmConfig& config) {
  std::vector<const char*> options;
  options.reserve(plan.lp_options.size() + 1);
  for (const auto& o : plan.lp_options) options.push_back(o.c_str());
  options.push_back(nullptr);
  const bool anonymous = config.username.empty() && !config.kerberos;
  rrasm_dce_params params{};
  params.binding = plan.binding.c_str();
  params.interface_uuid = iface.uuid;
  params.interface_version = iface.version;
  params.domain = config.domain.c_str();
  params.username = anonymous || config.kerberos ? nullptr : config.username.c_str();
  params.password = anonymous || config.kerberos ? nullptr : config.password.c_str();
  params.kerberos = config.kerberos ? 1 : 0;
  params.timeout_seconds = static_cast<unsigned>(config.timeout_seconds + 0.999);
  params.lp_options = options.data();
  char detail[256] = {};
  TransportResult r;
  r.nt_status = rrasm_dce_connect(dce_, &params, detail, sizeof detail);
  r.detail = detail;
  warnIfAWaitKeptTheLock();
  return r;
}

TransportResult DceTransport::call(uint16_t opnum, std::span<const uint8_t> in, std::vector<uint8_t>& out) {
  uint8_t* reply = nullptr;
  size_t reply_size = 0;
  TransportResult r;
  r.nt_status = rrasm_dce_call(dce_, opnum, in.data(), in.size(), &reply, &reply_size, &r.fault_code);
  if (r.nt_status == 0) {
    out.assign(reply, reply + reply_size);
  } else {
    char text[128] = {};
    rrasm_nt_errstr(r.nt_status, text, sizeof text);
    r.detail = std::string("opnum ") + std::to_string(opnum) + ": " + text;
    if (r.fault_code != 0) r.detail += " (DCE/RPC fault " + std::to_string(r.fault_code) + ")";
  }
  rrasm_dce_free_buffer(reply);
  warnIfAWaitKeptTheLock();
  return r;
}

void DceTransport::disconnect() { rrasm_dce_disconnect(dce_); }

void DceTransport::cancel() { rrasm_dce_cancel(dce_); }

NegotiatedSecurity DceTransport::security() {
  NegotiatedSecurity s;
  int encrypted = 0;
  rrasm_dce_security(dce_, &s.auth_type, &s.auth_level, &encrypted);
  s.transport_encrypted = encrypted != 0;
  return s;
}

}  // namespace rras::rrasm
