#!/usr/bin/env python3
"""Poll time over a slow link (issue 15 item 1): the exporter's `--poll-once` against a DIMSVC far
end through bench/slow_link.py, for connections x RTT x level, with the issue's targets marked.

Usage: poll_link.py [--exporter build/release/rras_exporter] [--connections 1000,10000,30000]
                    [--rtt-ms 0,10,50,200] [--levels ex,3] [--page-size-bytes N]
                    [--transports tcp,np] [--far-ends fake,reference] [--cell-timeout 600]
                    [--skip CELLS] [--out bench/results/poll_link.md]

Far ends, one per (connections, level, transport), each serving a mix of PPP and IKEv2 connections
(half each):
- `fake`: the Python fake DIMSVC (tests/fakes/fake_dimsvc.py, impacket) on 127.0.0.1, over
  ncacn_ip_tcp (`tcp`, auth level none) or \\PIPE\\ROUTER behind impacket's SMB2 server (`np`:
  NTLMv2, SMB signing, RPC auth level none; the proxy sits between the exporter and the SMB port).
- `reference`: the reference DIMSVC (tests/reference_dimsvc: widl stubs, Wine's rpcrt4) over
  ncacn_ip_tcp only, behind the call_id relay of its test. Wine's RPC runtime listens on 0.0.0.0,
  so with it the whole run re-executes inside `unshare --net` (root), where only loopback exists.
--page-size-bytes 0 (the default) leaves page_size_bytes out of the exporter's configuration, so
the exporter's own default applies. A cell that fails is a table row saying why; the others run.
Level `ex` is RRasAdminConnectionEnumEx; `3` is the exporter capped at max_level 3 against a
server without EnumEx, so it reads levels 3, 1 and 0 and joins them. Only the connections
collector runs, so the poll is the connection enumeration.

Per cell: poll = rras_poll_duration_seconds of the exposition (the poll itself, binding
included); process wall and CPU (user+sys) of the exporter process; the far end's CPU during the
poll (the fake is Python, so at RTT 0 it is most of the wall time; not counted for the reference,
whose work is in Wine's processes); RPC calls counted by the
proxy (RPC requests; over SMB the proxy does not parse them) and round trips (the server's turns
whatever the protocol: over SMB each named-pipe read is one); floor = round trips x RTT, the time
the link alone costs; and the proxy's split of the poll into waiting for the far end and waiting
for the exporter (each includes half the RTT per turn), and the far end's sending time (first to
last byte of its replies).
Targets: 10 000 connections at 50 ms in <= 2 s at ex and <= 3 s through 3+1+0.
Every child listens on 127.0.0.1 only (the reference: in its own network namespace) and has a
lifetime; all are stopped in `finally`.
"""

import argparse
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {("ex", 10000, 50): 2.0, ("3", 10000, 50): 3.0}
LEVEL_NAMES = {"ex": "ex", "3": "3+1+0"}
REFERENCE_DIR = os.path.join(ROOT, "tests/reference_dimsvc")
NETNS_ENV = "POLL_LINK_IN_NETNS"
FAR_END_NAMES = {"fake": "fake (Python)", "reference": "reference (widl + Wine rpcrt4)"}


def log(msg):
    print(f"[poll_link] {msg}", file=sys.stderr, flush=True)


def connections(n):
    out = []
    for i in range(n):
        ikev2 = i % 2 == 1
        out.append({
            "handle": 0x1000 + i, "interface": 0x100000 + i, "user": f"user{i:06d}", "domain": "CORP",
            "computer": f"PC-{i:06d}", "interface_name": f"user{i:06d}", "duration": 60 + i % 86400,
            "ikev2": ikev2, "flags": 16 if ikev2 else 1, "ipv4": f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
            "auth": "eap" if ikev2 else "mschapv2", "tunnel_endpoint": f"198.51.{(i >> 8) & 255}.{i & 255}",
            "counters": [1000 * i % 4294967295, 3000 * i % 4294967295, i, 2 * i, 0, 0, 0, 0, 0, 0, 40, 50]})
    return out


SMB_USER, SMB_PASSWORD = "rrasadmin", "Bench-Pass-1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_fake(tmp, n, level, transport, lifetime):
    """The fake DIMSVC; returns the process and the port the exporter is to reach (through the proxy)."""
    scenario = {"connections": connections(n), "server_info_level": 2, "enum_ex": level == "ex", "max_level": 3}
    path = os.path.join(tmp, f"scenario-{n}-{level}.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    cmd = ["/usr/bin/python3", os.path.join(ROOT, "tests/fakes/fake_dimsvc.py"), "--scenario", path,
           "--lifetime", str(lifetime)]
    if transport == "np":
        cmd += ["--smb-port", str(free_port()), "--user", SMB_USER, "--password", SMB_PASSWORD]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=open(os.path.join(tmp, f"fake-{n}-{level}-{transport}.log"), "w"), text=True)
    line = proc.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError(f"the fake DIMSVC did not start: {line}")
    return proc, int(line[2] if transport == "np" else line[1])


def reference_helpers():
    """tests/reference_dimsvc/reference_router_test.py: Wine, the reference's start and READY line,
    the call_id relay (Wine answers every request with call_id 1, which Samba's client drops)."""
    sys.path.insert(0, REFERENCE_DIR)
    import reference_router_test  # noqa: E402  (tests/reference_dimsvc)
    reference_router_test.SERVER_LIFETIME_S = 3600  # each router stops by itself after this
    return reference_router_test


def start_reference(ref, wine, exe, tmp, n, level, quick_ack):
    """The reference DIMSVC under Wine (ncacn_ip_tcp) behind the call_id relay; returns the Wine
    process, the relay and the relay's port."""
    scenario = {"connections": connections(n), "server_info_level": 2, "enum_ex": level == "ex", "max_level": 3}
    proc, _ = ref.start_reference(wine, exe, tmp, f"reference-{n}-{level}", scenario)
    port = ref.read_ready(proc, f"the reference DIMSVC ({n} connections, level {level})", timeout_s=300)
    relay = ref.CallIdProxy(port, quick_ack=quick_ack)
    return proc, relay, relay.port


def reexec_in_netns():
    """Wine's RPC runtime listens on 0.0.0.0: the reference runs only in a network namespace that
    has nothing but loopback (as in its test), so this script runs again inside `unshare --net`."""
    if os.geteuid() != 0:
        sys.exit("poll_link.py: --far-ends reference needs root (unshare --net, as the reference test)")
    proc = subprocess.run(["unshare", "--net", "--", sys.executable, os.path.abspath(__file__)] + sys.argv[1:],
                          env=dict(os.environ, **{NETNS_ENV: "1"}))
    return proc.returncode


def start_proxy(target_port, rtt_ms, bandwidth, lifetime):
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench/slow_link.py"),
                             "--target", f"127.0.0.1:{target_port}", "--rtt-ms", str(rtt_ms),
                             "--bandwidth-bytes-per-s", str(bandwidth), "--lifetime", str(lifetime)],
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError(f"slow_link.py did not start: {line}")
    return proc, int(line[1])


def stop_proxy(proc):
    proc.terminate()
    out, _ = proc.communicate(timeout=10)
    return json.loads(out.strip().splitlines()[-1])


def cpu_seconds(pid):
    """utime + stime of a running process (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def poll_once(exporter, tmp, port, level, transport, page_size, timeout):
    config = os.path.join(tmp, "bench.yml")
    lines = ["global:", "  poll_interval: 30m", "  poll_timeout: 30m"]
    if page_size:
        lines.append(f"  page_size_bytes: {page_size}")
    lines += ["  collectors: [connections]", "routers:", "  - name: bench", "    source: rrasm",
              "    server: 127.0.0.1", f"    transport: {transport}", "    auth_level: none", "    timeout: 5m",
              f"    port: {port}", f"    max_level: {'auto' if level == 'ex' else 3}"]
    if transport == "np":
        password_file = os.path.join(tmp, "smb.pass")
        with open(password_file, "w") as f:
            f.write(SMB_PASSWORD + "\n")
        lines.append(f"    credentials: {{domain: WORKGROUP, username: {SMB_USER}, password_file: {password_file}}}")
    with open(config, "w") as f:
        f.write("\n".join(lines + [""]))
    start = time.monotonic()
    proc = subprocess.Popen([exporter, f"--config.file={config}", "--poll-once", "--log.level=warn"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    wall = time.monotonic() - start
    return out, err, wall


def value(text, pattern):
    m = re.search(r"^" + pattern + r" (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def measure(exporter, tmp, fake, fake_port, n, level, transport, rtt, args, far_end="fake"):
    proxy, port = start_proxy(fake_port, rtt, args.bandwidth_bytes_per_s, args.cell_timeout + 30)
    try:
        fake_cpu = cpu_seconds(fake.pid)
        before = os.times()
        out, err, wall = poll_once(exporter, tmp, port, level, transport, args.page_size_bytes, args.cell_timeout)
        after = os.times()
        # The reference's work is in the Wine process the launcher started and in wineserver: not counted.
        fake_cpu = None if far_end == "reference" else cpu_seconds(fake.pid) - fake_cpu
    finally:
        stats = stop_proxy(proxy)
    up = value(out, r'rras_up\{router="bench"\}')
    counted = sum(float(v) for v in re.findall(r'^rras_connections\{[^}]*router="bench"[^}]*\} (\S+)$', out, re.M))
    if up != 1 or counted != n:
        raise RuntimeError(f"{n} connections at {level} over {transport}, RTT {rtt} ms: rras_up {up}, {counted} "
                           "connections counted\n" + err[-2000:])
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"connections": n, "level": level, "transport": transport, "far_end": far_end, "rtt_ms": rtt,
            "poll_s": value(out, r'rras_poll_duration_seconds\{router="bench"\}'),
            "process_wall_s": wall, "exporter_cpu_s": cpu, "far_end_cpu_s": fake_cpu,
            "rpc_calls": stats["rpc_requests"], "round_trips": stats["round_trips"],
            "floor_s": stats["round_trips"] * rtt / 1000.0,
            "bytes_to_client": stats["bytes_to_client"], "server_turn_s": stats["server_turn_s"],
            "client_turn_s": stats["client_turn_s"], "server_send_s": stats["server_send_s"],
            "load": os.getloadavg()[0]}


TRANSPORT_NAMES = {"tcp": "tcp", "np": "np (SMB2, signed)"}


def table(rows):
    lines = ["| far end | connections | level | transport | RTT ms | poll s | RPC calls | round trips | round trips x RTT s | "
             "waiting for far end s | far end sending s | waiting for exporter s | exporter CPU s | far-end CPU s | "
             "process wall s | load | target |",
             "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {FAR_END_NAMES[r['far_end']]} | {r['connections']} | {LEVEL_NAMES[r['level']]} | "
                         f"{TRANSPORT_NAMES[r['transport']]} | {r['rtt_ms']:g} | failed: {r['error']} |" + " |" * 11)
            continue
        target = TARGETS.get((r["level"], r["connections"], r["rtt_ms"]))
        mark = "" if target is None else f"{'PASS' if r['poll_s'] <= target else 'FAIL'} (<= {target:g} s)"
        lines.append(f"| {FAR_END_NAMES[r['far_end']]} | {r['connections']} | {LEVEL_NAMES[r['level']]} | {TRANSPORT_NAMES[r['transport']]} | "
                     f"{r['rtt_ms']:g} | {r['poll_s']:.2f} | {r['rpc_calls']} | {r['round_trips']} | "
                     f"{r['floor_s']:.2f} | {r['server_turn_s']:.2f} | {r['server_send_s']:.2f} | "
                     f"{r['client_turn_s']:.2f} | {r['exporter_cpu_s']:.2f} | "
                     f"{'-' if r['far_end_cpu_s'] is None else format(r['far_end_cpu_s'], '.2f')} | "
                     f"{r['process_wall_s']:.2f} | {r['load']:.1f} | {mark} |")
    return "\n".join(lines)


def header(args, started, load_before):
    page = (f"page_size_bytes {args.page_size_bytes}" if args.page_size_bytes
            else "page_size_bytes left to the exporter's default")
    return (f"# Poll time over a slow link ({started:%Y-%m-%d %H:%M} UTC)\n\n"
            f"`bench/poll_link.py --connections {args.connections} --rtt-ms {args.rtt_ms} --levels {args.levels} "
            f"--transports {args.transports}"
            f"{' --page-size-bytes ' + str(args.page_size_bytes) if args.page_size_bytes else ''}"
            f"{' --skip ' + args.skip if args.skip else ''} --far-ends {args.far_ends}"
            f"{' --relay-quick-ack' if args.relay_quick_ack else ''}"
            f"{' --route-quick-ack' if args.route_quick_ack else ''}`; {page}; far ends: "
            f"{', '.join(FAR_END_NAMES[f] for f in args.far_ends.split(','))} (the column says which), "
            f"through bench/slow_link.py; exporter {args.exporter}; {os.cpu_count()} cores shared with other "
            f"work, load average {load_before:.1f} at the start (1-minute; each row has its own in the load "
            f"column).\n\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exporter", default=os.path.join(ROOT, "build/release/rras_exporter"))
    ap.add_argument("--connections", default="1000,10000,30000")
    ap.add_argument("--rtt-ms", default="0,10,50,200")
    ap.add_argument("--levels", default="ex,3")
    ap.add_argument("--transports", default="tcp", help="tcp, np or both (np: SMB2 with signing)")
    ap.add_argument("--far-ends", default="fake",
                    help="fake, reference or both (reference: tcp only, as root; it runs in a network namespace)")
    ap.add_argument("--relay-quick-ack", action="store_true",
                    help="the reference's call_id relay ACKs each read from Wine at once (TCP_QUICKACK)")
    ap.add_argument("--route-quick-ack", action="store_true",
                    help="reference only: `quickack 1` on the namespace's loopback routes, the knob an admin sets "
                         "on the exporter host's route to a server that sends behind Nagle (Linux >= 3.11)")
    ap.add_argument("--reference-exe", default=os.path.join(ROOT, "build/release/reference_dimsvc/reference_dimsvc.exe"))
    ap.add_argument("--page-size-bytes", type=int, default=0, help="0 = the exporter's default")
    ap.add_argument("--bandwidth-bytes-per-s", type=float, default=0.0)
    ap.add_argument("--cell-timeout", type=float, default=600.0, help="give up on one poll after this long")
    ap.add_argument("--skip", default="",
                    help="cells to leave out, e.g. 30000:200,30000:50 (connections:rtt) or np:30000:50")
    ap.add_argument("--out", default="", help="also write the table (markdown) here")
    args = ap.parse_args()
    ns = [int(x) for x in args.connections.split(",")]
    rtts = [float(x) for x in args.rtt_ms.split(",")]
    levels = args.levels.split(",")
    transports = args.transports.split(",")
    if any(t not in TRANSPORT_NAMES for t in transports):
        ap.error(f"--transports: {args.transports}: each must be tcp or np")
    far_ends = args.far_ends.split(",")
    if any(f not in FAR_END_NAMES for f in far_ends):
        ap.error(f"--far-ends: {args.far_ends}: each must be fake or reference")
    if "reference" in far_ends:
        if not os.path.isfile(args.reference_exe):
            ap.error(f"--far-ends reference: no {args.reference_exe} (cmake builds it when widl, mingw-w64 and wine "
                     "are installed: tests/reference_dimsvc/README.md)")
        if os.environ.get(NETNS_ENV) != "1":
            return reexec_in_netns()
        subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
        if args.route_quick_ack:  # every socket on these routes ACKs at once, as a route metric does on a host
            for dest in ("127.0.0.0/8", "127.0.0.1"):
                subprocess.run(["ip", "route", "change", "local", dest, "dev", "lo", "table", "local", "proto", "kernel",
                                "scope", "host", "src", "127.0.0.1", "quickack", "1"], check=True)
    skip = set()
    for cell in filter(None, args.skip.split(",")):
        parts = cell.split(":")
        transport = parts.pop(0) if parts[0] in TRANSPORT_NAMES else "tcp"
        skip.add((transport, float(parts[0]), float(parts[1])))
    started, load_before = datetime.datetime.now(datetime.timezone.utc), os.getloadavg()[0]
    rows = []

    def write(text):
        if args.out:  # after every cell, so an interrupted run keeps what it measured
            with open(args.out, "w") as f:
                f.write(header(args, started, load_before) + text + "\n")

    with tempfile.TemporaryDirectory(prefix="poll_link.") as tmp:
        ref = wine = None
        if "reference" in far_ends:
            ref = reference_helpers()
            wine = ref.Wine(tmp)
            wine.start()
        try:
            for far_end in far_ends:
                for transport in transports:
                    if far_end == "reference" and transport != "tcp":
                        log("the reference serves ncacn_ip_tcp only (Wine has no SMB server): no np rows for it")
                        continue
                    for n in ns:
                        for level in levels:
                            cells = [rtt for rtt in rtts if (transport, n, rtt) not in skip]
                            if not cells:
                                continue
                            relay = None
                            if far_end == "reference":
                                server, relay, port = start_reference(ref, wine, args.reference_exe, tmp, n, level,
                                                                     args.relay_quick_ack)
                            else:
                                server, port = start_fake(tmp, n, level, transport,
                                                          lifetime=len(cells) * (args.cell_timeout + 30) + 60)
                            try:
                                for rtt in cells:
                                    try:
                                        row = measure(args.exporter, tmp, server, port, n, level, transport, rtt,
                                                      args, far_end)
                                    except (RuntimeError, subprocess.TimeoutExpired) as e:  # the next cells still run
                                        cause = " ".join(str(e).split())[:300].replace("|", "/")
                                        row = {"connections": n, "level": level, "transport": transport,
                                               "far_end": far_end, "rtt_ms": rtt, "error": cause}
                                    log(json.dumps(row))
                                    rows.append(row)
                                    write(table(rows))
                            finally:
                                if relay is not None:
                                    relay.listener.close()
                                server.kill()
                                server.wait()
        finally:
            if wine is not None:
                wine.stop()
    text = table(rows)
    print(text)
    write(text)
    return 0 if all("error" not in r and r["poll_s"] <= TARGETS.get((r["level"], r["connections"], r["rtt_ms"]), 1e9)
                    for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
