#include "sources/rrasm/rrasm_status.h"

#include "sources/rrasm/rpc_transport.h"

namespace rras::rrasm {

namespace {
// NTSTATUS values (Samba core/ntstatus_gen.h).
constexpr uint32_t kNtAccessDenied = 0xC0000022, kNtLogonFailure = 0xC000006D, kNtWrongPassword = 0xC000006A,
                   kNtNoSuchUser = 0xC0000064, kNtCancelled = 0xC0000120, kNtRpcCallCancelled = 0xC0020050,
                   kNtIoTimeout = 0xC00000B5, kNtTimeout = 0x102, kNtNoSuchLogonSession = 0xC000005F;
constexpr uint32_t kNtRpcUnsupportedNameSyntax = 0xC0020026, kNtRpcUnknownIf = 0xC0020012;
constexpr uint32_t kNtRpcProcnumOutOfRange = 0xC002002E, kNtRpcBadStubData = 0xC003000C;
// Cannot reach a DIMSVC at all: name, network, port or pipe.
constexpr uint32_t kUnreachable[] = {0xC0000236 /* CONNECTION_REFUSED */,
                                     0xC000023D /* HOST_UNREACHABLE */,
                                     0xC000023C /* NETWORK_UNREACHABLE */,
                                     0xC000023F /* PORT_UNREACHABLE */,
                                     0xC00000CC /* BAD_NETWORK_NAME */,
                                     0xC00000BE /* BAD_NETWORK_PATH */,
                                     0xC0000034 /* OBJECT_NAME_NOT_FOUND: no \PIPE\ROUTER */,
                                     0xC000003A /* OBJECT_PATH_NOT_FOUND */,
                                     0xC0020017 /* RPC_SERVER_UNAVAILABLE */};
// The binding broke under a call: worth one reconnect.
constexpr uint32_t kBindingLost[] = {0xC000020C /* CONNECTION_DISCONNECTED */,
                                     0xC000020D /* CONNECTION_RESET */,
                                     0xC000014B /* PIPE_BROKEN */,
                                     0xC0000011 /* END_OF_FILE */,
                                     0xC00000C3 /* INVALID_NETWORK_RESPONSE */,
                                     0xC002001D /* RPC_PROTOCOL_ERROR */,
                                     0xC002001B /* RPC_CALL_FAILED */};
constexpr uint32_t kNtRpcInvalidBinding = 0xC0020003;

// DCE/RPC fault codes (MS-RPCE 2.2.2.11).
constexpr uint32_t kFaultOpRangeError = 0x1C010002, kFaultUnknownIf = 0x1C010003;

template <size_t N>
bool contains(const uint32_t (&list)[N], uint32_t v) {
  for (uint32_t x : list) {
    if (x == v) return true;
  }
  return false;
}
}  // namespace

ApiCode apiCodeFromTransport(uint32_t nt_status, uint32_t fault_code) {
  if (nt_status == 0) return status::kSuccess;
  if (fault_code != 0) {
    if (fault_code == kFaultOpRangeError) return status::kRpcProcnumOutOfRange;
    if (fault_code == kFaultUnknownIf) return status::kRpcUnknownIf;
    // Windows raises the other faults as they are: Win32 or RPC_S_* codes (5, 0x6E4, ...).
    if (fault_code < 0x10000) return fault_code;
    return status::kRpcCallFailed;
  }
  switch (nt_status) {
    case kNtAccessDenied:
      return status::kAccessDenied;
    case kNtLogonFailure:
    case kNtWrongPassword:
    case kNtNoSuchUser:
      return status::kLogonFailure;
    case kNtNoSuchLogonSession:
      return status::kNoSuchLogonSession;  // kerberos: true without a usable ticket
    case kNtCancelled:
    case kNtRpcCallCancelled:
      return status::kCancelled;
    case kNtIoTimeout:
    case kNtTimeout:
      return status::kTimeout;
    case kNtRpcUnsupportedNameSyntax:  // bind refused: DIMSVC not registered, RemoteAccess stopped
    case kNtRpcUnknownIf:
      return status::kRpcUnknownIf;
    case kNtRpcProcnumOutOfRange:
      return status::kRpcProcnumOutOfRange;
    case kNtRpcBadStubData:
      return status::kRpcBadStubData;
    case kNtRpcInvalidBinding:
      return status::kRpcInvalidBinding;
    default:
      break;
  }
  if (contains(kUnreachable, nt_status)) return status::kRpcServerUnavailable;
  if (contains(kBindingLost, nt_status)) return status::kRpcCallFailed;
  return nt_status;  // an NTSTATUS the MprAdmin API has no better name for; named 0xC...
}

ApiCode TransportResult::code() const { return apiCodeFromTransport(nt_status, fault_code); }

}  // namespace rras::rrasm
