#include "sources/rrasm/rrasm_router.h"

#include "log/logger.h"
#include "sources/rrasm/dce_transport.h"
#include "sources/rrasm/dimsvc_codec.h"

namespace rras::rrasm {

RrasmRouter::RrasmRouter(std::string router_name, std::string server, RrasmConfig config)
    : RrasmRouter(std::move(router_name), std::move(server), std::move(config), std::make_unique<DceTransport>()) {}

RrasmRouter::RrasmRouter(std::string router_name, std::string server, RrasmConfig config,
                         std::unique_ptr<RpcTransport> transport)
    : router_name_(std::move(router_name)),
      server_(std::move(server)),
      config_(std::move(config)),
      plan_(planBinding(server_, config_)),
      transport_(std::move(transport)) {}

RrasmRouter::~RrasmRouter() = default;

bool RrasmRouter::isServiceRunning() { return service_running_; }

ApiCode RrasmRouter::connect(RouterHandle& handle) {
  current_ = 0;
  const TransportResult r = transport_->connect(plan_, kDimsvc, config_);
  const ApiCode code = r.code();
  // A bind refused for the interface means the pipe is there (RasMan) but DIMSVC is not.
  service_running_ = code == status::kSuccess;
  if (code != status::kSuccess) {
    logging::warn(
        "rrasm: connect failed",
        {{"router", router_name_}, {"binding", plan_.binding}, {"error", apiCodeName(code)}, {"detail", r.detail}});
    return code;
  }
  const NegotiatedSecurity s = transport_->security();
  logging::debug("rrasm: bound to DIMSVC", {{"router", router_name_},
                                            {"binding", plan_.binding},
                                            {"auth_type", std::to_string(s.auth_type)},
                                            {"auth_level", std::to_string(s.auth_level)},
                                            {"smb_encrypted", s.transport_encrypted ? "1" : "0"}});
  current_ = handle = next_handle_++;
  return status::kSuccess;
}

void RrasmRouter::disconnect(RouterHandle handle) {
  if (handle != current_ || current_ == 0) return;
  transport_->disconnect();
  current_ = 0;
}

void RrasmRouter::cancel() { transport_->cancel(); }

ApiCode RrasmRouter::call(RouterHandle handle, uint16_t opnum, const std::vector<uint8_t>& request,
                          std::vector<uint8_t>& reply) {
  if (handle == 0 || handle != current_) return status::kRpcInvalidBinding;
  const TransportResult r = transport_->call(opnum, request, reply);
  const ApiCode code = r.code();
  if (code == status::kSuccess) return code;
  if (r.fault_code == 0) current_ = 0;  // the shim closed the binding
  // Faults the ladder expects (an opnum the server lacks) are not worth a warning.
  if (!isUnsupportedLevel(code)) {
    logging::warn("rrasm: call failed", {{"router", router_name_}, {"error", apiCodeName(code)}, {"detail", r.detail}});
  }
  return code;
}

ApiCode RrasmRouter::malformed(const std::exception& e) {
  logging::warn("rrasm: malformed reply", {{"router", router_name_}, {"detail", e.what()}});
  return status::kRpcBadStubData;
}

ApiCode RrasmRouter::serverInfo(RouterHandle handle, int level, ServerInfo& out) {
  std::vector<uint8_t> reply;
  const auto lvl = static_cast<uint32_t>(level);
  if (ApiCode code = call(handle, kOpServerGetInfo, encodeServerGetInfo(lvl), reply)) return code;
  try {
    ServerInfoReply decoded = decodeServerGetInfo(reply, lvl);
    if (decoded.status == status::kSuccess) out = decoded.info;
    return decoded.status;
  } catch (const MalformedReply& e) {
    return malformed(e);
  }
}

template <class Entry, class Decode>
ApiCode RrasmRouter::enumPage(RouterHandle handle, uint16_t opnum, const std::vector<uint8_t>& request, Decode decode,
                              uint32_t& resume_handle, Page<Entry>& page) {
  page = Page<Entry>{};
  std::vector<uint8_t> reply;
  if (ApiCode code = call(handle, opnum, request, reply)) return code;
  try {
    PagedReply<Entry> decoded = decode(reply);
    if (decoded.status == status::kSuccess || decoded.status == status::kMoreData) {
      page = std::move(decoded.page);
      resume_handle = decoded.resume_handle;
    }
    return decoded.status;
  } catch (const MalformedReply& e) {
    return malformed(e);
  }
}

ApiCode RrasmRouter::enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                                     ConnectionPage& page) {
  const auto lvl = static_cast<uint32_t>(level);
  return enumPage(
      handle, kOpConnectionEnum, encodeConnectionEnum(lvl, pref_max_len, resume_handle),
      [lvl](std::span<const uint8_t> reply) { return decodeConnectionEnum(reply, lvl); }, resume_handle, page);
}

ApiCode RrasmRouter::enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                       ConnectionPage& page) {
  return enumPage(handle, kOpConnectionEnumEx, encodeConnectionEnumEx(pref_max_len, resume_handle),
                  decodeConnectionEnumEx, resume_handle, page);
}

ApiCode RrasmRouter::enumInterfaces(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                                    InterfacePage& page) {
  return enumPage(handle, kOpInterfaceEnum, encodeInterfaceEnum(pref_max_len, resume_handle), decodeInterfaceEnum,
                  resume_handle, page);
}

ApiCode RrasmRouter::enumPorts(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle, PortPage& page) {
  return enumPage(handle, kOpPortEnum, encodePortEnum(pref_max_len, resume_handle), decodePortEnum, resume_handle,
                  page);
}

}  // namespace rras::rrasm
