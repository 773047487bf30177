/*
 * reference_dimsvc.exe: a reference DIMSVC router ([MS-RRASM]) for the rrasm source's tests.
 *
 * The interface is dimsvc.idl compiled by widl (-Oif: the stubs are format strings that Wine's
 * rpcrt4 interprets), served under Wine over ncacn_ip_tcp. Nothing here writes NDR: the methods
 * fill the IDL's C structures and return them, and Wine's NDR engine marshals them. Only the
 * flat pBuffer payloads of opnums 0, 1, 4 and 20 (defined by the spec as bytes) are laid out
 * here, from the C structs in rasi_layouts.h.
 *
 * Usage: reference_dimsvc.exe --scenario FILE [--port N] [--lifetime SECONDS]
 *                             [--auth none|winnt|negotiate] [--min-auth-level N]
 *   --port 0 (default) lets the RPC runtime pick the port. Once listening it prints
 *   "READY <port>" on stdout. After --lifetime seconds (default 120) it exits by itself.
 *   --auth registers an RPC authentication service (RpcServerRegisterAuthInfo) and, with
 *   --min-auth-level, refuses calls below that level (see README.md, "Authentication").
 *   Wine's rpcrt4 binds 0.0.0.0: run it in a network namespace with only loopback.
 *   Each call is logged on stderr.
 *
 * Scenario file (written by scenario.py from the JSON scenarios the Python fake also reads):
 * UTF-8 text, one item per line, blank lines and lines starting with '#' ignored.
 *   server_info_level N    highest opnum 0 level answered (-1: none); higher: ERROR_INVALID_LEVEL
 *   max_level N            highest opnum 1 level answered; higher: ERROR_INVALID_LEVEL
 *   enum_ex 0|1            0: opnum 45 answers as a server without it (fault nca_op_rng_error)
 *   ipx_chars 16|23        PPP_IPXCP_INFO.wszAddress width (levels 1 and 2)
 *   page_entries N         at most N entries per page (0: no cap)
 *   status N               every call to opnums 0, 1, 4, 20, 45 returns this Win32 status
 *   unsorted 0|1           1: serve connections, interfaces and ports in a fixed order that is
 *                          not handle order
 *   refuse CALL CODE       CALL returns CODE (CALL: ex, level0..level3, info0..info2,
 *                          interfaces0 (opnum 20), ports0 (opnum 4)); "refuse ex 1745" is a
 *                          server without opnum 45, like enum_ex 0
 *   fault CALL CODE        the first CALL raises RPC exception CODE (RpcRaiseException)
 *   short_buffer CALL N    CALL (any but ex) answers success with a pBuffer of N bytes (the first
 *                          N bytes of the real one, zero-filled past it; the enumerations claim
 *                          one entry: the first one from the resume position)
 *   server KEY=VALUE...    uptime, total_ports, ports_in_use, pptp, l2tp, sstp (decimal)
 *   connection KEY=VALUE...
 *                          handle, interface, duration, flags, if_type, quarantine: decimal;
 *                          ikev2: 0|1; counters: 12 decimals joined by ','; ipv6_prefix,
 *                          ipv6_iid: 16 hex digits; user, domain, computer, interface_name,
 *                          ipv4, tunnel_endpoint, auth: percent-encoded UTF-8 (%XX for every
 *                          byte outside [A-Za-z0-9._~-]). auth: pap, spap, chap, mschap,
 *                          mschapv2, eap (PPP) or cert, eap (IKEv2).
 *   interface KEY=VALUE... one MPRI_INTERFACE_0 of opnum 20: handle, enabled (0|1), type
 *                          (ROUTER_INTERFACE_TYPE), state (ROUTER_CONNECTION_STATE),
 *                          unreachability, last_error: decimal; name: percent-encoded UTF-8
 *   port KEY=VALUE...      one RASI_PORT_0 of opnum 4: handle, connection, condition
 *                          (RAS_PORT_CONDITION), calls, duration: decimal; name, media,
 *                          device_name, device_type: percent-encoded UTF-8
 * Missing numbers are 0 (enabled: 1), missing texts empty. Tokens are separated by spaces or
 * tabs. Unknown keys are an error (exit 2).
 *
 * Paging (3.1.4.2, 3.1.4.46): prefMaxLen 0xFFFFFFFF: all; fewer bytes than one entry: none;
 * else one more than fits (pref / entry + 1); then at most page_entries. The resume handle is
 * the index of the next entry (0 when done) and the status ERROR_MORE_DATA while entries remain.
 * Entry sizes: the RASI_CONNECTION_n stride for opnum 1, RASI_PORT_0 = 380 for opnum 4,
 * MPRI_INTERFACE_0 = 540 for opnum 20, sizeof(RAS_CONNECTION_EX_IDL) = 1672 for opnum 45. Opnums
 * 4 and 20 answer level 0 only (else ERROR_INVALID_LEVEL). Opnum 4 with hRasConnection other than
 * 0xFFFFFFFF serves only the ports of that connection (none if it has none).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dimsvc.h"
#include "rasi_layouts.h"

#define ERR_NOT_SUPPORTED 50
#define ERR_INVALID_PARAMETER 87
#define ERR_INVALID_LEVEL 124
#define ERR_MORE_DATA 234
#define ERR_PPP_NOT_NEGOTIATED 720 /* ERROR_PPP_NO_PROTOCOLS_CONFIGURED: a projection that did not run */

/* [MS-RRASM] flag and protocol values */
#define RAS_FLAGS_PPP_CONNECTION 0x1
#define RAS_FLAGS_IKEV2_CONNECTION 0x10
#define PPP_LCP_PAP 0xC023
#define PPP_LCP_SPAP 0xC027
#define PPP_LCP_CHAP 0xC223
#define PPP_LCP_EAP 0xC227
#define PPP_LCP_CHAP_MD5 0x05
#define PPP_LCP_CHAP_MS 0x80
#define PPP_LCP_CHAP_MSV2 0x81
#define MPRAPI_IKEV2_AUTH_USING_CERT 1
#define MPRAPI_IKEV2_AUTH_USING_EAP 2
#define MPR_ENABLE_RAS_ON_DEVICE 0x1

/* The calls a scenario can refuse, fault or shorten. */
enum {
  CALL_INFO0,
  CALL_INFO1,
  CALL_INFO2,
  CALL_LEVEL0,
  CALL_LEVEL1,
  CALL_LEVEL2,
  CALL_LEVEL3,
  CALL_EX,
  CALL_INTERFACES0,
  CALL_PORTS0,
  CALL_COUNT
};
static const char* const kCallNames[CALL_COUNT] = {"info0",  "info1",  "info2", "level0",      "level1",
                                                   "level2", "level3", "ex",    "interfaces0", "ports0"};

typedef struct {
  DWORD handle, iface, duration, flags, if_type, quarantine;
  BOOL has_flags, ikev2, has_ipv6;
  WCHAR interface_name[257], user[257], domain[16], computer[17], ipv4[16], tunnel[65];
  BYTE ipv6_prefix[8], ipv6_iid[8];
  char auth[16];
  DWORD counters[12];
} Connection;

/* A demand-dial (or any) router interface of opnum 20. */
typedef struct {
  DWORD handle, enabled, type, state, unreachability, last_error;
  WCHAR name[257];
} Interface;

/* A port of opnum 4. */
typedef struct {
  DWORD handle, connection, condition, calls, duration;
  WCHAR name[17], media[17], device_name[129], device_type[17];
} Port;

/* One list the scenario serves, in serving order (see serving_order). */
typedef struct {
  void* items;
  size_t count, cap, item_size;
  size_t* order; /* indexes into items */
} List;

static struct {
  int server_info_level, max_level, enum_ex, ipx_chars, unsorted;
  DWORD page_entries, status;
  DWORD refuse[CALL_COUNT], fault[CALL_COUNT];
  LONG fault_fired[CALL_COUNT];
  long short_buffer[CALL_COUNT]; /* -1: none */
  DWORD uptime, total_ports, ports_in_use, pptp, l2tp, sstp;
  List conns, ifaces, ports; /* of Connection, Interface, Port */
} S;

#define CONN(i) (((const Connection*)S.conns.items)[S.conns.order[i]])

static void die(const char* what, const char* detail) {
  fprintf(stderr, "reference_dimsvc: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(2);
}

/* ---- memory the stubs free ---- */

void* __RPC_USER MIDL_user_allocate(SIZE_T size) { return HeapAlloc(GetProcessHeap(), 0, size ? size : 1); }
void __RPC_USER MIDL_user_free(void* p) {
  if (p) HeapFree(GetProcessHeap(), 0, p);
}

static void* zalloc(size_t size) {
  void* p = MIDL_user_allocate(size);
  if (!p) RpcRaiseException(ERROR_OUTOFMEMORY);
  memset(p, 0, size ? size : 1);
  return p;
}

/* ---- scenario file ---- */

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes `in` into `out` (UTF-8 bytes, NUL-terminated). */
static void unpercent(const char* in, char* out, size_t cap) {
  size_t n = 0;
  for (const char* p = in; *p; ++p) {
    int c = (unsigned char)*p;
    if (c == '%') {
      int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
      if (lo < 0) die("bad percent escape in", in);
      c = hi * 16 + lo;
      p += 2;
    }
    if (n + 1 >= cap) die("value too long", in);
    out[n++] = (char)c;
  }
  out[n] = 0;
}

/* A percent-encoded UTF-8 value into a WCHAR[chars] field, truncated to chars - 1 units. */
static void set_wide(WCHAR* dst, size_t chars, const char* encoded) {
  char utf8[4096];
  WCHAR wide[2048];
  unpercent(encoded, utf8, sizeof utf8);
  int n = utf8[0] ? MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, -1, wide, 2048) : 1;
  if (n <= 0) die("not UTF-8", encoded);
  if (!utf8[0]) wide[0] = 0;
  size_t len = wcslen(wide);
  if (len > chars - 1) len = chars - 1;
  memset(dst, 0, chars * sizeof(WCHAR));
  memcpy(dst, wide, len * sizeof(WCHAR));
}

static DWORD number(const char* key, const char* v) {
  char* end;
  unsigned long long x = strtoull(v, &end, 0);
  if (!*v || *end || x > 0xFFFFFFFFull) die("not a 32-bit number for", key);
  return (DWORD)x;
}

static void hex8(const char* key, const char* v, BYTE out[8]) {
  if (strlen(v) != 16) die("want 16 hex digits for", key);
  for (int i = 0; i < 8; ++i) {
    int hi = hexval(v[2 * i]), lo = hexval(v[2 * i + 1]);
    if (hi < 0 || lo < 0) die("want 16 hex digits for", key);
    out[i] = (BYTE)(hi * 16 + lo);
  }
}

static int call_index(const char* name) {
  for (int i = 0; i < CALL_COUNT; ++i) {
    if (strcmp(kCallNames[i], name) == 0) return i;
  }
  die("unknown call name", name);
  return -1;
}

static void parse_connection(char* rest, Connection* c) {
  memset(c, 0, sizeof *c);
  for (char* tok = strtok(rest, " \t"); tok; tok = strtok(NULL, " \t")) {
    char* eq = strchr(tok, '=');
    if (!eq) die("want KEY=VALUE, got", tok);
    *eq = 0;
    const char *k = tok, *v = eq + 1;
    if (!strcmp(k, "handle"))
      c->handle = number(k, v);
    else if (!strcmp(k, "interface"))
      c->iface = number(k, v);
    else if (!strcmp(k, "duration"))
      c->duration = number(k, v);
    else if (!strcmp(k, "flags"))
      c->flags = number(k, v), c->has_flags = TRUE;
    else if (!strcmp(k, "if_type"))
      c->if_type = number(k, v);
    else if (!strcmp(k, "quarantine"))
      c->quarantine = number(k, v);
    else if (!strcmp(k, "ikev2"))
      c->ikev2 = number(k, v) != 0;
    else if (!strcmp(k, "user"))
      set_wide(c->user, 257, v);
    else if (!strcmp(k, "domain"))
      set_wide(c->domain, 16, v);
    else if (!strcmp(k, "computer"))
      set_wide(c->computer, 17, v);
    else if (!strcmp(k, "interface_name"))
      set_wide(c->interface_name, 257, v);
    else if (!strcmp(k, "ipv4"))
      set_wide(c->ipv4, 16, v);
    else if (!strcmp(k, "tunnel_endpoint"))
      set_wide(c->tunnel, 65, v);
    else if (!strcmp(k, "ipv6_prefix"))
      hex8(k, v, c->ipv6_prefix), c->has_ipv6 = TRUE;
    else if (!strcmp(k, "ipv6_iid"))
      hex8(k, v, c->ipv6_iid);
    else if (!strcmp(k, "auth"))
      unpercent(v, c->auth, sizeof c->auth);
    else if (!strcmp(k, "counters")) {
      char buf[512];
      unpercent(v, buf, sizeof buf);
      int i = 0;
      for (char* p = buf; *p && i < 12; ++i) {
        char* end;
        unsigned long long x = strtoull(p, &end, 10);
        if (end == p || x > 0xFFFFFFFFull) die("bad counters", v);
        c->counters[i] = (DWORD)x;
        p = *end == ',' ? end + 1 : end;
      }
      if (i != 12) die("want 12 counters, got", v);
    } else {
      die("unknown connection key", k);
    }
  }
}

static void parse_interface(char* rest, Interface* it) {
  memset(it, 0, sizeof *it);
  it->enabled = 1;
  for (char* tok = strtok(rest, " \t"); tok; tok = strtok(NULL, " \t")) {
    char* eq = strchr(tok, '=');
    if (!eq) die("want KEY=VALUE, got", tok);
    *eq = 0;
    const char *k = tok, *v = eq + 1;
    if (!strcmp(k, "handle"))
      it->handle = number(k, v);
    else if (!strcmp(k, "enabled"))
      it->enabled = number(k, v) != 0;
    else if (!strcmp(k, "type"))
      it->type = number(k, v);
    else if (!strcmp(k, "state"))
      it->state = number(k, v);
    else if (!strcmp(k, "unreachability"))
      it->unreachability = number(k, v);
    else if (!strcmp(k, "last_error"))
      it->last_error = number(k, v);
    else if (!strcmp(k, "name"))
      set_wide(it->name, 257, v);
    else
      die("unknown interface key", k);
  }
}

static void parse_port(char* rest, Port* pt) {
  memset(pt, 0, sizeof *pt);
  for (char* tok = strtok(rest, " \t"); tok; tok = strtok(NULL, " \t")) {
    char* eq = strchr(tok, '=');
    if (!eq) die("want KEY=VALUE, got", tok);
    *eq = 0;
    const char *k = tok, *v = eq + 1;
    if (!strcmp(k, "handle"))
      pt->handle = number(k, v);
    else if (!strcmp(k, "connection"))
      pt->connection = number(k, v);
    else if (!strcmp(k, "condition"))
      pt->condition = number(k, v);
    else if (!strcmp(k, "calls"))
      pt->calls = number(k, v);
    else if (!strcmp(k, "duration"))
      pt->duration = number(k, v);
    else if (!strcmp(k, "name"))
      set_wide(pt->name, 17, v);
    else if (!strcmp(k, "media"))
      set_wide(pt->media, 17, v);
    else if (!strcmp(k, "device_name"))
      set_wide(pt->device_name, 129, v);
    else if (!strcmp(k, "device_type"))
      set_wide(pt->device_type, 17, v);
    else
      die("unknown port key", k);
  }
}

/* A new zeroed item at the end of the list. */
static void* list_add(List* l) {
  if (l->count == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 16;
    l->items = realloc(l->items, l->cap * l->item_size);
    if (!l->items) die("out of memory", NULL);
  }
  void* item = (BYTE*)l->items + l->count++ * l->item_size;
  memset(item, 0, l->item_size);
  return item;
}

/* Every item type starts with its DWORD handle. */
static const List* g_sorting;
static int by_handle(const void* a, const void* b) {
  const BYTE* items = g_sorting->items;
  DWORD x = *(const DWORD*)(items + *(const size_t*)a * g_sorting->item_size);
  DWORD y = *(const DWORD*)(items + *(const size_t*)b * g_sorting->item_size);
  return x < y ? -1 : x > y;
}

/* Serving order: by handle; "unsorted": descending by handle with the first two swapped, which
 * is neither ascending nor descending once there are three or more. */
static void serving_order(List* l) {
  const size_t n = l->count;
  l->order = calloc(n ? n : 1, sizeof *l->order);
  if (!l->order) die("out of memory", NULL);
  for (size_t i = 0; i < n; ++i) l->order[i] = i;
  g_sorting = l;
  qsort(l->order, n, sizeof *l->order, by_handle);
  if (S.unsorted) {
    for (size_t i = 0; i < n / 2; ++i) {
      size_t t = l->order[i];
      l->order[i] = l->order[n - 1 - i];
      l->order[n - 1 - i] = t;
    }
    if (n >= 3) {
      size_t t = l->order[0];
      l->order[0] = l->order[1];
      l->order[1] = t;
    }
  }
}

static void load_scenario(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) die("cannot open", path);
  S.server_info_level = 2;
  S.max_level = 3;
  S.enum_ex = 1;
  S.ipx_chars = 16;
  for (int i = 0; i < CALL_COUNT; ++i) S.short_buffer[i] = -1;
  S.conns.item_size = sizeof(Connection);
  S.ifaces.item_size = sizeof(Interface);
  S.ports.item_size = sizeof(Port);
  static char line[65536];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    char* key = strtok(line, " \t");
    if (!key || key[0] == '#') continue;
    char* rest = strtok(NULL, "");
    if (!strcmp(key, "connection")) {
      parse_connection(rest ? rest : (char*)"", list_add(&S.conns));
      continue;
    }
    if (!strcmp(key, "interface")) {
      parse_interface(rest ? rest : (char*)"", list_add(&S.ifaces));
      continue;
    }
    if (!strcmp(key, "port")) {
      parse_port(rest ? rest : (char*)"", list_add(&S.ports));
      continue;
    }
    if (!strcmp(key, "server")) {
      for (char* tok = strtok(rest, " \t"); tok; tok = strtok(NULL, " \t")) {
        char* eq = strchr(tok, '=');
        if (!eq) die("want KEY=VALUE, got", tok);
        *eq = 0;
        DWORD v = number(tok, eq + 1);
        if (!strcmp(tok, "uptime"))
          S.uptime = v;
        else if (!strcmp(tok, "total_ports"))
          S.total_ports = v;
        else if (!strcmp(tok, "ports_in_use"))
          S.ports_in_use = v;
        else if (!strcmp(tok, "pptp"))
          S.pptp = v;
        else if (!strcmp(tok, "l2tp"))
          S.l2tp = v;
        else if (!strcmp(tok, "sstp"))
          S.sstp = v;
        else
          die("unknown server key", tok);
      }
      continue;
    }
    char* a = rest ? strtok(rest, " \t") : NULL;
    char* b = a ? strtok(NULL, " \t") : NULL;
    if (!a) die("missing value for", key);
    if (!strcmp(key, "refuse") || !strcmp(key, "fault") || !strcmp(key, "short_buffer")) {
      if (!b) die("missing code for", key);
      int call = call_index(a);
      if (!strcmp(key, "refuse"))
        S.refuse[call] = number(key, b);
      else if (!strcmp(key, "fault"))
        S.fault[call] = number(key, b);
      else
        S.short_buffer[call] = (long)number(key, b);
    } else if (!strcmp(key, "server_info_level"))
      S.server_info_level = atoi(a);
    else if (!strcmp(key, "max_level"))
      S.max_level = atoi(a);
    else if (!strcmp(key, "enum_ex"))
      S.enum_ex = atoi(a);
    else if (!strcmp(key, "ipx_chars"))
      S.ipx_chars = atoi(a);
    else if (!strcmp(key, "page_entries"))
      S.page_entries = number(key, a);
    else if (!strcmp(key, "status"))
      S.status = number(key, a);
    else if (!strcmp(key, "unsorted"))
      S.unsorted = atoi(a);
    else
      die("unknown scenario key", key);
  }
  fclose(f);
  if (S.ipx_chars != 16 && S.ipx_chars != 23) die("ipx_chars must be 16 or 23", NULL);
  if (S.refuse[CALL_EX] == RPC_S_PROCNUM_OUT_OF_RANGE) S.enum_ex = 0; /* a server without opnum 45 */
  serving_order(&S.conns);
  serving_order(&S.ifaces);
  serving_order(&S.ports);
}

/* ---- per-call behaviour ---- */

/* Faults (once), the scenario-wide status, then refusals. Returns a status to answer or 0. */
static DWORD scripted(int call) {
  if (call >= 0 && S.fault[call] && InterlockedExchange(&S.fault_fired[call], 1) == 0) {
    fprintf(stderr, "reference_dimsvc: %s raises RPC exception %lu\n", kCallNames[call], S.fault[call]);
    RpcRaiseException((RPC_STATUS)S.fault[call]);
  }
  if (S.status) return S.status;
  if (call >= 0 && S.refuse[call]) return S.refuse[call];
  return 0;
}

typedef struct {
  size_t first, take, remaining;
  DWORD next_resume;
  BOOL more;
} Page;

/* A page of n entries of entry_size bytes from the resume position. */
static Page page_of(size_t n, DWORD pref, DWORD resume, size_t entry_size) {
  Page p = {0};
  p.first = resume > n ? n : resume;
  p.remaining = n - p.first;
  size_t take;
  if (pref == 0xFFFFFFFF)
    take = p.remaining;
  else if (pref < entry_size)
    take = 0;
  else
    take = pref / entry_size + 1;
  if (S.page_entries && take > S.page_entries) take = S.page_entries;
  if (take > p.remaining) take = p.remaining;
  p.take = take;
  p.more = take < p.remaining;
  p.next_resume = p.more ? (DWORD)(p.first + take) : 0;
  return p;
}

static void set_literal(WCHAR* dst, size_t chars, const WCHAR* text) {
  memset(dst, 0, chars * sizeof(WCHAR));
  size_t len = wcslen(text);
  memcpy(dst, text, (len < chars ? len : chars - 1) * sizeof(WCHAR));
}

static void wcopy(WCHAR* dst, size_t chars, const WCHAR* src) { set_literal(dst, chars, src); }

static DWORD flags_of(const Connection* c) {
  return c->has_flags ? c->flags : c->ikev2 ? RAS_FLAGS_IKEV2_CONNECTION : RAS_FLAGS_PPP_CONNECTION;
}

static void ppp_auth(const Connection* c, DWORD* protocol, DWORD* data) {
  *protocol = *data = 0;
  if (!strcmp(c->auth, "pap"))
    *protocol = PPP_LCP_PAP;
  else if (!strcmp(c->auth, "spap"))
    *protocol = PPP_LCP_SPAP;
  else if (!strcmp(c->auth, "chap"))
    *protocol = PPP_LCP_CHAP, *data = PPP_LCP_CHAP_MD5;
  else if (!strcmp(c->auth, "mschap"))
    *protocol = PPP_LCP_CHAP, *data = PPP_LCP_CHAP_MS;
  else if (!strcmp(c->auth, "mschapv2"))
    *protocol = PPP_LCP_CHAP, *data = PPP_LCP_CHAP_MSV2;
  else if (!strcmp(c->auth, "eap"))
    *protocol = PPP_LCP_EAP;
}

static GUID guid_of(const Connection* c) {
  GUID g = {c->handle, 0x5246, 0x4552, {0x9e, 0x2a, 0, 0, 0, 0, 0, 0}};
  memcpy(&g.Data4[4], &c->iface, 4);
  return g;
}

/* The server's own side of each projection: filled so a decoder reading the wrong field shows. */
static const WCHAR kServerIpv4[] = L"10.255.0.1";
static const WCHAR kServerEndpoint[] = L"198.51.100.1";
static const BYTE kServerIid[8] = {0, 0, 0, 0, 0, 0, 0, 1};

/* PPP_IPCP_INFO(2): local (server) and remote (the client's) address. */
#define FILL_IPCP(ip, c)                                      \
  do {                                                        \
    (ip).dwError = (c)->ipv4[0] ? 0 : ERR_PPP_NOT_NEGOTIATED; \
    wcopy((ip).wszAddress, 16, kServerIpv4);                  \
    wcopy((ip).wszRemoteAddress, 16, (c)->ipv4);              \
  } while (0)

static void fill_lcp(REF_PPP_LCP_INFO* lcp, const Connection* c) {
  /* The server authenticated the remote peer (the client); nobody authenticated the server. */
  ppp_auth(c, &lcp->dwRemoteAuthenticationProtocol, &lcp->dwRemoteAuthenticationData);
  lcp->dwRemoteEapTypeId = !strcmp(c->auth, "eap") ? 26 : 0;
}

/* The members RASI_CONNECTION_0 and RAS_CONNECTION_EX_1_IDL share (same names). */
#define FILL_GENERAL(r, c)                                      \
  do {                                                          \
    (r)->dwConnectDuration = (c)->duration;                     \
    (r)->dwInterfaceType = (ROUTER_INTERFACE_TYPE)(c)->if_type; \
    (r)->dwConnectionFlags = flags_of(c);                       \
    wcopy((r)->wszInterfaceName, 257, (c)->interface_name);     \
    wcopy((r)->wszUserName, 257, (c)->user);                    \
    wcopy((r)->wszLogonDomain, 16, (c)->domain);                \
    wcopy((r)->wszRemoteComputer, 17, (c)->computer);           \
  } while (0)

static void fill_level(BYTE* e, int level, const Connection* c) {
  if (level == 0) {
    REF_RASI_CONNECTION_0* r = (REF_RASI_CONNECTION_0*)e;
    r->dwConnection = c->handle;
    r->dwInterface = c->iface;
    FILL_GENERAL(r, c);
    return;
  }
  if (level == 3) {
    REF_RASI_CONNECTION_3* r = (REF_RASI_CONNECTION_3*)e;
    r->dwVersion = 3;
    r->dwSize = 0; /* "SHOULD be 0" */
    r->dwConnection = c->handle;
    wcopy(r->wszUserName, 257, c->user);
    r->dwInterfaceType = (ROUTER_INTERFACE_TYPE)c->if_type;
    r->guid = guid_of(c);
    r->PppInfo3.nbf.dwError = ERR_PPP_NOT_NEGOTIATED;
    FILL_IPCP(r->PppInfo3.ip, c);
    REF_PPP_IPV6_CP_INFO* v6 = &r->PppInfo3.ipv6;
    v6->dwVersion = 1;
    v6->dwSize = sizeof *v6;
    if (c->has_ipv6) {
      memcpy(v6->bInterfaceIdentifier, kServerIid, 8);
      memcpy(v6->bRemoteInterfaceIdentifier, c->ipv6_iid, 8);
      memcpy(v6->bPrefix, c->ipv6_prefix, 8);
      v6->dwPrefixLength = 64;
    } else {
      v6->dwError = ERR_PPP_NOT_NEGOTIATED;
    }
    fill_lcp(&r->PppInfo3.lcp, c);
    r->rasQuarState = (RAS_QUARANTINE_STATE)c->quarantine;
    return;
  }
#define FILL_L1_L2(W)                                             \
  if (level == 1) {                                               \
    REF_RASI_CONNECTION_1_##W* r = (REF_RASI_CONNECTION_1_##W*)e; \
    r->dwConnection = c->handle;                                  \
    r->dwInterface = c->iface;                                    \
    r->PppInfo.nbf.dwError = ERR_PPP_NOT_NEGOTIATED;              \
    FILL_IPCP(r->PppInfo.ip, c);                                  \
    r->PppInfo.ipx.dwError = ERR_PPP_NOT_NEGOTIATED;              \
    r->PppInfo.at.dwError = ERR_PPP_NOT_NEGOTIATED;               \
    memcpy(&r->dwBytesXmited, c->counters, sizeof c->counters);   \
  } else {                                                        \
    REF_RASI_CONNECTION_2_##W* r = (REF_RASI_CONNECTION_2_##W*)e; \
    r->dwConnection = c->handle;                                  \
    wcopy(r->wszUserName, 257, c->user);                          \
    r->dwInterfaceType = (ROUTER_INTERFACE_TYPE)c->if_type;       \
    r->guid = guid_of(c);                                         \
    r->PppInfo2.nbf.dwError = ERR_PPP_NOT_NEGOTIATED;             \
    FILL_IPCP(r->PppInfo2.ip, c);                                 \
    r->PppInfo2.ipx.dwError = ERR_PPP_NOT_NEGOTIATED;             \
    r->PppInfo2.at.dwError = ERR_PPP_NOT_NEGOTIATED;              \
    fill_lcp(&r->PppInfo2.lcp, c);                                \
  }
  if (S.ipx_chars == 23) {
    FILL_L1_L2(23)
  } else {
    FILL_L1_L2(16)
  }
#undef FILL_L1_L2
}

static size_t rasi_size(int level) {
  switch (level) {
    case 0:
      return sizeof(REF_RASI_CONNECTION_0);
    case 1:
      return S.ipx_chars == 23 ? sizeof(REF_RASI_CONNECTION_1_23) : sizeof(REF_RASI_CONNECTION_1_16);
    case 2:
      return S.ipx_chars == 23 ? sizeof(REF_RASI_CONNECTION_2_23) : sizeof(REF_RASI_CONNECTION_2_16);
    default:
      return sizeof(REF_RASI_CONNECTION_3);
  }
}

/* The pBuffer of a reply: `size` bytes of `data`, or a "short_buffer" of another length. */
static void set_container(PDIM_INFORMATION_CONTAINER info, int call, BYTE* data, size_t size) {
  long short_len = call >= 0 ? S.short_buffer[call] : -1;
  if (short_len >= 0) {
    BYTE* cut = zalloc((size_t)short_len);
    memcpy(cut, data, (size_t)short_len < size ? (size_t)short_len : size);
    MIDL_user_free(data);
    data = cut;
    size = (size_t)short_len;
  }
  info->dwBufferSize = (DWORD)size;
  info->pBuffer = size ? data : NULL;
  if (!size) MIDL_user_free(data);
}

/* ---- opnum 0 ---- */

DWORD RMprAdminServerGetInfo(DIM_HANDLE hDimServer, DWORD dwLevel, PDIM_INFORMATION_CONTAINER pInfoStruct) {
  (void)hDimServer;
  const int call = dwLevel <= 2 ? CALL_INFO0 + (int)dwLevel : -1;
  pInfoStruct->dwBufferSize = 0;
  pInfoStruct->pBuffer = NULL;
  DWORD status = scripted(call);
  if (!status && (dwLevel > 2 || (int)dwLevel > S.server_info_level)) status = ERR_INVALID_LEVEL;
  if (!status) {
    const DWORD flags = MPR_ENABLE_RAS_ON_DEVICE;
    size_t size = dwLevel == 2 ? sizeof(REF_MPR_SERVER_2) : sizeof(REF_MPR_SERVER_0);
    BYTE* buf = zalloc(size);
    if (dwLevel == 0) {
      REF_MPR_SERVER_0 s0 = {FALSE, S.uptime, S.total_ports, S.ports_in_use};
      memcpy(buf, &s0, sizeof s0);
    } else {
      REF_MPR_SERVER_2 s2 = {S.pptp, S.pptp ? flags : 0, S.l2tp, S.l2tp ? flags : 0, S.sstp, S.sstp ? flags : 0};
      memcpy(buf, &s2, size); /* MPR_SERVER_1 is the first 16 bytes of MPR_SERVER_2 */
    }
    set_container(pInfoStruct, call, buf, size);
  }
  fprintf(stderr, "reference_dimsvc: opnum 0 level %lu -> %lu (%lu bytes)\n", dwLevel, status,
          pInfoStruct->dwBufferSize);
  return status;
}

/* ---- the flat enumerations: opnums 1, 4 and 20 ---- */

/* Fills entry `i` (a position in the serving order) of an enumeration into `out`. */
typedef void (*FillEntry)(BYTE* out, size_t i, const void* ctx);

/* The start every flat enumeration shares: outputs cleared, the request's pBuffer freed (the
 * caller MUST send none, but a stray one is ours to free), then faults, status and refusals. */
static DWORD flat_start(int call, PDIM_INFORMATION_CONTAINER info, LPDWORD read, LPDWORD total) {
  *read = *total = 0;
  MIDL_user_free(info->pBuffer);
  info->pBuffer = NULL;
  info->dwBufferSize = 0;
  return scripted(call);
}

/* One page of n entries of `stride` bytes into pInfoStruct, paged as the top of this file says.
 * Returns NO_ERROR or ERROR_MORE_DATA. */
static DWORD flat_page(int call, PDIM_INFORMATION_CONTAINER info, DWORD pref, LPDWORD read, LPDWORD total,
                       LPDWORD resume_handle, size_t n, size_t stride, FillEntry fill, const void* ctx) {
  Page p = page_of(n, pref, resume_handle ? *resume_handle : 0, stride);
  if (call >= 0 && S.short_buffer[call] >= 0) {
    /* One entry claimed, its first short_buffer bytes sent, success: a truncated reply. */
    p.take = p.remaining = 1;
    p.more = FALSE;
    p.next_resume = 0;
  }
  BYTE* buf = zalloc(p.take * stride);
  for (size_t i = 0; i < p.take && p.first + i < n; ++i) fill(buf + i * stride, p.first + i, ctx);
  set_container(info, call, buf, p.take * stride);
  *read = (DWORD)p.take;
  *total = (DWORD)p.remaining;
  if (resume_handle) *resume_handle = p.next_resume;
  return p.more ? ERR_MORE_DATA : 0;
}

/* ---- opnum 1 ---- */

static void fill_connection(BYTE* out, size_t i, const void* level) { fill_level(out, *(const int*)level, &CONN(i)); }

DWORD RRasAdminConnectionEnum(DIM_HANDLE hDimServer, DWORD dwLevel, PDIM_INFORMATION_CONTAINER pInfoStruct,
                              DWORD dwPreferedMaximumLength, LPDWORD lpdwEntriesRead, LPDWORD lpdwTotalEntries,
                              LPDWORD lpdwResumeHandle) {
  (void)hDimServer;
  const int call = dwLevel <= 3 ? CALL_LEVEL0 + (int)dwLevel : -1;
  const DWORD resume = lpdwResumeHandle ? *lpdwResumeHandle : 0;
  DWORD status = flat_start(call, pInfoStruct, lpdwEntriesRead, lpdwTotalEntries);
  if (!status && (dwLevel > 3 || (int)dwLevel > S.max_level)) status = ERR_INVALID_LEVEL;
  if (!status) {
    const int level = (int)dwLevel;
    status = flat_page(call, pInfoStruct, dwPreferedMaximumLength, lpdwEntriesRead, lpdwTotalEntries, lpdwResumeHandle,
                       S.conns.count, rasi_size(level), fill_connection, &level);
  }
  fprintf(stderr, "reference_dimsvc: opnum 1 level %lu pref %lu resume %lu -> %lu (%lu entries, %lu bytes)\n", dwLevel,
          dwPreferedMaximumLength, resume, status, *lpdwEntriesRead, pInfoStruct->dwBufferSize);
  return status;
}

/* ---- opnum 4 (3.1.4.5): RASI_PORT_0 ---- */

/* ctx: the ports served, in serving order (all of them, or those of one connection). */
static void fill_port(BYTE* out, size_t i, const void* ctx) {
  const Port* pt = ((const Port* const*)ctx)[i];
  REF_RASI_PORT_0* r = (REF_RASI_PORT_0*)out;
  r->dwPort = pt->handle;
  r->dwConnection = pt->connection;
  r->dwPortCondition = (RAS_PORT_CONDITION)pt->condition;
  r->dwTotalNumberOfCalls = pt->calls;
  r->dwConnectDuration = pt->duration;
  wcopy(r->wszPortName, 17, pt->name);
  wcopy(r->wszMediaName, 17, pt->media);
  wcopy(r->wszDeviceName, 129, pt->device_name);
  wcopy(r->wszDeviceType, 17, pt->device_type);
}

DWORD RRasAdminPortEnum(DIM_HANDLE hDimServer, DWORD dwLevel, DWORD hRasConnection,
                        PDIM_INFORMATION_CONTAINER pInfoStruct, DWORD dwPreferedMaximumLength, LPDWORD lpdwEntriesRead,
                        LPDWORD lpdwTotalEntries, LPDWORD lpdwResumeHandle) {
  (void)hDimServer;
  const int call = dwLevel == 0 ? CALL_PORTS0 : -1;
  const DWORD resume = lpdwResumeHandle ? *lpdwResumeHandle : 0;
  DWORD status = flat_start(call, pInfoStruct, lpdwEntriesRead, lpdwTotalEntries);
  if (!status && dwLevel != 0) status = ERR_INVALID_LEVEL; /* "MUST be set to" 0 */
  if (!status) {
    /* INVALID_HANDLE_VALUE (0xFFFFFFFF): every port; else the ports of that connection. */
    const Port** served = zalloc((S.ports.count ? S.ports.count : 1) * sizeof *served);
    size_t n = 0;
    for (size_t i = 0; i < S.ports.count; ++i) {
      const Port* pt = &((const Port*)S.ports.items)[S.ports.order[i]];
      if (hRasConnection == 0xFFFFFFFF || pt->connection == hRasConnection) served[n++] = pt;
    }
    status = flat_page(call, pInfoStruct, dwPreferedMaximumLength, lpdwEntriesRead, lpdwTotalEntries, lpdwResumeHandle,
                       n, sizeof(REF_RASI_PORT_0), fill_port, served);
    MIDL_user_free(served);
  }
  fprintf(stderr,
          "reference_dimsvc: opnum 4 level %lu connection %#lx pref %lu resume %lu -> %lu (%lu entries, %lu bytes)\n",
          dwLevel, hRasConnection, dwPreferedMaximumLength, resume, status, *lpdwEntriesRead,
          pInfoStruct->dwBufferSize);
  return status;
}

/* ---- opnum 20 (3.1.4.21): MPRI_INTERFACE_0 ---- */

static void fill_interface(BYTE* out, size_t i, const void* ctx) {
  (void)ctx;
  const Interface* it = &((const Interface*)S.ifaces.items)[S.ifaces.order[i]];
  REF_MPRI_INTERFACE_0* r = (REF_MPRI_INTERFACE_0*)out;
  wcopy(r->wszInterfaceName, 257, it->name);
  r->dwInterface = it->handle;
  r->fEnabled = it->enabled ? TRUE : FALSE;
  r->dwIfType = (ROUTER_INTERFACE_TYPE)it->type;
  r->dwConnectionState = (ROUTER_CONNECTION_STATE)it->state;
  r->fUnReachabilityReasons = it->unreachability;
  r->dwLastError = it->last_error;
}

DWORD RRouterInterfaceEnum(DIM_HANDLE hDimServer, DWORD dwLevel, PDIM_INFORMATION_CONTAINER pInfoStruct,
                           DWORD dwPreferedMaximumLength, LPDWORD lpdwEntriesRead, LPDWORD lpdwTotalEntries,
                           LPDWORD lpdwResumeHandle) {
  (void)hDimServer;
  const int call = dwLevel == 0 ? CALL_INTERFACES0 : -1;
  const DWORD resume = lpdwResumeHandle ? *lpdwResumeHandle : 0;
  DWORD status = flat_start(call, pInfoStruct, lpdwEntriesRead, lpdwTotalEntries);
  if (!status && dwLevel != 0) status = ERR_INVALID_LEVEL; /* "SHOULD be set to zero" */
  if (!status) {
    status = flat_page(call, pInfoStruct, dwPreferedMaximumLength, lpdwEntriesRead, lpdwTotalEntries, lpdwResumeHandle,
                       S.ifaces.count, sizeof(REF_MPRI_INTERFACE_0), fill_interface, NULL);
  }
  fprintf(stderr, "reference_dimsvc: opnum 20 level %lu pref %lu resume %lu -> %lu (%lu entries, %lu bytes)\n", dwLevel,
          dwPreferedMaximumLength, resume, status, *lpdwEntriesRead, pInfoStruct->dwBufferSize);
  return status;
}

/* ---- opnum 45 ---- */

/* Field paths that differ between the spec's declarations and WINE_NDR_WORKAROUNDS (dimsvc.idl). */
#ifdef WINE_NDR_WORKAROUNDS
#define EX_ARM(e) (&(e)->RasConnection1)
#define PPP_ARM(pi) (&(pi)->ProjectInfoObject.Ppp.Info)
#define IKEV2_ARM(pi) (&(pi)->ProjectInfoObject.Ikev2.Info)
#define SET_HANDLES(r, c)                                                    \
  do {                                                                       \
    if ((c)->ikev2) {                                                        \
      (r)->ProjectionInfo.ProjectInfoObject.Ikev2.hConnection = (c)->handle; \
      (r)->ProjectionInfo.ProjectInfoObject.Ikev2.hInterface = (c)->iface;   \
    } else {                                                                 \
      (r)->ProjectionInfo.ProjectInfoObject.Ppp.hConnection = (c)->handle;   \
      (r)->ProjectionInfo.ProjectInfoObject.Ppp.hInterface = (c)->iface;     \
    }                                                                        \
  } while (0)
#else
#define EX_ARM(e) (&(e)->ConnObject.RasConnection1)
#define PPP_ARM(pi) (&(pi)->ProjectInfoObject.PppProjectionInfo)
#define IKEV2_ARM(pi) (&(pi)->ProjectInfoObject.Ikev2ProjectionInfo)
#define SET_HANDLES(r, c) ((r)->hConnection = (c)->handle, (r)->hInterface = (c)->iface)
#endif

/* The IPv4 and IPv6 members both projection arms share (same names, different offsets). */
#define FILL_ARM_ADDRESSES(arm, c, v4_index, v6_index)                         \
  do {                                                                         \
    (arm)->dwIPv4NegotiationError = (c)->ipv4[0] ? 0 : ERR_PPP_NOT_NEGOTIATED; \
    wcopy((arm)->wszAddress, 16, kServerIpv4);                                 \
    wcopy((arm)->wszRemoteAddress, 16, (c)->ipv4);                             \
    (arm)->IPv4SubInterfaceIndex = (v4_index);                                 \
    if ((c)->has_ipv6) {                                                       \
      memcpy((arm)->bInterfaceIdentifier, kServerIid, 8);                      \
      memcpy((arm)->bRemoteInterfaceIdentifier, (c)->ipv6_iid, 8);             \
      memcpy((arm)->bPrefix, (c)->ipv6_prefix, 8);                             \
      (arm)->dwPrefixLength = 64;                                              \
    } else {                                                                   \
      (arm)->dwIPv6NegotiationError = ERR_PPP_NOT_NEGOTIATED;                  \
    }                                                                          \
    (arm)->IPv6SubInterfaceIndex = (v6_index);                                 \
  } while (0)

static void fill_ex(RAS_CONNECTION_EX_IDL* out, const Connection* c) {
  out->revision = 1;
  RAS_CONNECTION_EX_1_IDL* r = EX_ARM(out);
  r->Header.revision = 1;
  r->Header.type = 1;
  r->Header.size = sizeof(RAS_CONNECTION_EX_IDL);
  FILL_GENERAL(r, c);
  r->guid = guid_of(c);
  r->rasQuarState = (RAS_QUARANTINE_STATE)c->quarantine;
  memcpy(&r->dwBytesXmited, c->counters, sizeof c->counters);
  r->dwNumSwitchOvers = c->ikev2 ? 1 : 0;
  wcopy(r->wszRemoteEndpointAddress, 65, c->tunnel);
  wcopy(r->wszLocalEndpointAddress, 65, kServerEndpoint);
  /* 64-bit sub-interface indexes with both halves set, so a hyper read at the wrong place shows. */
  const ULONG64 v4_index = 0x0000000100000000ull | c->handle, v6_index = 0x0000000200000000ull | c->handle;
  PROJECTION_INFO_IDL_1* pi = &r->ProjectionInfo;
  if (c->ikev2) {
    pi->projectionInfoType = 2;
    IKEV2_PROJECTION_INFO_1* k = IKEV2_ARM(pi);
    FILL_ARM_ADDRESSES(k, c, v4_index, v6_index);
    k->dwAuthenticationProtocol = !strcmp(c->auth, "cert")  ? MPRAPI_IKEV2_AUTH_USING_CERT
                                  : !strcmp(c->auth, "eap") ? MPRAPI_IKEV2_AUTH_USING_EAP
                                                            : 0;
    k->dwEapTypeId = !strcmp(c->auth, "eap") ? 26 : 0;
    k->dwEncryptionMethod = 0x3; /* something non-zero in the last field of the arm */
  } else {
    pi->projectionInfoType = 1;
    PPP_PROJECTION_INFO_1* p = PPP_ARM(pi);
    FILL_ARM_ADDRESSES(p, c, v4_index, v6_index);
    ppp_auth(c, &p->dwRemoteAuthenticationProtocol, &p->dwRemoteAuthenticationData);
    p->dwRemoteEapTypeId = !strcmp(c->auth, "eap") ? 26 : 0;
    p->dwCcpRemoteOptions = 0x1;
  }
  SET_HANDLES(r, c);
}

DWORD RRasAdminConnectionEnumEx(DIM_HANDLE hDimServer, PMPRAPI_OBJECT_HEADER_IDL objectHeader, DWORD dwPreferedMaxLen,
                                LPDWORD lpdwEntriesRead, LPDWORD lpdNumTotalElements,
                                PRAS_CONNECTION_EX_IDL* pRasConections, LPDWORD lpdwResumeHandle) {
  (void)hDimServer;
  const DWORD resume = lpdwResumeHandle ? *lpdwResumeHandle : 0;
  *lpdwEntriesRead = *lpdNumTotalElements = 0;
  *pRasConections = NULL;
  if (!S.enum_ex) {
    /* A server without opnum 45. Registering a dispatch table one entry shorter would be the
     * natural way, but Wine 8's runtime then sends the nca_op_rng_error fault and still calls
     * the entry past the end of the table, answering the call twice. So the method raises the
     * status a runtime without the opnum reports; Wine turns it into the fault PDU. */
    fprintf(stderr, "reference_dimsvc: opnum 45 raises RPC_S_PROCNUM_OUT_OF_RANGE (no opnum 45)\n");
    RpcRaiseException(RPC_S_PROCNUM_OUT_OF_RANGE);
  }
  DWORD status = scripted(CALL_EX);
  /* 3.1.4.46: revision MUST be 1, type 1, size the size of RAS_CONNECTION_EX_IDL. How strictly
   * Windows checks is unknown; the reference insists. */
  if (!status &&
      (objectHeader->revision != 1 || objectHeader->type != 1 || objectHeader->size != sizeof(RAS_CONNECTION_EX_IDL))) {
    status = ERR_INVALID_PARAMETER;
  }
  if (!status) {
    Page p = page_of(S.conns.count, dwPreferedMaxLen, resume, sizeof(RAS_CONNECTION_EX_IDL));
    if (p.take) {
      RAS_CONNECTION_EX_IDL* arr = zalloc(p.take * sizeof *arr);
      for (size_t i = 0; i < p.take; ++i) fill_ex(&arr[i], &CONN(p.first + i));
      *pRasConections = arr;
    }
    *lpdwEntriesRead = (DWORD)p.take;
    *lpdNumTotalElements = (DWORD)p.remaining;
    if (lpdwResumeHandle) *lpdwResumeHandle = p.next_resume;
    status = p.more ? ERR_MORE_DATA : 0;
  }
  fprintf(stderr, "reference_dimsvc: opnum 45 header %u/%u/%u pref %lu resume %lu -> %lu (%lu entries)\n",
          objectHeader->revision, objectHeader->type, objectHeader->size, dwPreferedMaxLen, resume, status,
          *lpdwEntriesRead);
  return status;
}

/* ---- the opnums not served ---- */

#define STUB(n)                                                                   \
  DWORD RStub##n(DIM_HANDLE hDimServer) {                                         \
    (void)hDimServer;                                                             \
    fprintf(stderr, "reference_dimsvc: opnum %s -> %d\n", #n, ERR_NOT_SUPPORTED); \
    return ERR_NOT_SUPPORTED;                                                     \
  }
/* clang-format off */
STUB(02) STUB(03) STUB(05) STUB(06) STUB(07) STUB(08) STUB(09) STUB(10) STUB(11) STUB(12)
STUB(13) STUB(14) STUB(15) STUB(16) STUB(17) STUB(18) STUB(19) STUB(21) STUB(22)
STUB(23) STUB(24) STUB(25) STUB(26) STUB(27) STUB(28) STUB(29) STUB(30) STUB(31) STUB(32)
STUB(33) STUB(34) STUB(35) STUB(36) STUB(37) STUB(38) STUB(39) STUB(40) STUB(41) STUB(42)
STUB(43) STUB(44)
#undef STUB

/* ---- server ---- */

static DWORD g_min_auth_level;
/* clang-format on */

/* With --min-auth-level: calls below it are refused (the runtime answers access denied). */
static RPC_STATUS CALLBACK security_callback(RPC_IF_HANDLE iface, void* context) {
  (void)iface;
  ULONG level = 0, service = 0;
  RPC_STATUS st = RpcBindingInqAuthClientW(context, NULL, NULL, &level, &service, NULL);
  fprintf(stderr, "reference_dimsvc: call with auth status %ld service %lu level %lu\n", st, service, level);
  if (st != RPC_S_OK || level < g_min_auth_level) return ERROR_ACCESS_DENIED;
  return RPC_S_OK;
}

static DWORD WINAPI lifetime_thread(void* arg) {
  Sleep((DWORD)(size_t)arg);
  fprintf(stderr, "reference_dimsvc: lifetime over, exiting\n");
  fflush(stderr);
  ExitProcess(0);
  return 0;
}

/* The port the runtime listens on, from its ncacn_ip_tcp binding ("ncacn_ip_tcp:host[port]"). */
static unsigned listening_port(void) {
  RPC_BINDING_VECTOR* v = NULL;
  unsigned port = 0;
  if (RpcServerInqBindings(&v) != RPC_S_OK) return 0;
  for (ULONG i = 0; i < v->Count && !port; ++i) {
    RPC_CSTR text = NULL;
    if (RpcBindingToStringBindingA(v->BindingH[i], &text) == RPC_S_OK) {
      const char* b = strchr((const char*)text, '[');
      if (strncmp((const char*)text, "ncacn_ip_tcp:", 13) == 0 && b) port = (unsigned)atoi(b + 1);
      RpcStringFreeA(&text);
    }
  }
  RpcBindingVectorFree(&v);
  return port;
}

int main(int argc, char** argv) {
  const char *scenario = NULL, *auth = "none";
  unsigned port = 0;
  double lifetime = 120;
  for (int i = 1; i < argc; ++i) {
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(argv[i], "--scenario") && v)
      scenario = v, ++i;
    else if (!strcmp(argv[i], "--port") && v)
      port = (unsigned)atoi(v), ++i;
    else if (!strcmp(argv[i], "--lifetime") && v)
      lifetime = atof(v), ++i;
    else if (!strcmp(argv[i], "--auth") && v)
      auth = v, ++i;
    else if (!strcmp(argv[i], "--min-auth-level") && v)
      g_min_auth_level = (DWORD)atoi(v), ++i;
    else
      die("usage: --scenario FILE [--port N] [--lifetime S] [--auth none|winnt|negotiate] [--min-auth-level N]",
          argv[i]);
  }
  if (!scenario) die("--scenario is required", NULL);
  load_scenario(scenario);
  CreateThread(NULL, 0, lifetime_thread, (void*)(size_t)(lifetime * 1000), 0, NULL);

  RPC_STATUS st;
  if (port) {
    char ep[16];
    snprintf(ep, sizeof ep, "%u", port);
    st = RpcServerUseProtseqEpA((RPC_CSTR) "ncacn_ip_tcp", RPC_C_PROTSEQ_MAX_REQS_DEFAULT, (RPC_CSTR)ep, NULL);
  } else {
    st = RpcServerUseProtseqA((RPC_CSTR) "ncacn_ip_tcp", RPC_C_PROTSEQ_MAX_REQS_DEFAULT, NULL);
  }
  if (st != RPC_S_OK) {
    fprintf(stderr, "reference_dimsvc: RpcServerUseProtseq failed: %ld\n", st);
    return 1;
  }

  if (strcmp(auth, "none") != 0) {
    const unsigned long svc = !strcmp(auth, "winnt")       ? RPC_C_AUTHN_WINNT
                              : !strcmp(auth, "negotiate") ? RPC_C_AUTHN_GSS_NEGOTIATE
                                                           : 0;
    if (!svc) die("unknown --auth", auth);
    st = RpcServerRegisterAuthInfoA(NULL, svc, NULL, NULL);
    fprintf(stderr, "reference_dimsvc: RpcServerRegisterAuthInfo(%s = %lu) -> %ld\n", auth, svc, st);
    if (st != RPC_S_OK) return 1;
  }

  const unsigned flags = strcmp(auth, "none") == 0 ? RPC_IF_ALLOW_CALLBACKS_WITH_NO_AUTH : 0;
  st = RpcServerRegisterIf2(dimsvc_v0_0_s_ifspec, NULL, NULL, flags, RPC_C_LISTEN_MAX_CALLS_DEFAULT, (unsigned)-1,
                            g_min_auth_level ? security_callback : NULL);
  if (st != RPC_S_OK) {
    fprintf(stderr, "reference_dimsvc: RpcServerRegisterIf2 failed: %ld\n", st);
    return 1;
  }
  st = RpcServerListen(1, RPC_C_LISTEN_MAX_CALLS_DEFAULT, TRUE);
  if (st != RPC_S_OK) {
    fprintf(stderr, "reference_dimsvc: RpcServerListen failed: %ld\n", st);
    return 1;
  }
  const unsigned actual = port ? port : listening_port();
  fprintf(stderr, "reference_dimsvc: %zu connections, %zu interfaces, %zu ports, enum_ex %d, listening on port %u\n",
          S.conns.count, S.ifaces.count, S.ports.count, S.enum_ex, actual);
  printf("READY %u\n", actual);
  fflush(stdout);
  RpcMgmtWaitServerListen();
  return 0;
}
