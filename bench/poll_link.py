#!/usr/bin/env python3
"""Poll time over a slow link (issue 15 item 1): the exporter's `--poll-once` against a DIMSVC far
end through bench/slow_link.py, for connections x RTT x level, with the issue's targets marked.

Usage: poll_link.py [--exporter build/release/rras_exporter] [--connections 1000,10000,30000]
                    [--rtt-ms 0,10,50,200] [--levels ex,3] [--page-size-bytes 65536]
                    [--out bench/results/poll_link.md]

Far end: the Python fake DIMSVC (tests/fakes/fake_dimsvc.py, impacket) over ncacn_ip_tcp on
127.0.0.1, one per (connections, level), serving a mix of PPP and IKEv2 connections (half each).
Level `ex` is RRasAdminConnectionEnumEx; `3` is the exporter capped at max_level 3 against a
server without EnumEx, so it reads levels 3, 1 and 0 and joins them. Only the connections
collector runs, so the poll is the connection enumeration.

Per cell: poll = rras_poll_duration_seconds of the exposition (the poll itself, binding
included); process wall and CPU (user+sys) of the exporter process; the far end's CPU during the
poll (the fake is Python, so at RTT 0 it is most of the wall time); RPC calls counted by the
proxy (the sequential round trips); floor = calls x RTT, the time the link alone costs; and the
proxy's split of the poll into waiting for the far end and waiting for the exporter (each
includes half the RTT per turn).
Targets: 10 000 connections at 50 ms in <= 2 s at ex and <= 3 s through 3+1+0.
Every child listens on 127.0.0.1 only and has a lifetime; all are stopped in `finally`.
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {("ex", 10000, 50): 2.0, ("3", 10000, 50): 3.0}
LEVEL_NAMES = {"ex": "ex", "3": "3+1+0"}


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


def start_fake(tmp, n, level, lifetime):
    scenario = {"connections": connections(n), "server_info_level": 2, "enum_ex": level == "ex", "max_level": 3}
    path = os.path.join(tmp, f"scenario-{n}-{level}.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    proc = subprocess.Popen(["/usr/bin/python3", os.path.join(ROOT, "tests/fakes/fake_dimsvc.py"), "--scenario", path,
                             "--lifetime", str(lifetime)], stdout=subprocess.PIPE,
                            stderr=open(os.path.join(tmp, f"fake-{n}-{level}.log"), "w"), text=True)
    line = proc.stdout.readline().split()
    if not line or line[0] != "READY":
        raise RuntimeError(f"the fake DIMSVC did not start: {line}")
    return proc, int(line[1])


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


def poll_once(exporter, tmp, port, level, page_size, timeout):
    config = os.path.join(tmp, "bench.yml")
    with open(config, "w") as f:
        f.write("\n".join([
            "global:", "  poll_interval: 30m", "  poll_timeout: 30m", f"  page_size_bytes: {page_size}",
            "  collectors: [connections]", "routers:", "  - name: bench", "    source: rrasm",
            "    server: 127.0.0.1", "    transport: tcp", "    auth_level: none", "    timeout: 5m",
            f"    port: {port}", f"    max_level: {'auto' if level == 'ex' else 3}", ""]))
    start = time.monotonic()
    proc = subprocess.Popen([exporter, f"--config.file={config}", "--poll-once", "--log.level=warn"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=timeout)
    wall = time.monotonic() - start
    return out, err, wall


def value(text, pattern):
    m = re.search(r"^" + pattern + r" (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def measure(exporter, tmp, fake, fake_port, n, level, rtt, args):
    proxy, port = start_proxy(fake_port, rtt, args.bandwidth_bytes_per_s, args.cell_timeout + 30)
    try:
        fake_cpu = cpu_seconds(fake.pid)
        before = os.times()
        out, err, wall = poll_once(exporter, tmp, port, level, args.page_size_bytes, args.cell_timeout)
        after = os.times()
        fake_cpu = cpu_seconds(fake.pid) - fake_cpu
    finally:
        stats = stop_proxy(proxy)
    up = value(out, r'rras_up\{router="bench"\}')
    counted = sum(float(v) for v in re.findall(r'^rras_connections\{[^}]*router="bench"[^}]*\} (\S+)$', out, re.M))
    if up != 1 or counted != n:
        raise RuntimeError(f"{n} connections at {level}, RTT {rtt} ms: rras_up {up}, {counted} connections counted\n"
                           + err[-2000:])
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"connections": n, "level": level, "rtt_ms": rtt, "poll_s": value(out, r'rras_poll_duration_seconds\{router="bench"\}'),
            "process_wall_s": wall, "exporter_cpu_s": cpu, "far_end_cpu_s": fake_cpu,
            "rpc_calls": stats["rpc_requests"], "floor_s": stats["rpc_requests"] * rtt / 1000.0,
            "bytes_to_client": stats["bytes_to_client"], "server_turn_s": stats["server_turn_s"],
            "client_turn_s": stats["client_turn_s"]}


def table(rows):
    lines = ["| connections | level | RTT ms | poll s | calls | calls x RTT s | waiting for far end s | "
             "waiting for exporter s | exporter CPU s | far-end CPU s | process wall s | target |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        target = TARGETS.get((r["level"], r["connections"], r["rtt_ms"]))
        mark = "" if target is None else f"{'PASS' if r['poll_s'] <= target else 'FAIL'} (<= {target:g} s)"
        lines.append(f"| {r['connections']} | {LEVEL_NAMES[r['level']]} | {r['rtt_ms']:g} | {r['poll_s']:.2f} | "
                     f"{r['rpc_calls']} | {r['floor_s']:.2f} | {r['server_turn_s']:.2f} | {r['client_turn_s']:.2f} | "
                     f"{r['exporter_cpu_s']:.2f} | {r['far_end_cpu_s']:.2f} | "
                     f"{r['process_wall_s']:.2f} | {mark} |")
    return "\n".join(lines)


def header(args):
    return (f"# Poll time over a slow link ({datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC)\n\n"
            f"`bench/poll_link.py --connections {args.connections} --rtt-ms {args.rtt_ms} --levels {args.levels} "
            f"--page-size-bytes {args.page_size_bytes}{' --skip ' + args.skip if args.skip else ''}`; far end: "
            f"tests/fakes/fake_dimsvc.py over ncacn_ip_tcp through bench/slow_link.py; load average "
            f"{os.getloadavg()[0]:.0f} on {os.cpu_count()} cores shared with other builds.\n\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exporter", default=os.path.join(ROOT, "build/release/rras_exporter"))
    ap.add_argument("--connections", default="1000,10000,30000")
    ap.add_argument("--rtt-ms", default="0,10,50,200")
    ap.add_argument("--levels", default="ex,3")
    ap.add_argument("--page-size-bytes", type=int, default=65536)
    ap.add_argument("--bandwidth-bytes-per-s", type=float, default=0.0)
    ap.add_argument("--cell-timeout", type=float, default=600.0, help="give up on one poll after this long")
    ap.add_argument("--skip", default="", help="cells to leave out, e.g. 30000:200,30000:50 (connections:rtt)")
    ap.add_argument("--out", default="", help="also write the table (markdown) here")
    args = ap.parse_args()
    ns = [int(x) for x in args.connections.split(",")]
    rtts = [float(x) for x in args.rtt_ms.split(",")]
    levels = args.levels.split(",")
    skip = {tuple(float(v) for v in s.split(":")) for s in args.skip.split(",") if s}
    rows = []

    def write(text):
        if args.out:  # after every cell, so an interrupted run keeps what it measured
            with open(args.out, "w") as f:
                f.write(header(args) + text + "\n")

    with tempfile.TemporaryDirectory(prefix="poll_link.") as tmp:
        for n in ns:
            for level in levels:
                cells = [rtt for rtt in rtts if (n, rtt) not in skip]
                fake, fake_port = start_fake(tmp, n, level, lifetime=len(cells) * (args.cell_timeout + 30) + 60)
                try:
                    for rtt in cells:
                        row = measure(args.exporter, tmp, fake, fake_port, n, level, rtt, args)
                        log(json.dumps(row))
                        rows.append(row)
                        write(table(rows))
                finally:
                    fake.kill()
                    fake.wait()
    text = table(rows)
    print(text)
    write(text)
    return 0 if all(r["poll_s"] <= TARGETS.get((r["level"], r["connections"], r["rtt_ms"]), 1e9) for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
