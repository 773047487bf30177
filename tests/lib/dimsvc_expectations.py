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
