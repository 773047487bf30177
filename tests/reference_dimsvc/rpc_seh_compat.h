/*
 * Force-included (-include) into widl's server stub. The stub brackets its work in
 * RpcTryFinally / RpcTryExcept, which mingw-w64's <rpc.h> maps to MSVC's __try/__except/
 * __finally: GCC has no such keywords. Here they become plain blocks: the normal path runs the
 * same code in the same order; on an exception (RpcRaiseException in a method, or a bad request
 * the NDR engine rejects) the stub's clean-up is skipped, leaking that call's memory, and the
 * exception unwinds to Wine's rpcrt4, which answers the call with a fault PDU as it would for a
 * MIDL stub.
 */
#ifndef REFERENCE_RPC_SEH_COMPAT_H
#define REFERENCE_RPC_SEH_COMPAT_H
#include <rpc.h>
#undef RpcTryExcept
#undef RpcExcept
#undef RpcEndExcept
#undef RpcTryFinally
#undef RpcFinally
#undef RpcEndFinally
#undef RpcExceptionCode
#undef RpcAbnormalTermination
#define RpcTryExcept if (1) {
#define RpcExcept(expr) \
  }                     \
  else {
#define RpcEndExcept }
#define RpcTryFinally {
#define RpcFinally \
  }                \
  {
#define RpcEndFinally }
#define RpcExceptionCode() 0
#define RpcAbnormalTermination() 0
#endif
