#!/usr/bin/env python3
"""Soak: the real exporter polls simulated routers with heavy churn every 100 ms while /metrics is
scraped without pause (plain and gzip, two clients). RSS is sampled every second. Fails if any
scrape fails or returns a broken exposition, if the routers stop polling, or if memory keeps
growing after the warm-up (median RSS of the last third of the run above the first third by more
than max(4 MiB, 5 %)). Prints the memory curve and the figures.

Usage: soak_test.py <exporter-binary> [seconds, default 90]     (127.0.0.1 only)
"""

import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from testlib import free_port  # noqa: E402  tests/lib

# Every poll (100 ms) connections leave and arrive: churn_per_minute / 600 per poll, plus
# churn_per_call before each enumeration call (so also between the levels of one poll).
CONFIG = """global:
  poll_interval: 100ms
  poll_timeout: 100ms
  page_size_bytes: 16384
routers:
  - {name: big-ex, source: simulator, simulator: {connections: 3000, churn_per_minute: 60000, enum_ex: true, seed: 1}}
  - {name: level3, source: simulator, simulator: {connections: 800, churn_per_minute: 30000, seed: 2, faults: {churn_per_call: 10}}}
  - {name: level0, source: simulator, simulator: {connections: 300, churn_per_minute: 12000, max_level: 0, seed: 3}}
"""
ROUTERS = ["big-ex", "level3", "level0"]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Scraper(threading.Thread):
    def __init__(self, port, use_gzip, stop):
        super().__init__(daemon=True)
        self.port, self.use_gzip, self.stop = port, use_gzip, stop
        self.count, self.failures, self.latencies = 0, [], []

    def run(self):
        headers = {"Accept-Encoding": "gzip"} if self.use_gzip else {}
        while not self.stop.is_set():
            t = time.monotonic()
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{self.port}/metrics", headers=headers)
                with urllib.request.urlopen(req, timeout=5) as r:
                    body = r.read()
                    if r.status != 200:
                        raise RuntimeError(f"status {r.status}")
                    if self.use_gzip:
                        body = gzip.decompress(body)
                text = body.decode()
                for name in ROUTERS:
                    if f'rras_router_info{{' not in text or f'router="{name}"' not in text:
                        raise RuntimeError(f"router {name} missing")
                if not text.endswith("\n") or "# EOF" in text:
                    raise RuntimeError("exposition not terminated properly")
            except Exception as e:  # any failure is a test failure; keep the first few
                self.failures.append(f"{type(e).__name__}: {e}")
            self.count += 1
            self.latencies.append(time.monotonic() - t)


def success_times(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    out = {}
    for line in text.splitlines():
        if line.startswith("rras_last_poll_success_timestamp_seconds{"):
            name = line.split('router="')[1].split('"')[0]
            out[name] = float(line.rsplit(" ", 1)[1])
        if line.startswith("rras_connections_started_total{"):
            out["started:" + line.split('router="')[1].split('"')[0]] = float(line.rsplit(" ", 1)[1])
    return out


def main():
    exe = sys.argv[1]
    duration = float(sys.argv[2]) if len(sys.argv) > 2 else 90.0
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "soak.yml")
        with open(config, "w") as f:
            f.write(CONFIG)
        port = free_port()
        log = open(os.path.join(tmp, "exporter.log"), "w")
        proc = subprocess.Popen([exe, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}"],
                                stdout=log, stderr=subprocess.STDOUT)
        stop = threading.Event()
        scrapers = []
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    if all(success_times(port).get(r, 0) > 0 for r in ROUTERS):
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or proc.poll() is not None:
                    log.flush()
                    with open(log.name) as f:
                        raise AssertionError("routers not polled within 10 s; exporter log:\n" + f.read()[-2000:])
                time.sleep(0.1)
            before = success_times(port)
            scrapers = [Scraper(port, False, stop), Scraper(port, True, stop)]
            for s in scrapers:
                s.start()
            samples = []  # (seconds since start, RSS KiB)
            start = time.monotonic()
            while time.monotonic() - start < duration:
                if proc.poll() is not None:
                    raise AssertionError(f"exporter exited with {proc.returncode}")
                samples.append((time.monotonic() - start, rss_kib(proc.pid)))
                time.sleep(1.0)
            stop.set()
            for s in scrapers:
                s.join(timeout=10)
            after = success_times(port)
        finally:
            stop.set()
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()

    scrapes = sum(s.count for s in scrapers)
    failures = [f for s in scrapers for f in s.failures]
    latencies = sorted(x for s in scrapers for x in s.latencies)
    print(f"soak: {duration:.0f} s, {scrapes} scrapes ({scrapes / duration:.0f}/s), {len(failures)} failed; "
          f"scrape latency p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms")
    for r in ROUTERS:
        started = after.get("started:" + r, 0) - before.get("started:" + r, 0)
        print(f"soak: router {r}: last success advanced {after[r] - before[r]:.1f} s, "
              f"{started:.0f} connections started during the run")
    step = max(1, len(samples) // 12)
    print("soak: RSS curve (s: MiB): " + ", ".join(f"{t:.0f}: {k / 1024:.1f}" for t, k in samples[::step]))

    assert not failures, f"{len(failures)} scrapes failed, first: {failures[:3]}"
    for r in ROUTERS:
        assert after[r] - before[r] > duration * 0.8, f"router {r} stopped polling"
    warm = [k for t, k in samples if t >= duration * 0.2]
    third = max(1, len(warm) // 3)
    first, last = statistics.median(warm[:third]), statistics.median(warm[-third:])
    growth = last - first
    limit = max(4096, first * 0.05)
    print(f"soak: RSS after warm-up: first third median {first / 1024:.1f} MiB, last third {last / 1024:.1f} MiB, "
          f"growth {growth / 1024:+.1f} MiB (limit {limit / 1024:.1f} MiB), peak {max(k for _, k in samples) / 1024:.1f} MiB")
    assert growth <= limit, "memory keeps growing"
    print("PASS")


if __name__ == "__main__":
    main()
