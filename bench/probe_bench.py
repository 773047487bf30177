#!/usr/bin/env python3
"""Memory and CPU per probed target (issue 17): a bench, not a test; nothing is asserted.

For each size (100 and 1 000 targets by default) it starts the exporter with one simulator module
(50 connections per target, 10 churned per minute, poll_interval 15 s), probes every target once
(each first probe waits for its first poll), then probes each target again every 15 s, as
Prometheus would, for --window seconds. It reports the exporter's RSS growth over the idle process
and the CPU it used in the window (polling and answering probes), in total and per target.

    bench/probe_bench.py                        # build/release/rras_exporter, 100 and 1 000 targets
    bench/probe_bench.py --sizes 100 --window 30

Standard library only; the exporter listens on 127.0.0.1 and is stopped in `finally`.
"""
import argparse
import shutil
import concurrent.futures
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "lib"))
from testlib import free_port  # noqa: E402

POLL_S = 15
TICK = os.sysconf("SC_CLK_TCK")


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def probe(port, target):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/probe?module=lab&target={target}",
                                 headers={"X-Prometheus-Scrape-Timeout-Seconds": "10", "Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        return r.status


def run(exporter, n, window):
    tmp = tempfile.mkdtemp(prefix="rras_probe_bench.")
    config = os.path.join(tmp, "bench.yml")
    with open(config, "w") as f:
        f.write(f"global:\n  max_probe_targets: {n}\nmodules:\n  lab:\n    source: simulator\n"
                f"    allowed_targets: [\"sim-*\"]\n    poll_interval: {POLL_S}s\n    target_idle_timeout: 10m\n"
                "    simulator: {connections: 50, churn_per_minute: 10}\n")
    port = free_port()
    proc = subprocess.Popen([exporter, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                             "--log.level=warn"], stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/healthy", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(0.5)
        rss0 = rss_bytes(proc.pid)
        targets = [f"sim-{i:04d}" for i in range(n)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda t: probe(port, t), targets))
            if any(s != 200 for s in statuses):
                print(f"  {sum(s != 200 for s in statuses)} first probes did not answer 200")
            cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
            # Each target once per POLL_S, spread over the interval.
            while time.monotonic() - t0 < window:
                start = time.monotonic()
                for i in range(0, n, max(1, n // 30)):
                    list(pool.map(lambda t: probe(port, t), targets[i:i + max(1, n // 30)]))
                    time.sleep(max(0.0, POLL_S / 30 - 0.01))
                time.sleep(max(0.0, POLL_S - (time.monotonic() - start)))
            cpu1, t1 = cpu_seconds(proc.pid), time.monotonic()
        rss1 = rss_bytes(proc.pid)
        cpu_pct = 100 * (cpu1 - cpu0) / (t1 - t0)
        print(f"{n:6d} targets: RSS {rss0 / 2**20:6.1f} -> {rss1 / 2**20:7.1f} MiB "
              f"({(rss1 - rss0) / n / 1024:6.1f} KiB per target); CPU {cpu_pct:5.2f} % of a core "
              f"({1000 * cpu_pct / 100 / n:.3f} ms/s per target) over {t1 - t0:.0f} s", flush=True)
    finally:
        proc.terminate()
        try:
            t = time.monotonic()
            proc.wait(timeout=60)
            print(f"  stopped {time.monotonic() - t:.1f} s after SIGTERM", flush=True)
        except subprocess.TimeoutExpired:
            print("  did not stop within 60 s of SIGTERM; killed", flush=True)
            proc.kill()
            proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exporter", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build",
                                                       "release", "rras_exporter"))
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--window", type=float, default=60)
    args = ap.parse_args()
    print(f"simulator module, 50 connections per target, poll_interval {POLL_S}s, each target probed every "
          f"{POLL_S}s (gzip)", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        run(args.exporter, n, args.window)


if __name__ == "__main__":
    main()
