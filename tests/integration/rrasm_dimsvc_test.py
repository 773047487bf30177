#!/usr/bin/python3
"""Integration test of the rrasm source against the fake DIMSVC (tests/fakes/fake_dimsvc.py).

Usage: rrasm_dimsvc_test.py <exporter-binary> <repo-root>

Starts one fake per router (impacket, 127.0.0.1 only, each stops itself after a bounded time):
every enumeration level the ladder can land on (EnumEx, 3, 2, 1, 0) on both transports
(ncacn_ip_tcp, and ncacn_np \\PIPE\\ROUTER behind impacket's SMB server with NTLMv2), both IPX
widths and tiny pages; plus access denied, DDM not running and a wrong password, a server that
never answers an enumeration and one that accepts TCP and never speaks. Runs the exporter on all
of them at once, fetches /metrics and requires, for each healthy router, that every
rras_connection_* series and the router-level gauges equal what the scenario implies and that its
poll was not held up by the hung ones; for each failing router rras_up 0 with the right error;
for routers whose interface (opnum 20) or port (opnum 4) call hangs or answers a malformed reply,
rras_up 1 with their connections and only that collector failed; and that no password reaches
the log.
Exit 0 on success, 1 on failure. Hard limit 150 s.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from testlib import free_port  # noqa: E402  tests/lib
from dimsvc_expectations import (INTERFACE_TYPES, TestFailure, connection_series, diff,  # noqa: E402  tests/lib
                                 esc, expected_connection_series, expected_interface_series,
                                 expected_port_series, family_series, parse_metrics, server_info_level)

HARD_TIMEOUT_S = 150
PASSWORD, WRONG_PASSWORD = "Fake-Pass-1 with spaces", "not-the-password-9"

CONNECTIONS = [
    {"handle": 0x11, "interface": 0x21, "user": "alice", "domain": "CORP", "computer": "LAPTOP-1",
     "interface_name": "alice", "duration": 3600, "flags": 1, "ipv4": "10.1.0.5", "auth": "mschapv2",
     "tunnel_endpoint": "203.0.113.5", "counters": [1000, 2000, 10, 20, 0, 0, 0, 0, 0, 0, 40, 50]},
    {"handle": 0x7FFF0012, "interface": 0x22, "user": "Zoë \"q\\b", "domain": "CORP", "computer": "PC-2",
     "interface_name": "zoe", "duration": 60, "ikev2": True, "flags": 16, "ipv4": "10.1.0.6",
     "ipv6_prefix": "fd00000000000001", "ipv6_iid": "0000000000000042", "auth": "eap",
     "tunnel_endpoint": "2001:db8::9", "quarantine": 1, "counters": [5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 0, 0]},
    {"handle": 0x13, "interface": 0x23, "user": "branch-gw", "domain": "", "computer": "", "if_type": 2,
     "interface_name": "branch-7", "duration": 86000, "flags": 1, "ipv4": "10.1.0.7", "auth": "pap",
     "quarantine": 2, "tunnel_endpoint": "198.51.100.77",
     "counters": [4294967295, 123456789, 1, 2, 3, 4, 5, 6, 7, 8, 99, 1]},
    {"handle": 0xFFFFFFF0, "interface": 0x24, "user": "alice", "domain": "corp", "computer": "PHONE",
     "interface_name": "alice", "duration": 5, "ikev2": True, "flags": 16, "ipv4": "10.1.0.8",
     "auth": "cert", "tunnel_endpoint": "192.0.2.1", "counters": [1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]},
]
SERVER = {"uptime": 86400, "total_ports": 128, "ports_in_use": 4, "pptp": 32, "l2tp": 32, "sstp": 64}


def log(msg):
    print(f"[rrasm_dimsvc_test] {msg}", flush=True)


def case(name, transport, level, **extra):
    s = {"connections": CONNECTIONS, "server": SERVER, "server_info_level": 2,
         "enum_ex": level == "ex", "max_level": 3 if level == "ex" else int(level)}
    s.update(extra)
    return {"name": name, "transport": transport, "level": level, "scenario": s}


CASES = [case(f"{t}-{lvl}", t, lvl) for t in ("tcp", "np") for lvl in ("ex", "3", "2", "1", "0")]
# Variants: the SDK's IPX width (strides 288/844) and one entry per page.
CASES += [case("tcp-2-ipx23-tiny", "tcp", "2", ipx_chars=23, page_entries=1),
          case("np-1-ipx23", "np", "1", ipx_chars=23),
          case("np-ex-tiny", "np", "ex", page_entries=1)]
FAILURES = [
    dict(case("denied", "np", "ex", status=5), error="ERROR_ACCESS_DENIED"),
    dict(case("ddm-stopped", "tcp", "ex", status=903), error="ERROR_DDM_NOT_RUNNING"),
    dict(case("wrong-password", "np", "ex"), error="ERROR_LOGON_FAILURE", password=WRONG_PASSWORD),
    # Hung servers: the poller's deadline must end their polls while the others go on.
    dict(case("hangs-enumerating", "tcp", "ex", hang_opnums=[1, 45]), error="POLL_DEADLINE_EXCEEDED",
         poll_timeout="3s"),
    dict(case("black-hole", "np", "ex"), error="POLL_DEADLINE_EXCEEDED", poll_timeout="3s", black_hole=True),
]
# Interfaces (opnum 20) and ports (opnum 4) for the collector faults below.
INTERFACES = [
    {"handle": 0x31, "name": "Zweigstelle-Köln", "type": 2, "state": 3},
    {"handle": 0x32, "name": "branch-7", "type": 2, "state": 0, "unreachability": 4, "last_error": 678},
]
PORTS = [
    {"handle": 0x41, "connection": 0x11, "condition": 5, "calls": 3, "name": "VPN2-0", "device_name": "WAN Miniport (SSTP)"},
    {"handle": 0x42, "condition": 3, "calls": 7, "name": "VPN3-1", "device_name": "WAN Miniport (IKEv2)"},
]
INTERFACE_FAMILIES = {"rras_interface_info", "rras_interface_enabled", "rras_interface_state",
                      "rras_interface_unreachable_reason", "rras_interface_last_error_info", "rras_interfaces"}
PORT_FAMILIES = {"rras_ports_by_condition", "rras_port_calls_total", "rras_configured_ports"}
# A call after the connections fails: the router stays up with them; only that collector fails (after
# a hang, also the ones it kept from being reached), with `error`. The fake serves one client at a
# time and a hung call blocks it for good, so the hung routers are judged on their first poll.
COLLECTOR_FAULTS = [
    dict(case("interfaces-hang", "tcp", "ex", interfaces=INTERFACES, ports=PORTS, hang_opnums=[20]),
         failed=["interfaces", "ports"], error="POLL_DEADLINE_EXCEEDED", poll_timeout="3s",
         detail="the interfaces collector did not finish"),
    dict(case("ports-hang", "tcp", "ex", interfaces=INTERFACES, ports=PORTS, hang_opnums=[4]),
         failed=["ports"], error="POLL_DEADLINE_EXCEEDED", poll_timeout="3s",
         detail="the ports collector did not finish"),
    dict(case("interfaces-malformed", "tcp", "ex", interfaces=INTERFACES, ports=PORTS,
              short_buffer={"interfaces0": 100}),
         failed=["interfaces"], error="RPC_X_BAD_STUB_DATA", detail="MprAdminInterfaceEnum failed"),
    dict(case("ports-malformed", "np", "ex", interfaces=INTERFACES, ports=PORTS, short_buffer={"ports0": 200}),
         failed=["ports"], error="RPC_X_BAD_STUB_DATA", detail="MprAdminPortEnum failed"),
]
# A healthy poll takes well under a second here (0.1-0.2 s under ASan). One that waited for the
# black hole's connect (which Samba holds for 60 s) would run into its own 20 s poll_timeout.
HEALTHY_POLL_LIMIT_S = 5.0
# Healthy routers poll again after this long: their second poll surely overlaps the black hole's
# connect, whatever the start-up jitter did to the first one.
HEALTHY_POLL_INTERVAL = "4s"


def start_black_hole():
    """A listener on 127.0.0.1 that accepts connections and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []

    def accept_forever():
        while True:
            held.append(listener.accept()[0])

    threading.Thread(target=accept_forever, daemon=True).start()
    return listener.getsockname()[1]


def start_fake(root, tmp, c):
    if c.get("black_hole"):
        c["smb_port"] = start_black_hole()
        return None
    path = os.path.join(tmp, c["name"] + ".json")
    with open(path, "w") as f:
        json.dump(c["scenario"], f)
    cmd = ["/usr/bin/python3", os.path.join(root, "tests/fakes/fake_dimsvc.py"), "--scenario", path,
           "--password", PASSWORD, "--lifetime", str(HARD_TIMEOUT_S)]
    if c["transport"] == "np":
        c["smb_port"] = free_port()
        cmd += ["--smb-port", str(c["smb_port"])]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, c["name"] + ".log"), "w"),
                            text=True)
    line = proc.stdout.readline().split()
    if not line or line[0] != "READY":
        raise TestFailure(f"fake for {c['name']} did not start: {line}")
    c["tcp_port"] = int(line[1])
    return proc


def router_yaml(tmp, c):
    lines = [f"  - name: {c['name']}", "    source: rrasm", "    server: 127.0.0.1",
             f"    transport: {c['transport']}", "    auth_level: none", "    timeout: 5s"]
    if "poll_timeout" in c:
        lines.append(f"    poll_timeout: {c['poll_timeout']}")
    else:
        lines.append(f"    poll_interval: {HEALTHY_POLL_INTERVAL}")
    if c["transport"] == "tcp":
        lines.append(f"    port: {c['tcp_port']}")
    else:
        pw_file = os.path.join(tmp, c["name"] + ".pass")
        with open(pw_file, "w") as f:
            f.write(c.get("password", PASSWORD) + "\n")
        lines += [f"    port: {c['smb_port']}",
                  f"    credentials: {{domain: WORKGROUP, username: rrasadmin, password_file: {pw_file}}}"]
    return "\n".join(lines)


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return parse_metrics(r.read().decode())


def last_success(samples, c):
    return samples.get(("rras_last_poll_success_timestamp_seconds", (("router", c["name"]),)), 0)


def check_healthy_durations(samples, which, failures):
    """Every healthy router's last poll was quick: none waited for a hung router. Returns the slowest."""
    slowest = 0.0
    for c in CASES:
        took = samples.get(("rras_poll_duration_seconds", (("router", c["name"]),)))
        slowest = max(slowest, took or 0.0)
        if took is None or took > HEALTHY_POLL_LIMIT_S:
            failures.append(f"{c['name']}: its {which} poll took {took} s (limit {HEALTHY_POLL_LIMIT_S} s): "
                            "held up by a hung router?")
    return slowest


def check_router(samples, c, failures):
    name, level = c["name"], c["level"]
    got = connection_series(samples, name)
    want = expected_connection_series(name, level, CONNECTIONS)
    if got != want:
        failures.append(f"{name}: per-connection series differ; {diff(got, want)}")
    router_level = {
        "rras_up": 1, "rras_ports": SERVER["total_ports"], "rras_ports_in_use": SERVER["ports_in_use"],
        "rras_server_uptime_seconds": SERVER["uptime"], "rras_users": 3, "rras_users_with_multiple_connections": 1,
    }
    for metric, value in router_level.items():
        v = samples.get((metric, (("router", name),)))
        if v != value:
            failures.append(f"{name}: {metric} is {v}, expected {value}")
    info = [k for k in samples if k[0] == "rras_router_info" and ("router", name) in k[1]]
    if not info or ("level", level) not in info[0][1]:
        failures.append(f"{name}: rras_router_info {info} does not have level {level}")
    counts = {}
    for c2 in CONNECTIONS:
        protocol = ("ikev2" if c2.get("ikev2") else "ppp") if level == "ex" else ("ppp" if c2["flags"] & 1 else "unknown")
        key = (INTERFACE_TYPES[c2.get("if_type", 0)], protocol)
        counts[key] = counts.get(key, 0) + 1
    for (itype, protocol), n in counts.items():
        labels = tuple(sorted({"router": name, "interface_type": itype, "protocol": protocol}.items()))
        if samples.get(("rras_connections", labels)) != n:
            failures.append(f"{name}: rras_connections{{{itype},{protocol}}} is "
                            f"{samples.get(('rras_connections', labels))}, expected {n}")
    last = samples.get(("rras_last_poll_success_timestamp_seconds", (("router", name),)), 0)
    for c2 in CONNECTIONS:
        key = ("rras_connection_start_timestamp_seconds",
               (("connection", str(c2["handle"])), ("router", name), ("user", esc(c2["user"]))))
        start = samples.get(key)
        if start is None or abs(start - (last - c2["duration"])) > 3:
            failures.append(f"{name}: start of {c2['handle']} is {start}, expected about {last - c2['duration']}")


def check_collector_fault(samples, logtext, c, failures):
    """The router is up with its connections; the collectors in c["failed"] are at 0 with their
    series gone and their error logged; the others are at 1 with every series the scenario implies."""
    name, scenario = c["name"], c["scenario"]
    check_router(samples, c, failures)
    expected = {
        "interfaces": (INTERFACE_FAMILIES, expected_interface_series(name, scenario["interfaces"])),
        "ports": (PORT_FAMILIES, expected_port_series(name, scenario["ports"], scenario["server"],
                                                     server_info_level(scenario))),
    }
    for collector in ("connections", "server", "interfaces", "ports"):
        want = 0 if collector in c["failed"] else 1
        got = samples.get(("rras_collector_success", (("collector", collector), ("router", name))))
        if got != want:
            failures.append(f"{name}: rras_collector_success{{collector={collector}}} is {got}, expected {want}")
        if collector in expected:
            families, series = expected[collector]
            got_series = family_series(samples, name, families)
            want_series = {} if collector in c["failed"] else series
            if got_series != want_series:
                failures.append(f"{name}: {collector} series differ; {diff(got_series, want_series)}")
    for collector in c["failed"]:
        pattern = (rf'msg="collector failed" router={re.escape(name)} collector={collector} '
                   rf'error={c["error"]} detail="[^"]*')
        logged = re.search(pattern, logtext)
        if not logged:
            failures.append(f"{name}: no log that collector {collector} failed with {c['error']}")
        elif collector == c["failed"][0] and c["detail"] not in logged.group(0):
            failures.append(f"{name}: the {collector} failure does not say {c['detail']!r}: {logged.group(0)}")


def main():
    exporter, root = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TestFailure("hard timeout")))
    signal.alarm(HARD_TIMEOUT_S)
    procs = []
    with tempfile.TemporaryDirectory(prefix="rrasm_dimsvc_") as tmp:
        try:
            all_cases = CASES + FAILURES + COLLECTOR_FAULTS
            for c in all_cases:
                proc = start_fake(root, tmp, c)
                if proc:
                    procs.append(proc)
            port = free_port()
            config = os.path.join(tmp, "rrasm.yml")
            with open(config, "w") as f:
                f.write("global:\n  poll_interval: 30s\n  poll_timeout: 20s\n  page_size_bytes: 4000\n  per_connection_families: [info, start_time, sent_bytes, received_bytes, sent_frames, received_frames, errors, compression]\nrouters:\n")
                f.write("\n".join(router_yaml(tmp, c) for c in all_cases) + "\n")
            stderr_path = os.path.join(tmp, "exporter.log")
            exporter_proc = subprocess.Popen([exporter, f"--config.file={config}",
                                              f"--web.listen-address=127.0.0.1:{port}", "--log.level=debug"],
                                             stdout=subprocess.DEVNULL, stderr=open(stderr_path, "w"))
            procs.append(exporter_proc)
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2) as r:
                        if r.status == 200:
                            break
                except Exception:
                    pass
                if time.time() > deadline or exporter_proc.poll() is not None:
                    raise TestFailure("the exporter did not become ready")
                time.sleep(0.2)
            samples = scrape(port)
            failures = []
            for c in CASES:
                check_router(samples, c, failures)
            # On the first poll: after it a hung fake serves nobody (the next poll is 30 s away).
            logtext = open(stderr_path).read()
            for c in COLLECTOR_FAULTS:
                check_collector_fault(samples, logtext, c, failures)
            slowest = check_healthy_durations(samples, "first", failures)
            # Second polls, while the black hole's connect certainly waits.
            first_success = {c["name"]: last_success(samples, c) for c in CASES}
            deadline = time.time() + 20
            while True:
                samples = scrape(port)
                if all(last_success(samples, c) > first_success[c["name"]] for c in CASES):
                    break
                if time.time() > deadline:
                    raise TestFailure("\n  ".join(["the healthy routers did not all poll a second time within 20 s"]
                                                  + failures[:8]))
                time.sleep(0.5)
            slowest = max(slowest, check_healthy_durations(samples, "second", failures))
            for c in FAILURES:
                if samples.get(("rras_up", (("router", c["name"]),))) != 0:
                    failures.append(f"{c['name']}: rras_up is not 0")
                key = ("rras_poll_errors_total", tuple(sorted({"router": c["name"], "error": c["error"]}.items())))
                if not samples.get(key):
                    failures.append(f"{c['name']}: no rras_poll_errors_total with error {c['error']}")
                if any(k[0] == "rras_connection_info" and ("router", c["name"]) in k[1] for k in samples):
                    failures.append(f"{c['name']}: failing router has connection series")
            # The black hole's connect ignores cancellation (Samba's own timeout is 60 s): shutdown
            # leaves it behind after its poll_timeout (clamped to 1..5 s) instead of waiting for it.
            longest_deadline = max(min(max(float(c["poll_timeout"].rstrip("s")), 1.0), 5.0)
                                   for c in all_cases if c.get("black_hole"))
            stop_started = time.time()
            exporter_proc.send_signal(signal.SIGTERM)
            code = exporter_proc.wait(timeout=15)
            took = time.time() - stop_started
            if code != 0 or took > longest_deadline + 1.5:
                failures.append(f"SIGTERM with a connect hanging: exit {code} after {took:.1f} s "
                                f"(wanted 0 within {longest_deadline} s + 1.5 s)")
            logtext = open(stderr_path).read()
            if not re.search(r'leaving it behind" router=black-hole', logtext):
                failures.append("shutdown did not leave the black hole's connect behind (or did not say so)")
            if "inside an open stack frame" in logtext:
                failures.append("a Samba wait kept the lock all rrasm routers share")
            if "check domain, username and password_file" not in logtext:
                failures.append("the wrong password's error does not say what to check")
            for secret in (PASSWORD, WRONG_PASSWORD):
                if secret in logtext:
                    failures.append("a password appears in the exporter's log")
            if failures:
                raise TestFailure("\n  ".join(failures))
            log(f"{len(CASES)} routers match their scenarios (both transports, levels ex..0), "
                f"{len(FAILURES)} failing routers report their errors, {len(COLLECTOR_FAULTS)} stay up with one "
                f"collector failed; slowest healthy poll {slowest:.3f} s")
            print("1 passed, 0 failed")
            return 0
        except TestFailure as e:
            log(f"FAIL: {e}")
            try:
                log("exporter log tail:\n" + open(os.path.join(tmp, "exporter.log")).read()[-3000:])
            except OSError:
                pass
            return 1
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                p.wait()


if __name__ == "__main__":
    sys.exit(main())
