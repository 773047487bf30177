/* A small C shim over Samba's public DCE/RPC client libraries (libdcerpc, samba-credentials,
 * samba-hostconfig). It exists because credentials.h does not compile as C++; everything above it
 * is the project's own C++ and sees no Samba header. One rrasm_dce per router, used by one thread
 * at a time, except rrasm_dce_cancel which any thread may call. Routers on different threads are
 * safe: the shim serialises Samba itself (see samba_lock in dce_shim.c). */
#ifndef RRAS_SOURCES_RRASM_DCE_SHIM_H
#define RRAS_SOURCES_RRASM_DCE_SHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rrasm_dce rrasm_dce;

struct rrasm_dce_params {
  const char* binding; /* e.g. "ncacn_np:vpn1[\\pipe\\ROUTER,seal]" */
  const char* interface_uuid;
  uint16_t interface_version;
  const char* domain;            /* may be NULL */
  const char* username;          /* NULL: anonymous (only for auth level none over TCP) */
  const char* password;          /* NULL with kerberos */
  int kerberos;                  /* 1: Kerberos required, ccache from the environment */
  unsigned timeout_seconds;      /* per call */
  const char* const* lp_options; /* "name=value" Samba options, NULL-terminated; smb.conf is never read */
};

/* NULL when out of memory. */
rrasm_dce* rrasm_dce_new(void);
void rrasm_dce_free(rrasm_dce* dce);

/* Connects and binds. Returns an NTSTATUS value (0 = success); `detail` receives Samba's name
 * for the status. Clears an earlier cancel. */
uint32_t rrasm_dce_connect(rrasm_dce* dce, const struct rrasm_dce_params* params, char* detail, size_t detail_size);
void rrasm_dce_disconnect(rrasm_dce* dce);

/* One request with a ready-made NDR stub. Returns an NTSTATUS value; on a DCE/RPC fault also sets
 * *fault_code. On success *out (free with rrasm_dce_free_buffer) holds the reply stub. After a
 * failure other than a fault the binding is closed: the next call needs rrasm_dce_connect. */
uint32_t rrasm_dce_call(rrasm_dce* dce, uint16_t opnum, const uint8_t* in, size_t in_size, uint8_t** out,
                        size_t* out_size, uint32_t* fault_code);
void rrasm_dce_free_buffer(uint8_t* buffer);

/* Makes the call in flight (or the next one) return NT_STATUS_CANCELLED. Any thread. */
void rrasm_dce_cancel(rrasm_dce* dce);

/* What the binding negotiated: DCE/RPC auth type and level, SMB3 encryption of the transport. */
void rrasm_dce_security(rrasm_dce* dce, int* auth_type, int* auth_level, int* transport_encrypted);

/* Samba's name for an NTSTATUS value, e.g. "NT_STATUS_LOGON_FAILURE", copied into text. */
void rrasm_nt_errstr(uint32_t status, char* text, size_t text_size);

/* How many network waits so far kept the process-wide Samba lock (an open Samba stack frame):
 * every router stalled during them. Any thread. */
unsigned rrasm_dce_waits_holding_lock(void);

#ifdef __cplusplus
}
#endif

#endif
