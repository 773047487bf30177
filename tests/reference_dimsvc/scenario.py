#!/usr/bin/python3
"""DIMSVC scenarios for the reference router: the JSON the Python fake reads, as the flat line
file reference_dimsvc.exe reads (its format is documented at the top of reference_dimsvc.c).

One JSON scenario is the input of record for both doubles (tests/fakes/fake_dimsvc.py documents
the keys). The keys the reference understands:

  server_info_level, max_level, enum_ex, ipx_chars, page_entries, status, server, connections
                 as for the fake.
  interfaces     [{handle, name, enabled (bool), type (ROUTER_INTERFACE_TYPE: 2 full router,
                  i.e. two-way demand-dial), state (ROUTER_CONNECTION_STATE: 0 unreachable,
                  1 disconnected, 2 connecting, 3 connected), unreachability (bit mask),
                  last_error}]: the MPRI_INTERFACE_0 entries of opnum 20 (RRouterInterfaceEnum).
  ports          [{handle, connection, condition (RAS_PORT_CONDITION: 0 non-operational,
                  1 disconnected, 2 calling back, 3 listening, 4 authenticating, 5 authenticated,
                  6 initializing), calls, duration, name, media, device_name, device_type}]: the
                  RASI_PORT_0 entries of opnum 4 (RRasAdminPortEnum).
                 In both, a missing number is 0 (enabled: true) and a missing text empty; handle
                 is required. page_entries, status and unsorted apply to them as to connections.
  unsorted       true: serve the entries in a fixed order that is not handle order (descending
                 by handle with the first two swapped), the same at every level, page and call.
  refuse         {call: code}: the call answers this Win32 status; call is "ex", "level0".."level3",
                 "info0".."info2", "interfaces0" (opnum 20) or "ports0" (opnum 4). "ex": 1745 is a
                 server without opnum 45 (as enum_ex false): the call fails with the fault
                 nca_op_rng_error (README.md says how Wine sends it).
  fault          {call: code}: the first such call raises this RPC exception (RpcRaiseException);
                 Wine's runtime turns it into a fault PDU. Later calls are answered.
  short_buffer   {call: bytes}: opnum 0 / 1 / 4 / 20 answers success with a pBuffer this long (the
                 first bytes of the real one; the enumerations claim one entry).

hang_opnums is the fake's only (the reference cannot hold a call open); a scenario that uses it,
or any key not listed, is refused here.

Usage: scenario.py SCENARIO.json OUT.txt
"""

import json
import sys
import urllib.parse

CALLS = ("ex", "level0", "level1", "level2", "level3", "info0", "info1", "info2", "interfaces0", "ports0")
INT_KEYS = ("server_info_level", "max_level", "ipx_chars", "page_entries", "status")
BOOL_KEYS = ("enum_ex", "unsorted")
SERVER_KEYS = ("uptime", "total_ports", "ports_in_use", "pptp", "l2tp", "sstp")
CONNECTION_NUMBERS = ("handle", "interface", "duration", "flags", "if_type", "quarantine")
CONNECTION_TEXT = ("user", "domain", "computer", "interface_name", "ipv4", "tunnel_endpoint", "auth")
CONNECTION_HEX = ("ipv6_prefix", "ipv6_iid")
INTERFACE_NUMBERS = ("handle", "type", "state", "unreachability", "last_error")
INTERFACE_TEXT = ("name",)
PORT_NUMBERS = ("handle", "connection", "condition", "calls", "duration")
PORT_TEXT = ("name", "media", "device_name", "device_type")


class ScenarioError(ValueError):
    pass


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def encode(text):
    """Percent-encoded UTF-8: every byte outside [A-Za-z0-9._~-] as %XX."""
    return urllib.parse.quote(str(text), safe="")


def _number(where, v):
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 0xFFFFFFFF:
        raise ScenarioError(f"{where}: want a number 0..2^32-1, got {v!r}")
    return str(v)


def _connection_line(i, c):
    tokens = []
    for key, value in c.items():
        where = f"connections[{i}].{key}"
        if key in CONNECTION_NUMBERS:
            tokens.append(f"{key}={_number(where, value)}")
        elif key == "ikev2":
            tokens.append(f"ikev2={1 if value else 0}")
        elif key in CONNECTION_TEXT:
            tokens.append(f"{key}={encode(value)}")
        elif key in CONNECTION_HEX:
            if len(value) != 16 or any(ch not in "0123456789abcdefABCDEF" for ch in value):
                raise ScenarioError(f"{where}: want 16 hex digits, got {value!r}")
            tokens.append(f"{key}={value}")
        elif key == "counters":
            if len(value) != 12:
                raise ScenarioError(f"{where}: want 12 counters, got {len(value)}")
            tokens.append("counters=" + ",".join(_number(where, v) for v in value))
        else:
            raise ScenarioError(f"{where}: unknown connection key")
    if "handle" not in c:
        raise ScenarioError(f"connections[{i}]: no handle")
    return "connection " + " ".join(tokens)


def _item_line(kind, i, item, numbers, texts):
    """An `interface` or `port` line: numbers decimal, texts percent-encoded, enabled 0|1."""
    tokens = []
    for key, value in item.items():
        where = f"{kind}s[{i}].{key}"
        if key in numbers:
            tokens.append(f"{key}={_number(where, value)}")
        elif key in texts:
            tokens.append(f"{key}={encode(value)}")
        elif kind == "interface" and key == "enabled":
            tokens.append(f"enabled={1 if value else 0}")
        else:
            raise ScenarioError(f"{where}: unknown {kind} key")
    if "handle" not in item:
        raise ScenarioError(f"{kind}s[{i}]: no handle")
    return f"{kind} " + " ".join(tokens)


def to_lines(scenario):
    """The scenario as the reference's line format (a str ending in a newline)."""
    lines = ["# reference_dimsvc scenario (generated by tests/reference_dimsvc/scenario.py)"]
    for key, value in scenario.items():
        if key in INT_KEYS:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ScenarioError(f"{key}: want a number, got {value!r}")
            lines.append(f"{key} {value}")
        elif key in BOOL_KEYS:
            lines.append(f"{key} {1 if value else 0}")
        elif key in ("refuse", "fault", "short_buffer"):
            for call, code in value.items():
                if call not in CALLS or (key == "short_buffer" and call == "ex"):
                    raise ScenarioError(f"{key}: unknown call {call!r}")
                lines.append(f"{key} {call} {_number(key + '.' + call, code)}")
        elif key == "server":
            unknown = set(value) - set(SERVER_KEYS)
            if unknown:
                raise ScenarioError(f"server: unknown keys {sorted(unknown)}")
            lines.append("server " + " ".join(f"{k}={_number('server.' + k, v)}" for k, v in value.items()))
        elif key == "connections":
            lines += [_connection_line(i, c) for i, c in enumerate(value)]
        elif key == "interfaces":
            lines += [_item_line("interface", i, x, INTERFACE_NUMBERS, INTERFACE_TEXT) for i, x in enumerate(value)]
        elif key == "ports":
            lines += [_item_line("port", i, x, PORT_NUMBERS, PORT_TEXT) for i, x in enumerate(value)]
        elif key == "hang_opnums":
            raise ScenarioError("hang_opnums: the reference cannot hold a call open (the fake can)")
        else:
            raise ScenarioError(f"unknown scenario key {key!r}")
    return "\n".join(lines) + "\n"


def write(scenario, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(to_lines(scenario))


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        write(load(argv[1]), argv[2])
    except (OSError, ValueError) as e:
        print(f"scenario.py: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
