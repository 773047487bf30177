"""What the exporter must show for a DIMSVC scenario (the JSON both DIMSVC doubles read: the
Python fake, tests/fakes/fake_dimsvc.py, and the reference router, tests/reference_dimsvc), and
a parser for its exposition. Shared by the rrasm integration tests (system python, standard
library only)."""

import ipaddress
import re

QUARANTINE = ["normal", "quarantine", "probation", "not_capable"]
INTERFACE_TYPES = ["client", "home_router", "full_router", "dedicated", "internal", "loopback", "tunnel", "dialout"]
PPP_AUTH = {"pap", "spap", "chap", "mschap", "mschapv2", "eap"}
ERROR_KINDS = ["crc", "timeout", "alignment", "hardware_overrun", "framing", "buffer_overrun"]


class TestFailure(Exception):
    pass


def parse_metrics(text):
    """{(name, sorted label tuple): value} of an exposition (label values stay escaped)."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$', line)
        if not m:
            raise TestFailure(f"unparsable exposition line: {line!r}")
        labels = tuple(sorted(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or "")))
        samples[(m.group(1), labels)] = float(m.group(4))
    return samples


def esc(v):
    """A label value as the exposition escapes it."""
    return v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def client_ipv6(c):
    """The client's IPv6 address a scenario connection implies (prefix + interface id), or ""."""
    if not c.get("ipv6_prefix"):
        return ""
    return str(ipaddress.IPv6Address(bytes.fromhex(c["ipv6_prefix"] + c.get("ipv6_iid", "0" * 16))))


def protocol(c, level):
    if level == "ex":
        return "ikev2" if c.get("ikev2") else "ppp"
    return "ppp" if c["flags"] & 1 else "unknown"


def expected_connection_series(router, level, connections):
    """Every rras_connection_* sample (but start timestamps) the scenario implies when the ladder
    lands on `level` ("ex", "3", "2", "1" or "0")."""
    out = {}
    ex = level == "ex"
    lvl = 4 if ex else int(level)
    for c in connections:
        base = (("connection", str(c["handle"])), ("router", router), ("user", esc(c["user"])))
        if ex:
            auth = ("ikev2_" + c["auth"]) if c.get("ikev2") else c["auth"]
        else:
            auth = c["auth"] if lvl >= 2 and c["auth"] in PPP_AUTH else ""
        info = dict(base)
        info.update({"domain": esc(c["domain"]), "remote_computer": esc(c["computer"]),
                     "interface_type": INTERFACE_TYPES[c.get("if_type", 0)], "protocol": protocol(c, level),
                     "client_ipv4": c["ipv4"] if lvl >= 1 else "",
                     "client_ipv6": client_ipv6(c) if (ex or lvl == 3) else "",
                     "tunnel_endpoint": esc(c["tunnel_endpoint"]) if ex else "", "auth_protocol": auth,
                     "quarantine_state": QUARANTINE[c.get("quarantine", 0)] if (ex or lvl == 3) else "unknown"})
        out[("rras_connection_info", tuple(sorted(info.items())))] = 1.0
        if lvl < 1:
            continue
        k = c["counters"]
        for name, v in (("sent_bytes", k[0]), ("received_bytes", k[1]), ("sent_frames", k[2]),
                        ("received_frames", k[3])):
            out[(f"rras_connection_{name}_total", base)] = float(v)
        for i, kind in enumerate(ERROR_KINDS):
            out[("rras_connection_errors_total", tuple(sorted(base + (("kind", kind),))))] = float(k[4 + i])
        for direction, v in (("in", k[10]), ("out", k[11])):
            out[("rras_connection_compression_ratio", tuple(sorted(base + (("direction", direction),))))] = v / 100
    return out


def connection_series(samples, router, with_start=False):
    """The rras_connection_* samples of `router` (start timestamps only if asked)."""
    return {k: v for k, v in samples.items()
            if k[0].startswith("rras_connection_") and k[0] != "rras_connection_series_dropped"
            and ("router", router) in k[1] and (with_start or k[0] != "rras_connection_start_timestamp_seconds")}


def diff(got, want, limit=3):
    """A short description of how two sample dicts differ, or "" when they are equal."""
    if got == want:
        return ""
    missing = sorted(set(want) - set(got))[:limit]
    extra = sorted(set(got) - set(want))[:limit]
    wrong = [(k, got[k], want[k]) for k in want if k in got and got[k] != want[k]][:limit]
    return f"missing {missing} extra {extra} wrong {wrong}"


# ---- site-to-site interfaces (opnum 20, MPRI_INTERFACE_0) and ports (opnum 4, RASI_PORT_0) ----

INTERFACE_STATES = ["unreachable", "disconnected", "connecting", "connected"]  # ROUTER_CONNECTION_STATE 0..3
PORT_CONDITIONS = ["non_operational", "disconnected", "calling_back", "listening", "authenticating",
                   "authenticated", "initializing"]  # RAS_PORT_CONDITION 0..6
# fUnReachabilityReasons bits ([MS-RRASM] 2.2.1.2.81: MPR_INTERFACE_*, lower case, no prefix).
UNREACHABILITY_REASONS = {0x1: "out_of_resources", 0x2: "admin_disabled", 0x4: "connection_failure",
                          0x8: "service_paused", 0x10: "dialout_hours_restriction", 0x20: "no_media_sense",
                          0x40: "no_device"}
# The Win32/RPC/RAS codes the exporter calls by name (DESIGN §2: "Errors carry the numeric code and
# its symbolic name"); every other code is "0x%08X". The set is the exporter's choice (kept in step
# with src/router/api_status.cpp by hand: a code named there and not here fails the reference test);
# the values are winerror.h's and raserror.h's.
API_CODE_NAMES = {0: "NO_ERROR", 5: "ERROR_ACCESS_DENIED", 13: "ERROR_INVALID_DATA", 50: "ERROR_NOT_SUPPORTED",
                  87: "ERROR_INVALID_PARAMETER", 120: "ERROR_CALL_NOT_IMPLEMENTED", 124: "ERROR_INVALID_LEVEL",
                  127: "ERROR_PROC_NOT_FOUND", 234: "ERROR_MORE_DATA", 903: "ERROR_DDM_NOT_RUNNING",
                  1062: "ERROR_SERVICE_NOT_ACTIVE", 1460: "ERROR_TIMEOUT", 1223: "ERROR_CANCELLED",
                  995: "ERROR_OPERATION_ABORTED", 1818: "RPC_S_CALL_CANCELLED", 1702: "RPC_S_INVALID_BINDING",
                  1722: "RPC_S_SERVER_UNAVAILABLE", 1726: "RPC_S_CALL_FAILED", 1745: "RPC_S_PROCNUM_OUT_OF_RANGE",
                  1717: "RPC_S_UNKNOWN_IF", 1326: "ERROR_LOGON_FAILURE", 1312: "ERROR_NO_SUCH_LOGON_SESSION",
                  1783: "RPC_X_BAD_STUB_DATA",
                  # RAS errors (raserror.h, RASBASE 600) a demand-dial interface reports as its last error.
                  608: "ERROR_DEVICE_DOES_NOT_EXIST", 619: "ERROR_PORT_DISCONNECTED",
                  629: "ERROR_REMOTE_DISCONNECTION", 630: "ERROR_HARDWARE_FAILURE", 633: "ERROR_PORT_NOT_AVAILABLE",
                  650: "ERROR_SERVER_NOT_RESPONDING", 651: "ERROR_FROM_DEVICE", 652: "ERROR_UNRECOGNIZED_RESPONSE",
                  676: "ERROR_LINE_BUSY", 678: "ERROR_NO_ANSWER", 679: "ERROR_NO_CARRIER",
                  691: "ERROR_AUTHENTICATION_FAILURE", 718: "ERROR_PPP_TIMEOUT",
                  720: "ERROR_PPP_NO_PROTOCOLS_CONFIGURED", 731: "ERROR_PROTOCOL_NOT_CONFIGURED",
                  800: "ERROR_AUTOMATIC_VPN_FAILED", 807: "ERROR_VPN_DISCONNECT", 808: "ERROR_VPN_REFUSED",
                  809: "ERROR_VPN_TIMEOUT", 810: "ERROR_VPN_BAD_CERT", 811: "ERROR_VPN_BAD_PSK",
                  827: "ERROR_IPSEC_SERVICE_STOPPED", 828: "ERROR_IDLE_TIMEOUT", 835: "ERROR_INVALID_SERVER_CERT"}
# The tunnel protocols of "WAN Miniport (<protocol>)" device names.
PORT_PROTOCOLS = ("sstp", "ikev2", "l2tp", "pptp", "gre", "pppoe")
INTERFACE_FAMILIES = ("rras_interface_info", "rras_interface_enabled", "rras_interface_state",
                      "rras_interface_unreachable_reason", "rras_interface_last_error_info", "rras_interfaces")
PORT_FAMILIES = ("rras_ports_by_condition", "rras_port_calls_total", "rras_configured_ports")


def api_code_name(code):
    return API_CODE_NAMES.get(code, f"0x{code:08X}")


def wchar_field(text, chars):
    """What a WCHAR[chars] field of the doubles keeps of `text` (they cut to chars - 1 UTF-16 units)."""
    return text.encode("utf-16-le")[:2 * (chars - 1)].decode("utf-16-le")


def port_protocol(device_name):
    """The tunnel protocol of a RAS port from its device name: "WAN Miniport (SSTP)" is sstp, and so
    for IKEv2, L2TP, PPTP, GRE and PPPoE; any other device (a modem, ...) is other."""
    m = re.match(r"^WAN Miniport \(([^)]*)\)", device_name)
    name = m.group(1).lower() if m else ""
    return name if name in PORT_PROTOCOLS else "other"


def expected_interface_series(router, interfaces):
    """Every rras_interface* / rras_interfaces sample the scenario's `interfaces` imply."""
    out, counts = {}, {}
    for x in interfaces:
        name = esc(wchar_field(x.get("name", ""), 257))
        typ = x.get("type", 0)
        typ = INTERFACE_TYPES[typ] if typ < len(INTERFACE_TYPES) else "unknown"
        state = x.get("state", 0)
        state = INTERFACE_STATES[state] if state < len(INTERFACE_STATES) else "unknown"
        iface = (("interface", name), ("router", router))
        out[("rras_interface_info", tuple(sorted(iface + (("type", typ),))))] = 1.0
        out[("rras_interface_enabled", iface)] = 1.0 if x.get("enabled", True) else 0.0
        for s in INTERFACE_STATES:
            out[("rras_interface_state", tuple(sorted(iface + (("state", s),))))] = 1.0 if s == state else 0.0
        bits = x.get("unreachability", 0)
        for bit in (1 << k for k in range(32)):
            if bits & bit:
                reason = UNREACHABILITY_REASONS.get(bit, f"0x{bit:08X}")
                out[("rras_interface_unreachable_reason", tuple(sorted(iface + (("reason", reason),))))] = 1.0
        if x.get("last_error", 0):
            error = api_code_name(x["last_error"])
            out[("rras_interface_last_error_info", tuple(sorted(iface + (("error", error),))))] = 1.0
        counts[(typ, state)] = counts.get((typ, state), 0) + 1
    for (typ, state), n in counts.items():
        out[("rras_interfaces", (("router", router), ("state", state), ("type", typ)))] = float(n)
    return out


def server_info_level(scenario):
    """The MPR_SERVER_n level the exporter's server info lands on for a scenario (both doubles answer
    up to server_info_level, default 2): the highest one not refused; None when level 0 (uptime and
    ports, always read) does not answer or decode."""
    level = scenario.get("server_info_level", 2)
    refused = scenario.get("refuse", {})
    while level >= 0 and f"info{level}" in refused:
        level -= 1
    bad0 = "info0" in refused or "info0" in scenario.get("short_buffer", {}) or scenario.get("status")
    if level < 0 or bad0 or f"info{level}" in scenario.get("short_buffer", {}):
        return None
    return level


def expected_port_series(router, ports, server=None, server_info_level=None):
    """rras_ports_by_condition (every condition of every protocol present, 0 included),
    rras_port_calls_total and, with server info at level 1 or 2 (MPR_SERVER_1: PPTP and L2TP ports,
    MPR_SERVER_2: also SSTP), rras_configured_ports."""
    out, protocols = {}, {}
    for p in ports:
        proto = port_protocol(wchar_field(p.get("device_name", ""), 129))
        conditions, calls = protocols.setdefault(proto, ({}, [0]))
        c = p.get("condition", 0)
        label = PORT_CONDITIONS[c] if c < len(PORT_CONDITIONS) else "unknown"
        conditions[label] = conditions.get(label, 0) + 1
        calls[0] += p.get("calls", 0)
    for proto, (conditions, calls) in protocols.items():
        for c in PORT_CONDITIONS:
            key = (("condition", c), ("protocol", proto), ("router", router))
            out[("rras_ports_by_condition", key)] = float(conditions.get(c, 0))
        out[("rras_port_calls_total", (("protocol", proto), ("router", router)))] = float(calls[0])
    if server and server_info_level in (1, 2):
        configured = [("pptp", "pptp"), ("l2tp", "l2tp")] + ([("sstp", "sstp")] if server_info_level == 2 else [])
        for proto, key in configured:
            out[("rras_configured_ports", (("protocol", proto), ("router", router)))] = float(server.get(key, 0))
    return out


def family_series(samples, router, families):
    """The samples of `families` for `router`."""
    return {k: v for k, v in samples.items() if k[0] in families and ("router", router) in k[1]}
