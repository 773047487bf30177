#!/usr/bin/env python3
"""Memory and CPU per probed target (issue 17): one exporter with a simulator module, probed like a
Prometheus fleet scrape would do it.

For each count (100 and 1 000 targets by default) it starts the exporter on a config with only a
`lab` module (simulator source, CONNECTIONS connections per target, poll_interval POLL), probes every
target once (the first probe of each starts its worker and waits for its first poll), then keeps
probing every target once per SCRAPE seconds for WINDOW seconds, and reports:
  - resident memory (VmRSS) before the first probe and with every target live, and per target;
  - the exporter's CPU over the window (polls + probes), per target and per poll;
  - the p50/p99 of the probe latency in the window.
Only the standard library and the exporter of the build tree are used; the exporter listens on
127.0.0.1 and dies with the harness (PR_SET_PDEATHSIG) or by timeout.

    bench/probe_bench.py                    # 100 and 1 000 targets
    bench/probe_bench.py --counts 50 --window 10
"""
import argparse
import concurrent.futures
import ctypes
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def probe(port, target, timeout=30):
    start = time.monotonic()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/probe?module=lab&target={target}", timeout=timeout) as r:
        r.read()
        if r.status != 200:
            raise RuntimeError(f"probe of {target}: HTTP {r.status}")
    return time.monotonic() - start


def run(exporter, count, args):
    tmp = tempfile.mkdtemp(prefix="rras_probe_bench.")
    config = os.path.join(tmp, "probe.yml")
    with open(config, "w") as f:
        f.write("global:\n"
                f"  poll_interval: {args.poll}s\n"
                f"  max_probe_targets: {count}\n"
                "modules:\n"
                "  lab:\n"
                "    source: simulator\n"
                "    allowed_targets: [\"sim-*\"]\n"
                f"    simulator: {{connections: {args.connections}, churn_per_minute: 2}}\n")
    port = free_port()
    proc = subprocess.Popen([exporter, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                             "--log.level=warn"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=die_with_parent)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/healthy", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        rss_idle = status_kb(proc.pid, "VmRSS")
        targets = [f"sim-{i:04d}" for i in range(count)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
            start = time.monotonic()
            list(pool.map(lambda t: probe(port, t), targets))
            first_round = time.monotonic() - start
            rss_live = status_kb(proc.pid, "VmRSS")
            threads = len(os.listdir(f"/proc/{proc.pid}/task"))
            cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
            latencies = []
            while time.monotonic() - t0 < args.window:
                round_start = time.monotonic()
                latencies += list(pool.map(lambda t: probe(port, t), targets))
                time.sleep(max(0.0, args.scrape - (time.monotonic() - round_start)))
            cpu = cpu_seconds(proc.pid) - cpu0
            window = time.monotonic() - t0
        rss_end = status_kb(proc.pid, "VmRSS")
        latencies.sort()
        polls = count * window / args.poll
        return {
            "targets": count, "first_round_s": first_round, "rss_idle_mb": rss_idle / 1024,
            "rss_live_mb": max(rss_live, rss_end) / 1024,
            "rss_per_target_kb": (max(rss_live, rss_end) - rss_idle) / count, "threads": threads,
            "cpu_pct": 100 * cpu / window, "cpu_ms_per_target_s": 1000 * cpu / window / count,
            "cpu_ms_per_poll": 1000 * cpu / polls if polls else 0,
            "p50_ms": 1000 * statistics.median(latencies),
            "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))], "probes": len(latencies),
        }
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--exporter", default=os.path.join(ROOT, "build", "release", "rras_exporter"))
    p.add_argument("--counts", type=int, nargs="+", default=[100, 1000])
    p.add_argument("--connections", type=int, default=50, help="connections per simulated target")
    p.add_argument("--poll", type=float, default=10, help="poll_interval in seconds")
    p.add_argument("--scrape", type=float, default=5, help="seconds between probe rounds")
    p.add_argument("--window", type=float, default=60, help="seconds of steady probing measured")
    args = p.parse_args()
    rows = [run(args.exporter, n, args) for n in args.counts]
    print(f"probe bench: {args.connections} connections per target, poll_interval {args.poll:g}s, "
          f"every target probed every {args.scrape:g}s for {args.window:g}s ({os.cpu_count()} cores)")
    print("| targets | first probe round | RSS idle | RSS live | RSS per target | threads | CPU | CPU per target "
          "| CPU per poll | probe p50 | probe p99 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['targets']} | {r['first_round_s']:.1f} s | {r['rss_idle_mb']:.1f} MB | {r['rss_live_mb']:.1f} MB "
              f"| {r['rss_per_target_kb']:.0f} KB | {r['threads']} | {r['cpu_pct']:.1f} % "
              f"| {r['cpu_ms_per_target_s']:.3f} ms/s | {r['cpu_ms_per_poll']:.2f} ms | {r['p50_ms']:.1f} ms "
              f"| {r['p99_ms']:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
