// Status codes the MprAdmin calls and their wire protocol return, with their symbolic names.
// A source returns the code it got (Win32, RPC or NTSTATUS); it never invents its own.
#pragma once

#include <cstdint>
#include <string>

namespace rras {

using ApiCode = uint32_t;

namespace status {
inline constexpr ApiCode kSuccess = 0;
inline constexpr ApiCode kAccessDenied = 5;             // ERROR_ACCESS_DENIED
inline constexpr ApiCode kInvalidData = 13;             // ERROR_INVALID_DATA
inline constexpr ApiCode kNotSupported = 50;            // ERROR_NOT_SUPPORTED
inline constexpr ApiCode kInvalidParameter = 87;        // ERROR_INVALID_PARAMETER
inline constexpr ApiCode kCallNotImplemented = 120;     // ERROR_CALL_NOT_IMPLEMENTED (exported, not implemented)
inline constexpr ApiCode kInvalidLevel = 124;           // ERROR_INVALID_LEVEL
inline constexpr ApiCode kProcNotFound = 127;           // ERROR_PROC_NOT_FOUND (no EnumEx export)
inline constexpr ApiCode kMoreData = 234;               // ERROR_MORE_DATA
inline constexpr ApiCode kDdmNotRunning = 903;          // ERROR_DDM_NOT_RUNNING
inline constexpr ApiCode kServiceNotActive = 1062;      // ERROR_SERVICE_NOT_ACTIVE
inline constexpr ApiCode kTimeout = 1460;               // ERROR_TIMEOUT
inline constexpr ApiCode kRpcInvalidBinding = 1702;     // RPC_S_INVALID_BINDING
inline constexpr ApiCode kRpcServerUnavailable = 1722;  // RPC_S_SERVER_UNAVAILABLE
inline constexpr ApiCode kRpcCallFailed = 1726;         // RPC_S_CALL_FAILED
inline constexpr ApiCode kRpcProcnumOutOfRange = 1745;  // RPC_S_PROCNUM_OUT_OF_RANGE
inline constexpr ApiCode kRpcUnknownIf = 1717;          // RPC_S_UNKNOWN_IF
inline constexpr ApiCode kCancelled = 1223;             // ERROR_CANCELLED
inline constexpr ApiCode kLogonFailure = 1326;          // ERROR_LOGON_FAILURE (bad user or password)
inline constexpr ApiCode kNoSuchLogonSession = 1312;    // ERROR_NO_SUCH_LOGON_SESSION (no usable Kerberos ticket)
inline constexpr ApiCode kRpcBadStubData = 1783;        // RPC_X_BAD_STUB_DATA (a reply that does not decode)
inline constexpr ApiCode kOperationAborted = 995;       // ERROR_OPERATION_ABORTED (CancelSynchronousIo)
inline constexpr ApiCode kRpcCallCancelled = 1818;      // RPC_S_CALL_CANCELLED
}  // namespace status

// "ERROR_ACCESS_DENIED", "RPC_S_SERVER_UNAVAILABLE", ... or "0x%08X" for codes we do not know.
std::string apiCodeName(ApiCode code);

// True for the answers that mean "this level / call does not exist here": the ladder probes down
// on these and on nothing else (DESIGN §3).
bool isUnsupportedLevel(ApiCode code);

// True for failures of the binding or transport, after which a reconnect may help.
bool isBindingLost(ApiCode code);

}  // namespace rras
