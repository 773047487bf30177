#include "router/api_status.h"

#include <cstdio>
#include <string_view>
#include <utility>

namespace rras {

namespace {
constexpr std::pair<ApiCode, std::string_view> kNames[] = {
    {status::kSuccess, "NO_ERROR"},
    {status::kAccessDenied, "ERROR_ACCESS_DENIED"},
    {status::kInvalidData, "ERROR_INVALID_DATA"},
    {status::kNotSupported, "ERROR_NOT_SUPPORTED"},
    {status::kInvalidParameter, "ERROR_INVALID_PARAMETER"},
    {status::kCallNotImplemented, "ERROR_CALL_NOT_IMPLEMENTED"},
    {status::kInvalidLevel, "ERROR_INVALID_LEVEL"},
    {status::kProcNotFound, "ERROR_PROC_NOT_FOUND"},
    {status::kMoreData, "ERROR_MORE_DATA"},
    {status::kDdmNotRunning, "ERROR_DDM_NOT_RUNNING"},
    {status::kServiceNotActive, "ERROR_SERVICE_NOT_ACTIVE"},
    {status::kTimeout, "ERROR_TIMEOUT"},
    {status::kCancelled, "ERROR_CANCELLED"},
    {status::kOperationAborted, "ERROR_OPERATION_ABORTED"},
    {status::kRpcCallCancelled, "RPC_S_CALL_CANCELLED"},
    {status::kRpcInvalidBinding, "RPC_S_INVALID_BINDING"},
    {status::kRpcServerUnavailable, "RPC_S_SERVER_UNAVAILABLE"},
    {status::kRpcCallFailed, "RPC_S_CALL_FAILED"},
    {status::kRpcProcnumOutOfRange, "RPC_S_PROCNUM_OUT_OF_RANGE"},
    {status::kRpcUnknownIf, "RPC_S_UNKNOWN_IF"},
    {status::kLogonFailure, "ERROR_LOGON_FAILURE"},
    {status::kNoSuchLogonSession, "ERROR_NO_SUCH_LOGON_SESSION"},
    {status::kRpcBadStubData, "RPC_X_BAD_STUB_DATA"},
    // RAS errors (raserror.h, RASBASE 600) a demand-dial interface reports as its last error.
    {608, "ERROR_DEVICE_DOES_NOT_EXIST"},
    {619, "ERROR_PORT_DISCONNECTED"},
    {629, "ERROR_REMOTE_DISCONNECTION"},
    {630, "ERROR_HARDWARE_FAILURE"},
    {633, "ERROR_PORT_NOT_AVAILABLE"},
    {650, "ERROR_SERVER_NOT_RESPONDING"},
    {651, "ERROR_FROM_DEVICE"},
    {652, "ERROR_UNRECOGNIZED_RESPONSE"},
    {676, "ERROR_LINE_BUSY"},
    {678, "ERROR_NO_ANSWER"},
    {679, "ERROR_NO_CARRIER"},
    {691, "ERROR_AUTHENTICATION_FAILURE"},
    {718, "ERROR_PPP_TIMEOUT"},
    {720, "ERROR_PPP_NO_PROTOCOLS_CONFIGURED"},
    {731, "ERROR_PROTOCOL_NOT_CONFIGURED"},
    {800, "ERROR_AUTOMATIC_VPN_FAILED"},
    {807, "ERROR_VPN_DISCONNECT"},
    {808, "ERROR_VPN_REFUSED"},
    {809, "ERROR_VPN_TIMEOUT"},
    {810, "ERROR_VPN_BAD_CERT"},
    {811, "ERROR_VPN_BAD_PSK"},
    {827, "ERROR_IPSEC_SERVICE_STOPPED"},
    {828, "ERROR_IDLE_TIMEOUT"},
    {835, "ERROR_INVALID_SERVER_CERT"},
};
}  // namespace

std::string apiCodeName(ApiCode code) {
  for (const auto& [value, name] : kNames) {
    if (value == code) return std::string(name);
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", code);
  return buf;
}

bool isUnsupportedLevel(ApiCode code) {
  return code == status::kInvalidLevel || code == status::kNotSupported || code == status::kRpcProcnumOutOfRange ||
         code == status::kProcNotFound || code == status::kCallNotImplemented;
}

bool isBindingLost(ApiCode code) {
  return code == status::kRpcInvalidBinding || code == status::kRpcServerUnavailable || code == status::kRpcCallFailed;
}

}  // namespace rras
