// The rrasm source: RouterApi over MS-RRASM (DIMSVC) through Samba. Each method is one DIMSVC
// call — opnum 0 for serverInfo, 1 for enumConnections, 45 for enumConnectionsEx, 20 for
// enumInterfaces, 4 for enumPorts — with the status mapped faithfully; the ladder, paging and
// join stay in the Enumerator and the kinds' collectors above.
#pragma once

#include <memory>
#include <string>

#include "router/router_api.h"
#include "sources/rrasm/dimsvc_codec.h"
#include "sources/rrasm/rrasm_binding.h"
#include "sources/rrasm/rrasm_config.h"

namespace rras::rrasm {

class RpcTransport;

class RrasmRouter : public RouterApi {
 public:
  // Over Samba (DceTransport).
  RrasmRouter(std::string router_name, std::string server, RrasmConfig config);
  // Over any transport: tests script the server's replies byte for byte.
  RrasmRouter(std::string router_name, std::string server, RrasmConfig config, std::unique_ptr<RpcTransport> transport);
  ~RrasmRouter() override;

  // No DIMSVC call reports the service; a bind that reached DIMSVC proves RemoteAccess runs.
  bool isServiceRunning() override;
  ApiCode connect(RouterHandle& handle) override;
  void disconnect(RouterHandle handle) override;
  ApiCode serverInfo(RouterHandle handle, int level, ServerInfo& out) override;
  ApiCode enumConnections(RouterHandle handle, int level, uint32_t pref_max_len, uint32_t& resume_handle,
                          ConnectionPage& page) override;
  ApiCode enumConnectionsEx(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                            ConnectionPage& page) override;
  ApiCode enumInterfaces(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle,
                         InterfacePage& page) override;
  ApiCode enumPorts(RouterHandle handle, uint32_t pref_max_len, uint32_t& resume_handle, PortPage& page) override;
  void cancel() override;

 private:
  // One DIMSVC call on the current binding; logs why it failed.
  ApiCode call(RouterHandle handle, uint16_t opnum, const std::vector<uint8_t>& request, std::vector<uint8_t>& reply);
  ApiCode malformed(const std::exception& e);
  // One enumeration call: sends `request`, decodes the reply with `decode` and, on success or
  // ERROR_MORE_DATA, takes its page and resume handle; another status is returned as it is, a
  // malformed reply becomes RPC_X_BAD_STUB_DATA.
  template <class Entry, class Decode>
  ApiCode enumPage(RouterHandle handle, uint16_t opnum, const std::vector<uint8_t>& request, Decode decode,
                   uint32_t& resume_handle, Page<Entry>& page);

  std::string router_name_;
  std::string server_;
  RrasmConfig config_;
  BindingPlan plan_;
  std::unique_ptr<RpcTransport> transport_;
  RouterHandle current_ = 0;  // 0: not connected
  RouterHandle next_handle_ = 1;
  bool service_running_ = false;
};

}  // namespace rras::rrasm
