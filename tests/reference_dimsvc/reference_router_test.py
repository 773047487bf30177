#!/usr/bin/python3
"""The rrasm source against the reference DIMSVC router (reference_dimsvc.exe under Wine).

Usage: reference_router_test.py <exporter-binary> <repo-root> <reference-exe>

The reference is the spec's IDL compiled by widl, its replies marshalled by Wine's rpcrt4
(README.md here). Wine's RPC runtime listens on 0.0.0.0, so this test re-executes itself in a
private network namespace that has only loopback (`unshare --net`, root; `ip link set lo up`)
and runs Wine, the reference routers, the Python fake and the exporter in there.

Starts one reference router per scenario (each exits by itself) and polls them all with one
`rras_exporter --poll-once`. Requires, for every healthy scenario, every rras_connection_* series
the scenario implies at the level the ladder must land on and rras_router_info{level}; for every
failing one rras_up 0 and the expected error in rras_poll_errors_total. Parity: the EnumEx
scenario with IKEv2 entries and a level-3 scenario also run on the Python fake
(tests/fakes/fake_dimsvc.py) from the same JSON; their per-connection series must be identical.
With a second reference build that keeps the spec's declarations as printed
(reference_dimsvc_spec_layout.exe beside the first, if present) it also reports what Wine's
unmodified marshalling does to the exporter (informational, never fails the test).

Site-to-site interfaces and ports (RRouterInterfaceEnum opnum 20, RRasAdminPortEnum opnum 4;
issue 14), two ways. The exporter polls them (S2S_POLL_CASES, on a reference and a fake each):
its rras_interface*, rras_interfaces, rras_ports_by_condition, rras_port_calls_total and
rras_configured_ports series must equal what tests/lib/dimsvc_expectations.py derives from the
scenario, on both doubles alike, and a refused, short or faulted call fails only its collector
(rras_up stays 1 with the connections). And this test calls them itself with impacket's
DCE/RPC client (hand-encoded request stubs) on a reference and a fake serving the same JSON,
pages through with small pages, and requires every reply to follow the paging rule, the raw
flat buffers of the two doubles to be byte-identical entry by entry, and the decoded entries
to equal the scenario, and (where both serve the same order) the whole reply stubs to be equal;
also level 1 (refused), a preferred length below one entry, one connection's ports, unsorted
lists, and a fault, a short buffer and a refusal by name.
Exit 0 on success, 1 on failure; a hard limit of 240 s kills everything.
RRAS_REFERENCE_KEEP_TMP=1 keeps the run's directory (scenarios, each double's log, exporter.log).
"""

import copy
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from dimsvc_expectations import (INTERFACE_FAMILIES, PORT_FAMILIES, TestFailure,  # noqa: E402  tests/lib
                                 connection_series, diff, expected_connection_series, expected_interface_series,
                                 expected_port_series, family_series, parse_metrics, server_info_level)
import scenario as scenario_file  # noqa: E402  tests/reference_dimsvc/scenario.py

HARD_TIMEOUT_S = 240
SERVER_LIFETIME_S = 150
NETNS_ENV = "RRAS_REFERENCE_IN_NETNS"
TMP_ENV = "RRAS_REFERENCE_TMP"  # the run's directory (Wine prefix, scenarios, logs), made by the parent

# Seven connections; with page_entries 3 the EnumEx pages are [IK PPP IK] [PPP IK IK] [PPP]:
# an IKEv2 entry first in a page, in the middle, and last in pages that end in ERROR_MORE_DATA.
IK, PPP = 0x10, 0x1  # RAS_FLAGS_IKEV2_CONNECTION, RAS_FLAGS_PPP_CONNECTION
CONNECTIONS = [
    {"handle": 0x101, "interface": 0x201, "user": "Jürgen", "domain": "CORP", "computer": "LAPTOP-JÜ",
     "interface_name": "Jürgen", "duration": 3600, "flags": IK, "ikev2": True, "ipv4": "10.1.0.1",
     "ipv6_prefix": "fd00000000000001", "ipv6_iid": "0000000000000042", "auth": "eap",
     "tunnel_endpoint": "2001:db8::1", "counters": [1000, 2000, 10, 20, 0, 1, 0, 0, 0, 0, 0, 0]},
    {"handle": 0x102, "interface": 0x202, "user": "用户", "domain": "公司", "computer": "PC-用户",
     "interface_name": "用户", "duration": 61, "flags": PPP, "ipv4": "10.1.0.2", "auth": "mschapv2",
     "tunnel_endpoint": "203.0.113.2", "quarantine": 2,
     "counters": [5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 40, 50]},
    {"handle": 0x103, "interface": 0x203, "user": "Zoë \"q\\b", "domain": "corp", "computer": "PHONE",
     "interface_name": "zoe", "duration": 5, "flags": IK, "ikev2": True, "ipv4": "10.1.0.3", "auth": "cert",
     "tunnel_endpoint": "192.0.2.3", "quarantine": 1, "counters": [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]},
    {"handle": 0x7FFF0104, "interface": 0x204, "user": "branch-gw", "domain": "", "computer": "",
     "if_type": 2, "interface_name": "branch-7", "duration": 86000, "flags": PPP, "ipv4": "10.1.0.4",
     "auth": "pap", "tunnel_endpoint": "198.51.100.77", "quarantine": 3,
     "counters": [4294967295, 123456789, 1, 2, 3, 4, 5, 6, 7, 8, 99, 1]},
    {"handle": 0x80000105, "interface": 0x205, "user": "bob", "domain": "CORP", "computer": "BOB-PC",
     "interface_name": "bob", "duration": 120, "flags": IK, "ikev2": True, "ipv4": "10.1.0.5", "auth": "eap",
     "ipv6_prefix": "20010db800000005", "ipv6_iid": "0a0b0c0d0e0f1011",
     "tunnel_endpoint": "2001:db8:ffff::5", "counters": [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0]},
    {"handle": 0xFFFFFF06, "interface": 0x206, "user": "carol", "domain": "CORP", "computer": "CAROL",
     "interface_name": "carol", "duration": 7, "flags": IK, "ikev2": True, "ipv4": "10.1.0.6", "auth": "cert",
     "tunnel_endpoint": "192.0.2.6", "counters": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]},
    {"handle": 0xFFFFFFF7, "interface": 0x207, "user": "dave", "domain": "CORP", "computer": "DAVE",
     "interface_name": "dave", "duration": 999, "flags": PPP, "ipv4": "10.1.0.7", "auth": "chap",
     "tunnel_endpoint": "203.0.113.7", "counters": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100, 100]},
]
SERVER = {"uptime": 86400, "total_ports": 128, "ports_in_use": 7, "pptp": 32, "l2tp": 32, "sstp": 64}


def scenario(level, **extra):
    s = {"connections": copy.deepcopy(CONNECTIONS), "server": SERVER, "server_info_level": 2,
         "enum_ex": level == "ex", "max_level": 3 if level == "ex" else int(level)}
    s.update(extra)
    return s


def ok(name, level, want, **extra):
    """A healthy router: the ladder lands on `want`."""
    return {"name": name, "scenario": scenario(level, **extra), "level": want}


def failing(name, level, error, **extra):
    return {"name": name, "scenario": scenario(level, **extra), "error": error}


CASES = [
    ok("ex-ikev2-pages", "ex", "ex", page_entries=3),
    ok("ex-unsorted", "ex", "ex", page_entries=2, unsorted=True),
    ok("ex-all-in-one", "ex", "ex"),
    ok("l3", "3", "3"),
    ok("l3-unsorted-tiny", "3", "3", page_entries=2, unsorted=True),
    ok("l2-ipx16", "2", "2"),
    ok("l2-ipx23-tiny", "2", "2", ipx_chars=23, page_entries=1),
    ok("l1-ipx16", "1", "1"),
    ok("l1-ipx23", "1", "1", ipx_chars=23),
    ok("l0", "0", "0"),
    ok("l0-unsorted", "0", "0", unsorted=True, page_entries=3),
    # EnumEx refused: the ladder steps down to level 3 on every "not here" answer.
    ok("no-opnum45", "ex", "3", refuse={"ex": 1745}),
    ok("ex-refused-120", "ex", "3", refuse={"ex": 120}),
    ok("ex-refused-50", "ex", "3", refuse={"ex": 50}),
    ok("ex-refused-127", "ex", "3", refuse={"ex": 127}),
    ok("l3-refused-124", "3", "2", refuse={"level3": 124}),
    ok("info2-refused", "ex", "ex", refuse={"info2": 124}),
    # One-off RPC faults: the exporter reconnects within the poll and the poll succeeds.
    ok("fault-ex-1726", "ex", "ex", fault={"ex": 1726}),
    ok("fault-level0-1722", "3", "3", fault={"level0": 1722}),
    ok("fault-info2-1702", "ex", "ex", fault={"info2": 1702}),
    # Server info that does not decode fails only the server collector: the connections are read.
    dict(ok("short-info0", "ex", "ex", short_buffer={"info0": 8}), failed_collector="server"),
]
FAILURES = [
    failing("denied", "ex", "ERROR_ACCESS_DENIED", status=5),
    failing("ddm-stopped", "ex", "ERROR_DDM_NOT_RUNNING", status=903),
    failing("ex-denied", "ex", "ERROR_ACCESS_DENIED", refuse={"ex": 5}),
    failing("short-level0", "0", "RPC_X_BAD_STUB_DATA", short_buffer={"level0": 100}),
    failing("short-level3", "3", "RPC_X_BAD_STUB_DATA", short_buffer={"level3": 500}),
]
# Every scenario is also served by the Python fake from the same JSON: healthy ones must give the
# reference's series exactly, failing ones the same error.
PARITY = [c["name"] for c in CASES]
SPEC_LAYOUT_CASE = "ex-ikev2-pages"  # also served by the spec-layout build (informational)

# Site-to-site (opnums 20 and 4). Names reach the field widths (interface 256, port/media/type 16,
# device 128 UTF-16 units); one port name is longer than its field (both doubles cut it).
S2S_INTERFACES = [
    {"handle": 0x11, "name": "Zweigstelle-Köln", "enabled": True, "type": 2, "state": 3},
    {"handle": 0x12, "name": "分支-上海", "enabled": True, "type": 2, "state": 0, "unreachability": 0x4,
     "last_error": 868},
    {"handle": 0xFFFFFFF0, "name": "HQ-backup-" + "x" * 246, "enabled": False, "type": 1, "state": 0,
     "unreachability": 0x2 | 0x4, "last_error": 691},
    {"handle": 0x13, "name": "branch-3", "type": 2, "state": 2},  # enabled defaults to true
    {"handle": 0x8000_0014, "name": "dod-pager", "enabled": True, "type": 7, "state": 1, "unreachability": 0x10,
     "last_error": 0xFFFFFFFF},
]
S2S_PORTS = [
    {"handle": 0x301, "connection": 0x101, "condition": 5, "calls": 12, "duration": 3600, "name": "VPN2-0",
     "media": "rastapi", "device_name": "WAN Miniport (IKEv2)", "device_type": "vpn"},
    {"handle": 0x302, "connection": 0x102, "condition": 5, "calls": 3, "duration": 61, "name": "VPN3-1",
     "media": "rastapi", "device_name": "WAN Miniport (SSTP)", "device_type": "vpn"},
    {"handle": 0x303, "condition": 3, "calls": 40, "name": "VPN4-2", "media": "rastapi",
     "device_name": "WAN Miniport (L2TP)", "device_type": "vpn"},
    {"handle": 0x304, "condition": 0, "name": "VPN1-3", "media": "rastapi",
     "device_name": "WAN Miniport (PPTP)", "device_type": "vpn"},
    {"handle": 0x305, "connection": 0x102, "condition": 4, "calls": 1, "duration": 2, "name": "VPN2-4",
     "media": "rastapi", "device_name": "WAN Miniport (IKEv2) – Zweig Köln " + "d" * 94, "device_type": "vpn"},
    {"handle": 0x306, "condition": 1, "calls": 7, "name": "VPN-port-name-longer-than-16",
     "media": "rastapi-16-chars", "device_name": "WAN Miniport (GRE)", "device_type": "device-type-16ch"},
    {"handle": 0x7FFF0307, "condition": 2, "calls": 99, "duration": 5, "name": "COM1", "media": "serial",
     "device_name": "Standard Modem", "device_type": "modem"},
    {"handle": 0x308, "condition": 6, "name": "VPN5-7", "media": "rastapi", "device_name": "WAN Miniport (IKEv2)",
     "device_type": "vpn"},
    {"handle": 0xFFFFFF09, "connection": 0x7FFF0104, "condition": 5, "calls": 4294967295, "duration": 86000,
     "name": "PPPoE5-8", "media": "PPPoE", "device_name": "WAN Miniport (PPPOE)", "device_type": "PPPoE"},
]


def s2s_scenario(**extra):
    s = {"connections": copy.deepcopy(CONNECTIONS[:4]), "interfaces": copy.deepcopy(S2S_INTERFACES),
         "ports": copy.deepcopy(S2S_PORTS)}
    s.update(extra)
    return s


S2S_CASES = [
    {"name": "s2s-pages", "scenario": s2s_scenario(page_entries=4)},
    {"name": "s2s-unsorted", "scenario": s2s_scenario(unsorted=True)},
    {"name": "s2s-scripted", "scenario": s2s_scenario(fault={"interfaces0": 1722}, short_buffer={"interfaces0": 100},
                                                      refuse={"ports0": 5})},
]


# Site-to-site interfaces and ports polled by the exporter itself (RrasmRouter::enumInterfaces and
# enumPorts, the interfaces and ports collectors): the S2S lists plus interfaces in every state, an
# unknown type and state, every unreachability bit and unknown ones, last errors with and without
# a name, and a port in an unknown condition.
POLL_INTERFACES = S2S_INTERFACES + [
    {"handle": 0x21, "name": "all-reasons", "enabled": False, "type": 2, "state": 0, "unreachability": 0x7F,
     "last_error": 5},
    {"handle": 0x22, "name": "odd-bits", "type": 9, "state": 7, "unreachability": 0x80000080, "last_error": 1722},
    {"handle": 0x23, "name": "quote \"q\\b", "type": 6, "state": 3, "unreachability": 0x8 | 0x20 | 0x40},
]
POLL_PORTS = S2S_PORTS + [
    {"handle": 0x30A, "condition": 9, "calls": 5, "name": "VPN3-9", "media": "rastapi",
     "device_name": "WAN Miniport (SSTP)", "device_type": "vpn"},
]


def s2s_poll(name, failed=(), unchecked=(), level="ex", **extra):
    """A healthy router with interfaces and ports, polled by the exporter (the ladder lands on
    `level`): the collectors in `failed` must fail (and show no series of their kind), the others
    succeed; `unchecked` ones are only reported."""
    s = scenario(level, interfaces=copy.deepcopy(POLL_INTERFACES), ports=copy.deepcopy(POLL_PORTS))
    s.update(extra)
    return {"name": name, "scenario": s, "level": level, "failed_collectors": set(failed), "unchecked": set(unchecked)}


S2S_POLL_CASES = [
    s2s_poll("s2s-all"),
    s2s_poll("s2s-paged", page_entries=2),
    s2s_poll("s2s-unsorted-paged", unsorted=True, page_entries=3),
    s2s_poll("s2s-l0", level="0", server_info_level=1),
    s2s_poll("s2s-empty", interfaces=[], ports=[]),
    # A refused call fails only its collector: rras_up stays 1 with the connections.
    s2s_poll("s2s-interfaces-denied", ["interfaces"], refuse={"interfaces0": 5}),
    s2s_poll("s2s-ports-denied", ["ports"], refuse={"ports0": 5}),
    s2s_poll("s2s-no-opnum20", ["interfaces"], refuse={"interfaces0": 1745}),
    s2s_poll("s2s-no-opnum4", ["ports"], refuse={"ports0": 1745}),
    s2s_poll("s2s-no-opnum20-or-4", ["interfaces", "ports"], refuse={"interfaces0": 1745, "ports0": 1745}),
    # Replies that do not decode (one entry claimed, fewer bytes than one struct): RPC_X_BAD_STUB_DATA.
    s2s_poll("s2s-short-interfaces", ["interfaces"], short_buffer={"interfaces0": 100}),
    s2s_poll("s2s-short-ports", ["ports"], short_buffer={"ports0": 379}),
    # A fault that loses the binding: the interfaces collector fails; what the ports collector does
    # after it (the poller drops the binding) is reported, not required.
    s2s_poll("s2s-fault-interfaces", ["interfaces"], ["ports"], fault={"interfaces0": 1722}),
]


def log(msg):
    print(f"[reference_router_test] {msg}", flush=True)


# ---- network namespace ----

def reexec_in_netns():
    """Runs this script again inside `unshare --net` and returns its exit code."""
    unshare = shutil.which("unshare")
    if not unshare:
        log("FAIL: unshare (util-linux) is missing")
        return 1
    cmd = [unshare, "--net"] if os.geteuid() == 0 else [unshare, "--user", "--map-root-user", "--net"]
    tmp = tempfile.mkdtemp(prefix="reference_dimsvc_")
    env = dict(os.environ, **{NETNS_ENV: "1", TMP_ENV: tmp})
    proc = subprocess.Popen(cmd + ["--", sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env=env,
                            start_new_session=True)
    try:
        return proc.wait(timeout=HARD_TIMEOUT_S + 10)
    except subprocess.TimeoutExpired:
        log(f"FAIL: hard timeout ({HARD_TIMEOUT_S} s); killing everything")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        Wine(tmp).stop()  # the persistent wineserver runs in a session of its own
        return 1
    finally:
        if os.environ.get("RRAS_REFERENCE_KEEP_TMP") != "1":
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            log(f"kept {tmp}")


def bring_up_loopback():
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    links = subprocess.run(["ip", "-o", "link"], check=True, capture_output=True, text=True).stdout.splitlines()
    if len(links) != 1 or ": lo:" not in links[0]:
        raise TestFailure(f"the network namespace has more than loopback: {links}")


# ---- Wine ----

class Wine:
    def __init__(self, tmp):
        self.wine = shutil.which("wine") or shutil.which("wine64")
        self.wineserver = shutil.which("wineserver")
        if not self.wine or not self.wineserver:
            raise TestFailure("wine and wineserver are needed (scripts/windows-deps.sh installs them)")
        self.env = dict(os.environ, WINEPREFIX=os.path.join(tmp, "prefix"), WINEDEBUG="-all",
                        WINEDLLOVERRIDES="winedbg.exe=d;winemenubuilder.exe=d;mscoree=d;mshtml=d",
                        HOME=tmp, XDG_DATA_HOME=os.path.join(tmp, "xdg"))
        self.env.pop("DISPLAY", None)

    def start(self):
        """A fresh prefix, then one persistent, pre-warmed wineserver (shared/research/windows.md)."""
        started = time.monotonic()
        quiet = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        subprocess.run([self.wine, "wineboot", "-i"], timeout=90, check=True, **quiet)
        subprocess.run([self.wineserver, "-k"], timeout=30, **quiet)
        subprocess.run([self.wineserver, "-p"], timeout=30, check=True, **quiet)
        subprocess.run([self.wine, "wineboot"], timeout=60, check=True, **quiet)
        log(f"Wine prefix ready in {time.monotonic() - started:.1f} s")

    def stop(self):
        if os.path.isdir(self.env["WINEPREFIX"]):
            subprocess.run([self.wineserver, "-k"], env=self.env, timeout=30, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)

    @staticmethod
    def path(unix_path):
        return "Z:" + os.path.abspath(unix_path).replace("/", "\\")


def read_ready(proc, what, timeout_s=60):
    """The first stdout line of a double ("READY <port> ..."), within timeout_s."""
    line = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout_s)
    words = line[0].split() if line else []
    if not words or words[0] != "READY":
        raise TestFailure(f"{what} did not start (first line {line!r}, exit {proc.poll()})")
    return int(words[1])


def start_reference(wine, exe, tmp, name, s, extra_args=()):
    json_path = os.path.join(tmp, name + ".json")
    with open(json_path, "w", encoding="utf-8") as f:
        json.dump(s, f, ensure_ascii=False)
    lines_path = os.path.join(tmp, name + ".txt")
    scenario_file.write(scenario_file.load(json_path), lines_path)
    proc = subprocess.Popen([wine.wine, exe, "--scenario", Wine.path(lines_path), "--port", "0",
                             "--lifetime", str(SERVER_LIFETIME_S), *extra_args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=open(os.path.join(tmp, name + ".log"), "w"), text=True, env=wine.env)
    return proc, json_path


class CallIdProxy:
    """A TCP relay in front of one reference router that gives each response and fault PDU the
    call_id of the request it answers. Wine 8's RPC server answers every request with call_id 1
    (the bind's); Samba's client numbers its requests 2, 3, ... and drops a reply whose call_id
    does not match, so without this every call ends in NT_STATUS_IO_TIMEOUT. Only those 4 header
    bytes change; the stub bytes pass through as Wine wrote them. Counts what it rewrote."""

    def __init__(self, target_port, quick_ack=False):
        # quick_ack: ACK each read from Wine at once (TCP_QUICKACK). Wine's RPC server writes a reply
        # fragment by fragment; Nagle's algorithm there holds a small fragment until the previous one
        # is ACKed, and Linux's delayed ACK here waits up to 40 ms (bench/results/poll_link.md).
        self.quick_ack = quick_ack
        self.target_port = target_port
        self.rewritten = 0
        self.replies = 0
        self.wine_call_ids = set()  # the call_ids Wine put in its replies
        self.faults = []  # the status of every fault PDU the reference sent
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept_forever, daemon=True).start()

    def accept_forever(self):
        while True:
            client, _ = self.listener.accept()
            server = socket.create_connection(("127.0.0.1", self.target_port))
            for sock in (client, server):  # each PDU leaves at once, not held by Nagle's algorithm
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            calls = []  # call_ids of the requests in flight on this connection, oldest first
            threading.Thread(target=self.relay, args=(client, server, calls, True), daemon=True).start()
            threading.Thread(target=self.relay, args=(server, client, calls, False), daemon=True).start()

    @staticmethod
    def read_pdu(sock):
        header = b""
        while len(header) < 16:
            chunk = sock.recv(16 - len(header))
            if not chunk:
                return None
            header += chunk
        frag_len = struct.unpack_from("<H", header, 8)[0]
        body = b""
        while len(body) < frag_len - 16:
            chunk = sock.recv(frag_len - 16 - len(body))
            if not chunk:
                return None
            body += chunk
        return bytearray(header + body)

    def relay(self, src, dst, calls, to_server):
        try:
            while True:
                pdu = self.read_pdu(src)
                if self.quick_ack and not to_server:
                    src.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)  # sends a pending ACK now
                if pdu is None:
                    break
                ptype, flags = pdu[2], pdu[3]
                if to_server and ptype == 0 and flags & 0x01:  # request, first fragment
                    calls.append(struct.unpack_from("<I", pdu, 12)[0])
                elif not to_server and ptype in (2, 3) and calls:  # response or fault
                    if ptype == 3:
                        self.faults.append(struct.unpack_from("<I", pdu, 24)[0])
                    want = calls[0]
                    self.replies += 1
                    self.wine_call_ids.add(struct.unpack_from("<I", pdu, 12)[0])
                    if struct.unpack_from("<I", pdu, 12)[0] != want:
                        struct.pack_into("<I", pdu, 12, want)
                        self.rewritten += 1
                    if ptype == 3 or flags & 0x02:  # a fault or the last fragment ends the call
                        calls.pop(0)
                dst.sendall(pdu)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def start_fake(root, tmp, name, json_path):
    proc = subprocess.Popen(["/usr/bin/python3", os.path.join(root, "tests/fakes/fake_dimsvc.py"),
                             "--scenario", json_path, "--lifetime", str(SERVER_LIFETIME_S)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=open(os.path.join(tmp, name + ".log"), "w"), text=True)
    return proc


# ---- site-to-site interfaces and ports: opnums 20 and 4, called with impacket ----

DIMSVC_UUID = ("8f09f000-b7ed-11ce-bbd2-00001a181cad", "0.0")
OPNUM_PORT_ENUM, OPNUM_INTERFACE_ENUM = 4, 20
MPRI_INTERFACE_0_SIZE, RASI_PORT_0_SIZE = 540, 380  # [MS-RRASM] 2.2.1.2.81, 2.2.1.2.75 (README.md)
ALL_PORTS = 0xFFFFFFFF  # hRasConnection INVALID_HANDLE_VALUE: every port
ERROR_MORE_DATA, ERROR_INVALID_LEVEL = 234, 124


class DimsvcClient:
    """impacket's DCE/RPC client bound to DIMSVC over ncacn_ip_tcp, calling opnums with raw stubs.
    It does not look at the call_id of replies (rpcrt.DCERPC_v5.recv), so it talks to Wine's RPC
    server directly, without CallIdProxy."""

    def __init__(self, port):
        from impacket.dcerpc.v5 import transport  # Debian's python3-impacket (the fake needs it too)
        from impacket.uuid import uuidtup_to_bin
        rpc = transport.DCERPCTransportFactory(f"ncacn_ip_tcp:127.0.0.1[{port}]")
        rpc.set_connect_timeout(10)
        self.dce = rpc.get_dce_rpc()
        self.dce.connect()
        self.dce.bind(uuidtup_to_bin(DIMSVC_UUID))

    def call(self, opnum, stub):
        """The reply stub, or ("fault", message) for a fault PDU."""
        from impacket.dcerpc.v5.rpcrt import DCERPCException
        self.dce.call(opnum, stub)
        try:
            return self.dce.recv()
        except DCERPCException as e:
            return ("fault", str(e))

    def close(self):
        self.dce.disconnect()


def interface_enum_stub(pref, resume, level=0):
    """RRouterInterfaceEnum request (3.1.4.21): dwLevel, pInfoStruct {dwBufferSize 0, pBuffer NULL},
    dwPreferedMaximumLength, lpdwResumeHandle (unique pointer: referent, value)."""
    return struct.pack("<IIIIII", level, 0, 0, pref, 0x20000, resume)


def port_enum_stub(pref, resume, connection=ALL_PORTS, level=0):
    """RRasAdminPortEnum request (3.1.4.5): dwLevel, hRasConnection, then as opnum 20."""
    return struct.pack("<IIIIIII", level, connection, 0, 0, pref, 0x20000, resume)


def decode_flat_reply(stub):
    """The reply of opnums 1, 4, 20: DIM_INFORMATION_CONTAINER (size, referent, [max_count, bytes,
    pad to 4]), entries read, total, resume handle (referent [, value]), status."""
    if isinstance(stub, tuple):
        return {"fault": stub[1]}
    size, ref = struct.unpack_from("<II", stub, 0)
    off, buffer = 8, b""
    if ref:
        (count,) = struct.unpack_from("<I", stub, off)
        if count != size:
            raise TestFailure(f"conformant count {count} is not dwBufferSize {size}")
        buffer = bytes(stub[off + 4:off + 4 + size])
        off += 4 + size + (-size % 4)
    read, total, resume_ref = struct.unpack_from("<III", stub, off)
    off += 12
    resume = None
    if resume_ref:
        (resume,) = struct.unpack_from("<I", stub, off)
        off += 4
    (status,) = struct.unpack_from("<I", stub, off)
    if off + 4 != len(stub):
        raise TestFailure(f"{len(stub) - off - 4} bytes after the status in a {len(stub)}-byte reply")
    if len(buffer) != size:
        raise TestFailure(f"pBuffer has {len(buffer)} bytes, dwBufferSize says {size}")
    return {"size": size, "buffer": buffer, "read": read, "total": total, "resume": resume, "status": status,
            "raw": bytes(stub)}


def first_difference(a, b):
    at = next((k for k in range(min(len(a), len(b))) if a[k] != b[k]), min(len(a), len(b)))
    return f"{len(a)} and {len(b)} bytes, first difference at byte {at}: {a[at:at + 12].hex()} / {b[at:at + 12].hex()}"


def same_stubs(what, ref, fake, failures):
    """The whole reply stubs (NDR framing, referents, padding) of the two doubles must be equal:
    the fake writes its NDR by hand, Wine's rpcrt4 marshals the reference's from the IDL."""
    if ref.get("raw") != fake.get("raw"):
        failures.append(f"{what}: reply stubs differ (reference / fake): "
                        f"{first_difference(ref.get('raw', b''), fake.get('raw', b''))}")


def utf16_field(entry, off, chars):
    """A NUL-terminated WCHAR[chars] field; everything after the terminator must be zero."""
    raw = entry[off:off + 2 * chars]
    text = raw.decode("utf-16-le").split("\0", 1)[0]
    if raw[len(text.encode("utf-16-le")):].strip(b"\0") or raw[-2:] != b"\0\0":
        raise TestFailure(f"WCHAR[{chars}] field at {off} ({text!r}) is not NUL-terminated and zero-filled")
    return text


def decode_interface(e):
    handle, enabled, typ, state, unreachability, last_error = struct.unpack_from("<6I", e, 516)
    if e[514:516] != b"\0\0":
        raise TestFailure("the 2 alignment bytes after wszInterfaceName are not zero")
    return {"handle": handle, "name": utf16_field(e, 0, 257), "enabled": enabled, "type": typ, "state": state,
            "unreachability": unreachability, "last_error": last_error}


def decode_port(e):
    handle, connection, condition, calls, duration = struct.unpack_from("<5I", e, 0)
    return {"handle": handle, "connection": connection, "condition": condition, "calls": calls,
            "duration": duration, "name": utf16_field(e, 20, 17), "media": utf16_field(e, 54, 17),
            "device_name": utf16_field(e, 88, 129), "device_type": utf16_field(e, 346, 17)}


def cut(text, chars):
    """What a WCHAR[chars] field keeps of `text`: chars - 1 UTF-16 units."""
    return text.encode("utf-16-le")[:2 * (chars - 1)].decode("utf-16-le")


def expected_interface(x):
    return {"handle": x["handle"], "name": cut(x.get("name", ""), 257), "enabled": 1 if x.get("enabled", True) else 0,
            "type": x.get("type", 0), "state": x.get("state", 0), "unreachability": x.get("unreachability", 0),
            "last_error": x.get("last_error", 0)}


def expected_port(x):
    return {"handle": x["handle"], "connection": x.get("connection", 0), "condition": x.get("condition", 0),
            "calls": x.get("calls", 0), "duration": x.get("duration", 0), "name": cut(x.get("name", ""), 17),
            "media": cut(x.get("media", ""), 17), "device_name": cut(x.get("device_name", ""), 129),
            "device_type": cut(x.get("device_type", ""), 17)}


def expected_pages(n, pref, entry_size, page_entries):
    """(read, total, resume, status) of each page from resume 0, by the rule at the top of
    reference_dimsvc.c (3.1.4.2 / 3.1.4.46), computed here a third time."""
    pages, first = [], 0
    while True:
        remaining = n - first
        take = remaining if pref == 0xFFFFFFFF else 0 if pref < entry_size else pref // entry_size + 1
        take = min(take, page_entries or take, remaining)
        more = take < remaining
        pages.append((take, remaining, first + take if more else 0, ERROR_MORE_DATA if more else 0))
        if not more or take == 0:
            return pages
        first += take


def page_through(client, opnum, make_stub, pref):
    """Every page from resume 0 until a status other than ERROR_MORE_DATA (at most 50 pages)."""
    pages, resume = [], 0
    while len(pages) < 50:
        page = decode_flat_reply(client.call(opnum, make_stub(pref, resume)))
        pages.append(page)
        if page.get("status") != ERROR_MORE_DATA or not page["read"]:
            return pages
        resume = page["resume"]
    raise TestFailure("more than 50 pages")


def check_enumeration(what, ref_pages, fake_pages, entry_size, decode, expected, want_pages, ordered, failures):
    """Both doubles' pages: the paging rule, byte-identical entries, the scenario's fields."""
    shape = [(p.get("read"), p.get("total"), p.get("resume"), p.get("status")) for p in ref_pages]
    fake_shape = [(p.get("read"), p.get("total"), p.get("resume"), p.get("status")) for p in fake_pages]
    if shape != want_pages or fake_shape != want_pages:
        failures.append(f"{what}: pages (read, total, resume, status) reference {shape}, fake {fake_shape}, "
                        f"rule {want_pages}")
        return
    entries = {}
    for side, pages in (("reference", ref_pages), ("fake", fake_pages)):
        got = []
        for i, p in enumerate(pages):
            if p["size"] != p["read"] * entry_size:
                failures.append(f"{what}: {side} page {i}: {p['size']} bytes for {p['read']} entries of {entry_size}")
                return
            got += [p["buffer"][k:k + entry_size] for k in range(0, p["size"], entry_size)]
        entries[side] = got
    ref, fake = entries["reference"], entries["fake"]
    if ordered:
        for i, (r, f) in enumerate(zip(ref_pages, fake_pages)):
            same_stubs(f"{what} page {i}", r, f, failures)
    else:  # each double has its own unsorted order: pair the entries by handle
        handle_at = 516 if entry_size == MPRI_INTERFACE_0_SIZE else 0  # dwInterface / dwPort

        def handle(e):
            return struct.unpack_from("<I", e, handle_at)[0]
        for side, es in (("reference", ref), ("fake", fake)):
            hs = [handle(e) for e in es]
            if hs == sorted(hs) or len(hs) < 3:
                failures.append(f"{what}: the {side} served {[hex(h) for h in hs]}: not out of handle order")
        ref, fake = sorted(ref, key=handle), sorted(fake, key=handle)
    for i, (r, f) in enumerate(zip(ref, fake)):
        if r != f:
            at = next(k for k in range(entry_size) if r[k] != f[k])
            failures.append(f"{what}: entry {i} differs between reference and fake from byte {at}: "
                            f"reference {r[at:at + 16].hex()} fake {f[at:at + 16].hex()}")
            return
    try:
        got = [decode(e) for e in ref]
    except (TestFailure, UnicodeDecodeError) as e:
        failures.append(f"{what}: an entry of the reference (the fake's are the same bytes) does not decode: {e}")
        return
    if got != expected:
        bad = next(i for i in range(max(len(got), len(expected)))
                   if i >= len(got) or i >= len(expected) or got[i] != expected[i])
        failures.append(f"{what}: entry {bad} decodes to {got[bad] if bad < len(got) else None}, "
                        f"the scenario says {expected[bad] if bad < len(expected) else None}")


def s2s_checks(ports_by_name, cases, failures):
    """Opnums 20 and 4 on the reference and the fake of each S2S_CASES scenario."""
    clients = {name: DimsvcClient(port) for name, port in ports_by_name.items()}
    try:
        def both(name, opnum, stub):
            ref, fake = (decode_flat_reply(clients[n].call(opnum, stub)) for n in (name, "fake-" + name))
            if "fault" not in ref and "fault" not in fake:
                same_stubs(f"{name} opnum {opnum} request {stub.hex()}", ref, fake, failures)
            return [ref, fake]

        pages_case = cases["s2s-pages"]
        s, pe = pages_case["scenario"], pages_case["scenario"]["page_entries"]
        ifaces = [expected_interface(x) for x in sorted(s["interfaces"], key=lambda x: x["handle"])]
        ports = [expected_port(x) for x in sorted(s["ports"], key=lambda x: x["handle"])]
        for pref in (600, 0xFFFFFFFF, MPRI_INTERFACE_0_SIZE):  # 2 a page; all but page_entries; 2 again
            ref, fake = (page_through(clients[n], OPNUM_INTERFACE_ENUM, interface_enum_stub, pref)
                         for n in ("s2s-pages", "fake-s2s-pages"))
            check_enumeration(f"s2s-pages interfaces pref {pref:#x}", ref, fake, MPRI_INTERFACE_0_SIZE,
                              decode_interface, ifaces, expected_pages(len(ifaces), pref, MPRI_INTERFACE_0_SIZE, pe),
                              True, failures)
        for pref in (1000, 0xFFFFFFFF, 380 * 5):  # 3 a page; page_entries (4); page_entries again
            ref, fake = (page_through(clients[n], OPNUM_PORT_ENUM, port_enum_stub, pref)
                         for n in ("s2s-pages", "fake-s2s-pages"))
            check_enumeration(f"s2s-pages ports pref {pref:#x}", ref, fake, RASI_PORT_0_SIZE, decode_port, ports,
                              expected_pages(len(ports), pref, RASI_PORT_0_SIZE, pe), True, failures)
        # One connection's ports (hRasConnection), in one page.
        for conn in (0x102, 0x7FFF0104, 0x999):
            mine = [p for p in ports if p["connection"] == conn]
            ref, fake = (page_through(clients[n], OPNUM_PORT_ENUM,
                                      lambda pref, resume, c=conn: port_enum_stub(pref, resume, connection=c),
                                      0xFFFFFFFF) for n in ("s2s-pages", "fake-s2s-pages"))
            check_enumeration(f"s2s-pages ports of connection {conn:#x}", ref, fake, RASI_PORT_0_SIZE, decode_port,
                              mine, expected_pages(len(mine), 0xFFFFFFFF, RASI_PORT_0_SIZE, pe), True, failures)
        # Fewer bytes than one entry: none, ERROR_MORE_DATA, the resume handle where it was.
        for opnum, stub, n in ((OPNUM_INTERFACE_ENUM, interface_enum_stub(539, 0), len(ifaces)),
                               (OPNUM_PORT_ENUM, port_enum_stub(379, 0), len(ports))):
            for side in both("s2s-pages", opnum, stub):
                got = (side.get("read"), side.get("total"), side.get("resume"), side.get("status"), side.get("size"))
                if got != (0, n, 0, ERROR_MORE_DATA, 0):
                    failures.append(f"opnum {opnum} below one entry: (read, total, resume, status, size) {got}")
        # Level 1: neither is served (3.1.4.5 "MUST be" 0, 3.1.4.21 "SHOULD be" 0).
        for opnum, stub in ((OPNUM_INTERFACE_ENUM, interface_enum_stub(0xFFFFFFFF, 0, level=1)),
                            (OPNUM_PORT_ENUM, port_enum_stub(0xFFFFFFFF, 0, level=1))):
            for side in both("s2s-pages", opnum, stub):
                if side.get("status") != ERROR_INVALID_LEVEL or side.get("size") != 0:
                    failures.append(f"opnum {opnum} level 1: {side}, expected ERROR_INVALID_LEVEL and no buffer")

        s = cases["s2s-unsorted"]["scenario"]
        for opnum, stub, size, decode, want in (
                (OPNUM_INTERFACE_ENUM, interface_enum_stub, MPRI_INTERFACE_0_SIZE, decode_interface, ifaces),
                (OPNUM_PORT_ENUM, port_enum_stub, RASI_PORT_0_SIZE, decode_port, ports)):
            ref, fake = (page_through(clients[n], opnum, stub, 2 * size) for n in ("s2s-unsorted", "fake-s2s-unsorted"))
            check_enumeration(f"s2s-unsorted opnum {opnum}", ref, fake, size, decode, want,
                              expected_pages(len(want), 2 * size, size, 0), False, failures)

        # A fault (1722, once), then a short buffer (100 bytes, one entry claimed), by call name.
        first = both("s2s-scripted", OPNUM_INTERFACE_ENUM, interface_enum_stub(0xFFFFFFFF, 0))
        if any("6ba" not in side.get("fault", "").lower() for side in first):
            failures.append(f"s2s-scripted interfaces0: first call {first}, expected a fault with status 0x6ba")
        full = next(x for x in S2S_INTERFACES if x["handle"] == min(i["handle"] for i in S2S_INTERFACES))
        want = {"size": 100, "read": 1, "total": 1, "resume": 0, "status": 0}
        for side in both("s2s-scripted", OPNUM_INTERFACE_ENUM, interface_enum_stub(0xFFFFFFFF, 0)):
            got = {k: side.get(k) for k in want}
            buffer = side.get("buffer", b"")
            if got != want or buffer[:100] != (utf16_bytes(full["name"]) + b"\0" * 100)[:100]:
                failures.append(f"s2s-scripted interfaces0 short buffer: {got}, buffer {buffer[:24].hex()}..., "
                                f"expected {want} and the first 100 bytes of {full['name']!r}'s entry")
        for side in both("s2s-scripted", OPNUM_PORT_ENUM, port_enum_stub(0xFFFFFFFF, 0)):
            if side.get("status") != 5 or side.get("size") != 0 or side.get("read") != 0:
                failures.append(f"s2s-scripted ports0 refused with 5: got {side}")
    finally:
        for c in clients.values():
            c.close()


def utf16_bytes(text):
    return text.encode("utf-16-le")


def router_yaml(name, port):
    return "\n".join([f"  - name: {name}", "    source: rrasm", "    server: 127.0.0.1", "    transport: tcp",
                      f"    port: {port}", "    auth_level: none", "    timeout: 10s"])


def poll_once(exporter, tmp, routers):
    config = os.path.join(tmp, "exporter.yml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("global:\n  poll_interval: 60s\n  poll_timeout: 60s\n  page_size_bytes: 4000\n  per_connection_families: [info, start_time, sent_bytes, received_bytes, sent_frames, received_frames, errors, compression]\nrouters:\n")
        f.write("\n".join(router_yaml(n, p) for n, p in routers) + "\n")
    started = time.monotonic()
    run = subprocess.run([exporter, f"--config.file={config}", "--poll-once", "--log.level=debug"],
                         capture_output=True, text=True, timeout=150)
    with open(os.path.join(tmp, "exporter.log"), "w", encoding="utf-8") as f:
        f.write(run.stderr)
    log(f"--poll-once of {len(routers)} routers: exit {run.returncode} after {time.monotonic() - started:.1f} s")
    return parse_metrics(run.stdout), run


def router_label(samples, router, new):
    """The samples of `router` with the router label replaced (for comparing two routers)."""
    out = {}
    for (name, labels), v in samples.items():
        if ("router", router) in labels:
            out[(name, tuple(sorted((k, new if k == "router" else x) for k, x in labels)))] = v
    return out


def check_healthy(samples, c, failures):
    name = c["name"]
    if samples.get(("rras_up", (("router", name),))) != 1:
        failures.append(f"{name}: rras_up is {samples.get(('rras_up', (('router', name),)))}, expected 1")
    info = [k for k in samples if k[0] == "rras_router_info" and ("router", name) in k[1]]
    if not info or ("level", c["level"]) not in info[0][1]:
        failures.append(f"{name}: rras_router_info {info} does not have level {c['level']}")
    failed = set(c.get("failed_collectors", ())) | ({c["failed_collector"]} if "failed_collector" in c else set())
    for collector in ("connections", "server", "interfaces", "ports"):
        if collector in c.get("unchecked", ()):
            continue
        want_ok = 0 if collector in failed else 1
        got_ok = samples.get(("rras_collector_success", (("collector", collector), ("router", name))))
        if got_ok != want_ok:
            failures.append(f"{name}: rras_collector_success{{collector=\"{collector}\"}} is {got_ok}, "
                            f"expected {want_ok}")
    got = connection_series(samples, name)
    want = expected_connection_series(name, c["level"], c["scenario"]["connections"])
    if got != want:
        failures.append(f"{name}: per-connection series differ from the scenario; {diff(got, want)}")
    s = c["scenario"]
    for kind, families, expected in (
            ("interfaces", INTERFACE_FAMILIES, lambda: expected_interface_series(name, s.get("interfaces", []))),
            ("ports", PORT_FAMILIES, lambda: expected_port_series(name, s.get("ports", []), s.get("server"),
                                                                  server_info_level(s)))):
        if kind in c.get("unchecked", ()):
            continue
        got = family_series(samples, name, families)
        want = {} if kind in failed else expected()
        if got != want:
            failures.append(f"{name}: {kind} series differ from the scenario; {diff(got, want)}")


def check_failing(samples, c, failures):
    name = c["name"]
    if samples.get(("rras_up", (("router", name),))) != 0:
        failures.append(f"{name}: rras_up is {samples.get(('rras_up', (('router', name),)))}, expected 0")
    key = ("rras_poll_errors_total", tuple(sorted({"router": name, "error": c["error"]}.items())))
    if not samples.get(key):
        seen = [dict(k[1]).get("error") for k in samples
                if k[0] == "rras_poll_errors_total" and ("router", name) in k[1]]
        failures.append(f"{name}: no rras_poll_errors_total{{error=\"{c['error']}\"}} (errors seen: {seen})")
    if connection_series(samples, name):
        failures.append(f"{name}: a failing router has connection series")


def check_parity(samples, name, failures):
    ref = connection_series(router_label(samples, name, "x"), "x", with_start=True)
    fake = connection_series(router_label(samples, "fake-" + name, "x"), "x", with_start=True)
    for side, series, router in (("reference", ref, name), ("Python fake", fake, "fake-" + name)):
        if not series:
            errors = [dict(k[1]).get("error") for k in samples
                      if k[0] == "rras_poll_errors_total" and ("router", router) in k[1]]
            failures.append(f"parity {name}: the {side}'s router has no connection series "
                            f"(rras_up {samples.get(('rras_up', (('router', router),)))}, errors {errors})")
    if not ref or not fake:
        return
    starts = [k for k in set(ref) | set(fake) if k[0] == "rras_connection_start_timestamp_seconds"]
    for k in starts:  # two polls a moment apart: the same start within 2 s
        if k not in ref or k not in fake or abs(ref[k] - fake[k]) > 2:
            failures.append(f"parity {name}: start timestamp {k} reference {ref.get(k)} fake {fake.get(k)}")
        ref.pop(k, None)
        fake.pop(k, None)
    if ref != fake:
        failures.append(f"parity {name}: the Python fake's series differ from the reference's "
                        f"(got = fake, want = reference); {diff(fake, ref)}")


def check_s2s_parity(samples, name, failures):
    """The interfaces and ports series and every collector's success: the same on both doubles."""
    families = INTERFACE_FAMILIES + PORT_FAMILIES + ("rras_collector_success", "rras_up")
    ref = family_series(router_label(samples, name, "x"), "x", families)
    fake = family_series(router_label(samples, "fake-" + name, "x"), "x", families)
    if ref != fake:
        failures.append(f"parity {name}: the Python fake's interfaces/ports series differ from the reference's "
                        f"(got = fake, want = reference); {diff(fake, ref)}")


def collector_report(samples, c):
    """What the `unchecked` collectors of a case did, on both doubles (logged, never required)."""
    out = []
    for router in (c["name"], "fake-" + c["name"]):
        for collector in sorted(c.get("unchecked", ())):
            got = samples.get(("rras_collector_success", (("collector", collector), ("router", router))))
            out.append(f"{router} {collector}={got}")
    return ", ".join(out)


def dump_logs(tmp):
    for f in sorted(os.listdir(tmp)):
        if f.endswith(".log"):
            text = open(os.path.join(tmp, f), encoding="utf-8", errors="replace").read()
            text = "\n".join(line for line in text.splitlines() if "wine32 is missing" not in line
                             and "multiarch needs" not in line and "execute \"dpkg" not in line
                             and "apt-get install wine32" not in line)
            if text.strip():
                log(f"--- {f} (tail)\n{text[-2500:]}")


def run(exporter, root, exe):
    bring_up_loopback()
    procs = []
    tmp = os.environ[TMP_ENV]
    wine = Wine(tmp)
    try:
        wine.start()
        routers = []
        spec_exe = os.path.join(os.path.dirname(exe), "reference_dimsvc_spec_layout.exe")
        pending = []
        for c in CASES + FAILURES + S2S_POLL_CASES:
            proc, json_path = start_reference(wine, exe, tmp, c["name"], c["scenario"])
            procs.append(proc)
            pending.append((c["name"], proc, "reference " + c["name"]))
            fake = start_fake(root, tmp, "fake-" + c["name"], json_path)  # the same JSON
            procs.append(fake)
            pending.append(("fake-" + c["name"], fake, "fake " + c["name"]))
            if c["name"] == SPEC_LAYOUT_CASE and os.path.exists(spec_exe):
                proc, _ = start_reference(wine, spec_exe, tmp, "spec-layout-" + c["name"], c["scenario"])
                procs.append(proc)
                pending.append(("spec-layout-" + c["name"], proc, "spec-layout reference"))
        s2s_pending = []
        for c in S2S_CASES:  # not polled by the exporter: opnums 20 and 4 are called below
            proc, json_path = start_reference(wine, exe, tmp, c["name"], c["scenario"])
            fake = start_fake(root, tmp, "fake-" + c["name"], json_path)
            procs += [proc, fake]
            s2s_pending += [(c["name"], proc, "reference " + c["name"]), ("fake-" + c["name"], fake, "fake " + c["name"])]
        proxies = {}
        for name, proc, what in pending:
            port = read_ready(proc, what)
            if not name.startswith("fake-"):
                proxies[name] = CallIdProxy(port)
                port = proxies[name].port
            routers.append((name, port))
        s2s_ports = {name: read_ready(proc, what) for name, proc, what in s2s_pending}
        log(f"{len(routers)} DIMSVC doubles listening for the exporter, {len(s2s_ports)} for opnums 20 and 4")

        failures = []
        started = time.monotonic()
        try:
            s2s_checks(s2s_ports, {c["name"]: c for c in S2S_CASES}, failures)
        except (TestFailure, struct.error, UnicodeDecodeError) as e:  # a reply that does not parse
            failures.append(f"opnums 20 and 4: {type(e).__name__}: {e}")
        log(f"opnums 20 and 4 on {len(S2S_CASES)} scenarios, reference and fake: {time.monotonic() - started:.1f} s, "
            f"{len(failures)} failures")
        samples, result = poll_once(exporter, tmp, routers)
        for c in CASES + S2S_POLL_CASES:
            check_healthy(samples, c, failures)
        for c in FAILURES:
            check_failing(samples, c, failures)
        for name in PARITY + [c["name"] for c in S2S_POLL_CASES]:
            check_parity(samples, name, failures)
        for c in CASES + S2S_POLL_CASES:
            check_healthy(samples, dict(c, name="fake-" + c["name"]), failures)
            check_s2s_parity(samples, c["name"], failures)
        for c in S2S_POLL_CASES:
            if c["unchecked"]:
                log(f"informational: {c['name']}: {collector_report(samples, c)}")
        for c in FAILURES:
            check_failing(samples, dict(c, name="fake-" + c["name"]), failures)
        if result.returncode == 0:
            failures.append("--poll-once exited 0 although routers failed")
        spec = "spec-layout-" + SPEC_LAYOUT_CASE
        if any(n == spec for n, _ in routers):
            errors = [dict(k[1]).get("error") for k in samples
                      if k[0] == "rras_poll_errors_total" and ("router", spec) in k[1]]
            up = samples.get(("rras_up", (("router", spec),)))
            log(f"informational: the spec-layout build (Wine marshalling the spec's declarations as "
                f"printed) gives rras_up {up}, errors {errors}")
        log(f"call_id rewritten in {sum(p.rewritten for p in proxies.values())} of "
            f"{sum(p.replies for p in proxies.values())} reply PDUs from Wine's RPC server (Wine's call_ids: "
            f"{sorted(set().union(*(p.wine_call_ids for p in proxies.values())))})")
        for name, proxy in sorted(proxies.items()):
            if proxy.faults:
                log(f"{name}: fault PDUs with status {', '.join(f'{f:#x}' for f in proxy.faults)}")
        if failures:
            raise TestFailure("\n  ".join(failures))
        log(f"{len(CASES)} healthy scenarios match at their levels, {len(FAILURES)} failing ones report their "
            f"errors, the Python fake agrees on all {len(CASES) + len(FAILURES)}; opnums 20 and 4 agree on "
            f"{len(S2S_CASES)} scenarios called directly; the exporter's interfaces and ports series match "
            f"{len(S2S_POLL_CASES)} scenarios on both doubles")
        print("1 passed, 0 failed")
        return 0
    except (TestFailure, subprocess.SubprocessError, OSError) as e:
        log(f"FAIL: {e}")
        dump_logs(tmp)
        return 1
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
            p.wait()
        wine.stop()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    exporter, root, exe = sys.argv[1:]
    if not os.path.isfile(exe):
        log(f"FAIL: no reference router at {exe!r}: its build needs x86_64-w64-mingw32-widl "
            "(Debian mingw-w64-tools), x86_64-w64-mingw32-gcc-posix and wine (scripts/windows-deps.sh "
            "installs them), then a re-run of cmake")
        return 1
    if os.environ.get(NETNS_ENV) != "1":
        return reexec_in_netns()
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TestFailure("hard timeout")))
    signal.alarm(HARD_TIMEOUT_S)
    return run(exporter, root, exe)


if __name__ == "__main__":
    sys.exit(main())
