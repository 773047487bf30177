/* See dce_shim.h. Samba API use follows research/rrasm.md §3(a), including its two traps: a
 * hand-built interface table needs authservices, and credentials.h is C only. */
#include "sources/rrasm/dce_shim.h"

#include <core/ntstatus.h>
#include <credentials.h>
#include <dcerpc.h>
#include <errno.h>
#include <fcntl.h>
#include <param.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <talloc.h>
#include <tevent.h>
#include <unistd.h>
#include <util/data_blob.h>

struct rrasm_dce {
  TALLOC_CTX* mem;
  struct tevent_context* ev;
  int wake[2]; /* cancel() writes here to wake the event loop */
  atomic_bool cancelled;
  bool lock_given_up; /* the event loop released samba_lock for its current wait */
  TALLOC_CTX* conn;   /* child of mem: everything of one connection */
  struct dcerpc_pipe* pipe;
  struct ndr_interface_table table;
  struct ndr_interface_string_array authservices;
  const char* authservice_names[1];
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static NTSTATUS init_status;

/* Samba's client libraries keep process-wide state that no lock guards: above all the
 * talloc_stackframe stack, which is one global unless smb_thread_set_functions (exported, in no
 * header) made it per thread, so parallel routers popped each other's frames ("Freed frame ...,
 * expected ...", then "Bad talloc magic value"); also nt_errstr's static buffer and lazily built
 * gensec and Kerberos tables. So every Samba call runs under samba_lock. Each router still has its
 * own tevent context, and its loop gives the lock up while it waits for the network: tevent calls
 * the trace callback with BEFORE_WAIT just before epoll_wait/poll and AFTER_WAIT just after (both
 * backends of libtevent 0.14 pair them; no Samba client library sets its own trace callback). A
 * server that is slow to answer holds up no other router. Waits made outside this loop keep the
 * lock and stall every router meanwhile: the Kerberos library's own exchange with the KDC, and a
 * wait inside an open stack frame (below). */
static pthread_mutex_t samba_lock = PTHREAD_MUTEX_INITIALIZER;

/* Exported by libsamba-util but in no public header. True while any talloc_stackframe is open. */
bool talloc_stackframe_exists(void);

/* Waits that kept the lock because a stack frame was open (see on_loop_trace). */
static atomic_uint waits_holding_lock;

static void lock_samba(void) { pthread_mutex_lock(&samba_lock); }
static void unlock_samba(void) { pthread_mutex_unlock(&samba_lock); }

/* A wait inside an open stack frame keeps the lock: another thread's frames would land on top of
 * it in the global stack. Then that wait is serialised, which is slow but never corrupt. */
static void on_loop_trace(enum tevent_trace_point point, void* private_data) {
  struct rrasm_dce* dce = private_data;
  if (point == TEVENT_TRACE_BEFORE_WAIT) {
    if (talloc_stackframe_exists()) {
      atomic_fetch_add(&waits_holding_lock, 1);
      return;
    }
    dce->lock_given_up = true;
    unlock_samba();
  } else if (point == TEVENT_TRACE_AFTER_WAIT && dce->lock_given_up) {
    lock_samba();
    dce->lock_given_up = false;
  }
}

static void init_samba(void) { init_status = dcerpc_init(); }

static void on_wake(struct tevent_context* ev, struct tevent_fd* fde, uint16_t flags, void* private_data) {
  struct rrasm_dce* dce = private_data;
  char drain[64];
  (void)ev;
  (void)fde;
  (void)flags;
  while (read(dce->wake[0], drain, sizeof drain) > 0) {
  }
}

static int dce_destructor(struct rrasm_dce* dce) {
  if (dce->wake[0] >= 0) close(dce->wake[0]);
  if (dce->wake[1] >= 0) close(dce->wake[1]);
  return 0;
}

static rrasm_dce* new_locked(void) {
  pthread_once(&init_once, init_samba);
  if (!NT_STATUS_IS_OK(init_status)) return NULL;
  TALLOC_CTX* mem = talloc_new(NULL);
  if (mem == NULL) return NULL;
  struct rrasm_dce* dce = talloc_zero(mem, struct rrasm_dce);
  if (dce == NULL) goto fail;
  dce->mem = mem;
  dce->wake[0] = dce->wake[1] = -1;
  talloc_set_destructor(dce, dce_destructor);
  atomic_init(&dce->cancelled, false);
  if (pipe2(dce->wake, O_NONBLOCK | O_CLOEXEC) != 0) goto fail;
  dce->ev = tevent_context_init(mem);
  if (dce->ev == NULL) goto fail;
  if (tevent_add_fd(dce->ev, mem, dce->wake[0], TEVENT_FD_READ, on_wake, dce) == NULL) goto fail;
  tevent_set_trace_callback(dce->ev, on_loop_trace, dce);
  return dce;
fail:
  talloc_free(mem);
  return NULL;
}

rrasm_dce* rrasm_dce_new(void) {
  lock_samba();
  rrasm_dce* dce = new_locked();
  unlock_samba();
  return dce;
}

static void disconnect_locked(rrasm_dce* dce) {
  TALLOC_FREE(dce->conn);
  dce->pipe = NULL;
}

void rrasm_dce_free(rrasm_dce* dce) {
  if (dce == NULL) return;
  lock_samba();
  disconnect_locked(dce);
  talloc_free(dce->mem);
  unlock_samba();
}

void rrasm_dce_disconnect(rrasm_dce* dce) {
  lock_samba();
  disconnect_locked(dce);
  unlock_samba();
}

void rrasm_dce_cancel(rrasm_dce* dce) {
  atomic_store(&dce->cancelled, true);
  const char byte = 1;
  ssize_t ignored = write(dce->wake[1], &byte, 1); /* a full pipe already wakes the loop */
  (void)ignored;
}

static void set_detail(char* detail, size_t size, const char* what, NTSTATUS status) {
  if (detail != NULL && size > 0) snprintf(detail, size, "%s: %s", what, nt_errstr(status));
}

/* kerberos: true takes the ticket cache KRB5CCNAME names (never a password, so Samba never runs
 * kinit itself, which would need tevent_loop_allow_nesting). Samba names neither a missing nor an
 * expiring ticket: both would fail later in SPNEGO as NT_STATUS_INVALID_PARAMETER ("no suitable
 * mechtype"). So both are checked here and reported as NT_STATUS_NO_SUCH_LOGON_SESSION. */
static NTSTATUS use_ticket_cache(struct rrasm_dce* dce, struct cli_credentials* creds, struct loadparm_context* lp,
                                 char* detail, size_t detail_size) {
  const char* env = getenv("KRB5CCNAME");
  const char* ccache_name = env != NULL ? env : "(the default one; KRB5CCNAME is not set)";
  const char* error = NULL;
  enum credentials_obtained principal_obtained = CRED_UNINITIALISED;
  struct ccache_container* ccache = NULL;
  cli_credentials_set_kerberos_state(creds, CRED_USE_KERBEROS_REQUIRED, CRED_SPECIFIED);
  /* set_ccache reads the client principal from the ccache; a missing or empty one is no error to it. */
  int failed = cli_credentials_set_ccache(creds, lp, NULL, CRED_SPECIFIED, &error);
  if (!failed) cli_credentials_get_principal_and_obtained(creds, dce->conn, &principal_obtained);
  if (failed || principal_obtained < CRED_SPECIFIED) {
    if (detail != NULL) {
      snprintf(detail, detail_size, "no Kerberos ticket in the ticket cache %s%s%s: run kinit (kerberos: true)",
               ccache_name, failed && error != NULL ? ": " : "", failed && error != NULL ? error : "");
    }
  } else if (cli_credentials_get_ccache(creds, dce->ev, lp, &ccache, &error) != 0) {
    /* Samba treats a TGT with less than 5 minutes left as expired and wants to kinit. */
    if (detail != NULL) {
      snprintf(detail, detail_size,
               "the Kerberos ticket in %s has expired or expires within 5 minutes: renew it (kinit, k5start)",
               ccache_name);
    }
  } else {
    return NT_STATUS_OK;
  }
  for (char* c = detail; c != NULL && *c != '\0'; ++c) {
    if (*c == '\n') *c = ' '; /* Samba's error strings end in one */
  }
  return NT_STATUS_NO_SUCH_LOGON_SESSION;
}

static uint32_t connect_locked(rrasm_dce* dce, const struct rrasm_dce_params* params, char* detail,
                               size_t detail_size) {
  NTSTATUS status;
  disconnect_locked(dce);
  atomic_store(&dce->cancelled, false);
  dce->conn = talloc_new(dce->mem);
  if (dce->conn == NULL) return NT_STATUS_V(NT_STATUS_NO_MEMORY);

  /* A hand-built table: only the syntax id matters for raw calls. Signing or sealing without
   * authservices crashes in dcerpc_pipe_auth_send. */
  memset(&dce->table, 0, sizeof dce->table);
  dce->table.name = "dimsvc";
  status = GUID_from_string(params->interface_uuid, &dce->table.syntax_id.uuid);
  if (!NT_STATUS_IS_OK(status)) {
    set_detail(detail, detail_size, "interface uuid", status);
    return NT_STATUS_V(status);
  }
  dce->table.syntax_id.if_version = params->interface_version;
  dce->authservice_names[0] = "host";
  dce->authservices.count = 1;
  dce->authservices.names = dce->authservice_names;
  dce->table.authservices = &dce->authservices;

  struct loadparm_context* lp = loadparm_init(dce->conn); /* defaults only: never smb.conf */
  struct cli_credentials* creds = cli_credentials_init(dce->conn);
  if (lp == NULL || creds == NULL) {
    return NT_STATUS_V(NT_STATUS_NO_MEMORY);
  }
  for (const char* const* opt = params->lp_options; opt != NULL && *opt != NULL; ++opt) {
    const char* eq = strchr(*opt, '=');
    if (eq == NULL) continue;
    char* name = talloc_strndup(dce->conn, *opt, (size_t)(eq - *opt));
    if (name == NULL || !lpcfg_set_cmdline(lp, name, eq + 1)) {
      if (detail != NULL) snprintf(detail, detail_size, "Samba option \"%s\" was refused", *opt);
      return NT_STATUS_V(NT_STATUS_INVALID_PARAMETER);
    }
  }
  cli_credentials_set_conf(creds, lp);
  if (params->username == NULL && !params->kerberos) {
    cli_credentials_set_anonymous(creds);
  } else if (params->kerberos) {
    status = use_ticket_cache(dce, creds, lp, detail, detail_size);
    if (!NT_STATUS_IS_OK(status)) return NT_STATUS_V(status);
  } else {
    cli_credentials_set_kerberos_state(creds, CRED_USE_KERBEROS_DISABLED, CRED_SPECIFIED);
    cli_credentials_set_username(creds, params->username, CRED_SPECIFIED);
    cli_credentials_set_password(creds, params->password != NULL ? params->password : "", CRED_SPECIFIED);
    if (params->domain != NULL && params->domain[0] != '\0') {
      cli_credentials_set_domain(creds, params->domain, CRED_SPECIFIED);
    }
  }

  /* Synchronous, but its loop runs on dce->ev, so the lock is given up while it waits. */
  status = dcerpc_pipe_connect(dce->conn, &dce->pipe, params->binding, &dce->table, creds, dce->ev, lp);
  if (!NT_STATUS_IS_OK(status)) {
    set_detail(detail, detail_size, "connect", status);
    disconnect_locked(dce);
    return NT_STATUS_V(status);
  }
  if (params->timeout_seconds > 0) {
    dcerpc_binding_handle_set_timeout(dce->pipe->binding_handle, params->timeout_seconds);
  }
  if (atomic_load(&dce->cancelled)) {
    disconnect_locked(dce);
    return NT_STATUS_V(NT_STATUS_CANCELLED);
  }
  return 0;
}

uint32_t rrasm_dce_connect(rrasm_dce* dce, const struct rrasm_dce_params* params, char* detail, size_t detail_size) {
  lock_samba();
  const uint32_t status = connect_locked(dce, params, detail, detail_size);
  unlock_samba();
  return status;
}

static uint32_t call_locked(rrasm_dce* dce, uint16_t opnum, const uint8_t* in, size_t in_size, uint8_t** out,
                            size_t* out_size, uint32_t* fault_code) {
  *out = NULL;
  *out_size = 0;
  *fault_code = 0;
  if (dce->pipe == NULL) return NT_STATUS_V(NT_STATUS_CONNECTION_DISCONNECTED);
  TALLOC_CTX* call_mem = talloc_new(dce->conn);
  if (call_mem == NULL) return NT_STATUS_V(NT_STATUS_NO_MEMORY);
  dce->pipe->last_fault_code = 0;
  struct tevent_req* req =
      dcerpc_binding_handle_raw_call_send(call_mem, dce->ev, dce->pipe->binding_handle, NULL, opnum, 0, in, in_size);
  if (req == NULL) {
    talloc_free(call_mem);
    return NT_STATUS_V(NT_STATUS_NO_MEMORY);
  }
  /* Our own loop instead of the synchronous call, so cancel() can abandon the request. */
  while (tevent_req_is_in_progress(req)) {
    if (atomic_load(&dce->cancelled)) {
      talloc_free(call_mem);
      disconnect_locked(dce);
      return NT_STATUS_V(NT_STATUS_CANCELLED);
    }
    if (tevent_loop_once(dce->ev) != 0) break;
  }
  uint8_t* reply = NULL;
  size_t reply_size = 0;
  uint32_t out_flags = 0;
  NTSTATUS status = dcerpc_binding_handle_raw_call_recv(req, call_mem, &reply, &reply_size, &out_flags);
  if (!NT_STATUS_IS_OK(status)) {
    /* A fault is an answer: the binding stays usable (the ladder probes opnum 45 this way). */
    *fault_code = dce->pipe->last_fault_code;
    talloc_free(call_mem);
    if (*fault_code == 0) disconnect_locked(dce);
    return NT_STATUS_V(status);
  }
  *out = malloc(reply_size > 0 ? reply_size : 1);
  if (*out == NULL) {
    talloc_free(call_mem);
    return NT_STATUS_V(NT_STATUS_NO_MEMORY);
  }
  if (reply_size > 0) memcpy(*out, reply, reply_size);
  *out_size = reply_size;
  talloc_free(call_mem);
  return 0;
}

uint32_t rrasm_dce_call(rrasm_dce* dce, uint16_t opnum, const uint8_t* in, size_t in_size, uint8_t** out,
                        size_t* out_size, uint32_t* fault_code) {
  lock_samba();
  const uint32_t status = call_locked(dce, opnum, in, in_size, out, out_size, fault_code);
  unlock_samba();
  return status;
}

void rrasm_dce_free_buffer(uint8_t* buffer) { free(buffer); }

void rrasm_dce_security(rrasm_dce* dce, int* auth_type, int* auth_level, int* transport_encrypted) {
  *auth_type = *auth_level = *transport_encrypted = 0;
  lock_samba();
  if (dce->pipe != NULL) {
    enum dcerpc_AuthType type = DCERPC_AUTH_TYPE_NONE;
    enum dcerpc_AuthLevel level = DCERPC_AUTH_LEVEL_NONE;
    dcerpc_binding_handle_auth_info(dce->pipe->binding_handle, &type, &level);
    *auth_type = (int)type;
    *auth_level = (int)level;
    *transport_encrypted = dcerpc_transport_encrypted(dce->pipe) ? 1 : 0;
  }
  unlock_samba();
}

void rrasm_nt_errstr(uint32_t status, char* text, size_t text_size) {
  lock_samba(); /* nt_errstr formats unknown codes into a static buffer */
  snprintf(text, text_size, "%s", nt_errstr(NT_STATUS(status)));
  unlock_samba();
}

unsigned rrasm_dce_waits_holding_lock(void) { return atomic_load(&waits_holding_lock); }
