#!/usr/bin/env python3
"""The scrape benchmark of issue 6: rras_exporter against a client_golang peer and a static server.

For each size (1 000, 10 000, 100 000 connections by default) it generates a simulator config
(4 routers, two on MprAdminConnectionEnumEx and two on levels 3 + 1 + 0), starts the exporter,
captures its /metrics body (plain and gzip), then starts in the same run
  - the client_golang peer (bench/peer) serving the same series, and
  - the static server (bench/static_server.cpp) sending the same bytes (the gzip body as captured),
and scrapes all three with curl, round after round, interleaved, so that the ratios are taken under
the same machine load. It samples RSS, measures the CPU of a poll (process CPU over a window without
scrapes, divided by the polls the log reports) and the p99 of scrapes that overlapped a poll against
idle ones. It prints a table of medians and ratios and a PASS/FAIL line per target.

    bench/run.py                      # full run (several minutes); build/release must be built
    bench/run.py --sizes 10000 --rounds 2
    bench/run.py --smoke              # 1 000 connections, one short round: checks the harness only

Only the standard library, curl and the binaries of the build tree are used. Every server listens on
127.0.0.1 and dies with the harness (PR_SET_PDEATHSIG) or at its own time limit.
"""
import argparse
import ctypes
import datetime
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROUTERS = 4
SERVER_LIFETIME = 1800  # seconds; every server stops by itself after this


def die_with_parent():
    """preexec_fn: the child gets SIGTERM when the harness exits, however it exits."""
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Process:
    """A server child: started, its output read by a thread, stopped by its pid."""

    def __init__(self, name, argv, ready_pattern, stream="stdout", timeout=180):
        self.name = name
        self.lines = []  # (arrival time, line)
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     errors="replace", preexec_fn=die_with_parent)
        self.ready = threading.Event()
        self.match = None
        for which in ("stdout", "stderr"):
            threading.Thread(target=self._read, args=(getattr(self.proc, which), which == stream, ready_pattern),
                             daemon=True).start()
        deadline = time.time() + timeout
        while not self.ready.wait(0.1):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                tail = "\n".join(line for _, line in self.lines[-20:])
                raise RuntimeError(f"{name} did not start (exit {self.proc.returncode}):\n{tail}")

    def _read(self, pipe, watch, pattern):
        for line in pipe:
            line = line.rstrip("\n")
            self.lines.append((time.time(), line))
            if watch and not self.ready.is_set():
                m = re.search(pattern, line)
                if m:
                    self.match = m
                    self.ready.set()

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def proc_status(pid, key):
    """VmRSS / VmHWM of a process in bytes (0 when gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RssSampler(threading.Thread):
    def __init__(self, pid, period=0.1):
        super().__init__(daemon=True)
        self.pid, self.period, self.samples = pid, period, []
        self.running = True
        self.start()

    def run(self):
        while self.running:
            rss = proc_status(self.pid, "VmRSS")
            if rss:
                self.samples.append(rss)
            time.sleep(self.period)

    def finish(self):
        self.running = False
        return {"peak": proc_status(self.pid, "VmHWM"),
                "median": statistics.median(self.samples) if self.samples else 0}


def scrape(url, use_gzip, max_time=120):
    """One GET with curl; returns (seconds, bytes). The body is discarded, not decompressed."""
    argv = ["curl", "-sS", "-o", "/dev/null", "--max-time", str(max_time),
            "-w", "%{time_total} %{size_download} %{http_code}", url]
    if use_gzip:
        argv[1:1] = ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run(argv, capture_output=True, text=True, check=False)
    parts = out.stdout.split()
    if out.returncode != 0 or len(parts) != 3 or parts[2] != "200":
        raise RuntimeError(f"GET {url} (gzip={use_gzip}) failed: {out.stdout} {out.stderr.strip()}")
    return float(parts[0]), int(parts[1])


def fetch(url, use_gzip):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if use_gzip else {})
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read(), response.headers.get("Content-Encoding")


# Series per connection of each --families choice (every simulated connection has counters).
FAMILIES = {
    # Every family, as measured before the lean default: the targets were set on these.
    "all": (14, "  per_connection_families: [info, start_time, sent_bytes, received_bytes, sent_frames,"
                " received_frames, errors, compression]"),
    # The product's default (info, start_time, sent_bytes, received_bytes).
    "default": (4, None),
}


def write_config(path, connections, poll_interval, families="all"):
    per_router = connections // ROUTERS
    lines = [
        "# Generated by bench/run.py",
        "global:",
        f"  poll_interval: {poll_interval}s",
        f"  poll_timeout: {poll_interval}s",
        "  page_size_bytes: 65536",
        "  max_connections_per_router: 0",
        "routers:",
    ]
    if FAMILIES[families][1]:
        lines.insert(5, FAMILIES[families][1])
    for i in range(ROUTERS):
        ladder = "enum_ex: true" if i % 2 == 0 else "enum_ex: false, max_level: 3"
        churn = max(1, per_router // 100)  # 1 % a minute
        lines.append(f"  - {{name: bench-{i + 1}, source: simulator, simulator: "
                     f"{{connections: {per_router}, churn_per_minute: {churn}, {ladder}, seed: {i + 1}}}}}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def parse_ts(ts):
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def logfmt(line):
    return dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)', line))


def poll_windows(exporter):
    """[(start, end)] of every poll in the exporter's debug log: enumeration through publishing."""
    finished, windows = {}, []
    for _, line in list(exporter.lines):
        if "msg=\"poll finished\"" in line:
            f = logfmt(line)
            finished[f["router"]] = (parse_ts(f["ts"]), float(f["duration_seconds"]))
        elif "msg=\"poll published\"" in line:
            f = logfmt(line)
            if f["router"] in finished:
                end, duration = finished.pop(f["router"])
                windows.append((end - duration, end + float(f["publish_seconds"]) + 0.002))
    return windows


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def measure_series(url, use_gzip, count, budget):
    """Sequential scrapes: `count` of them or as many as fit in `budget` seconds (at least one)."""
    times, size, start = [], 0, time.time()
    smallest = None
    while len(times) < count and (not times or time.time() - start < budget):
        t, size = scrape(url, use_gzip)
        times.append(t)
        smallest = size if smallest is None else min(smallest, size)
    SMALLEST_BODY[(url, use_gzip)] = min(smallest, SMALLEST_BODY.get((url, use_gzip), smallest))
    return times, size


# The smallest body each (url, gzip) served: a router whose poll failed drops its connections
# from /metrics, and scrapes of a shrunken body are not the scrapes the targets are about.
SMALLEST_BODY = {}


def run_size(n, args, build, tmp, smoke):
    report = {"connections": n, "loadavg_before": os.getloadavg()}
    poll_interval = 1 if n <= 10000 else 5
    config = os.path.join(tmp, f"bench_{n}.yml")
    write_config(config, n, poll_interval, args.families)
    exporter = Process("rras_exporter", [os.path.join(build, "rras_exporter"), f"--config.file={config}",
                                         "--web.listen-address=127.0.0.1:0", "--log.level=debug"],
                       r"msg=listening address=(127\.0\.0\.1:\d+)", stream="stderr")
    started = [exporter]
    try:
        exp_url = f"http://{exporter.match.group(1)}/metrics"
        rss = {"exporter": RssSampler(exporter.pid)}
        deadline = time.time() + 300
        while True:
            try:
                with urllib.request.urlopen(exp_url.replace("/metrics", "/-/ready"), timeout=30):
                    break
            except Exception:  # 503 until every router has polled once
                if time.time() > deadline:
                    raise RuntimeError("the exporter did not become ready in 300 s")
                time.sleep(0.2)
        # Ready means every router has finished a poll, not that each succeeded: on a loaded
        # machine a first poll can miss its deadline. Wait (within the same 300 s) until every
        # router serves its connections.
        per_connection = FAMILIES[args.families][0]
        while True:
            plain, _ = fetch(exp_url, False)
            served = sum(1 for line in plain.splitlines() if line.startswith(b"rras_connection_"))
            if served >= per_connection * n * 0.95:
                break
            if time.time() > deadline:
                raise RuntimeError(f"after 300 s the exporter serves {served} per-connection series for {n} "
                                   f"connections (expected ~{per_connection * n}): polls keep failing")
            time.sleep(1)
        gzipped, encoding = fetch(exp_url, True)
        if encoding != "gzip":
            raise RuntimeError(f"the exporter answered Accept-Encoding: gzip with Content-Encoding {encoding}")
        unzipped = gzip.decompress(gzipped)
        series = sum(1 for line in plain.splitlines() if line and not line.startswith(b"#"))
        connection_series = sum(1 for line in plain.splitlines() if line.startswith(b"rras_connection_"))
        if abs(sum(1 for line in unzipped.splitlines() if line.startswith(b"rras_connection_")) - connection_series) > 0:
            raise RuntimeError("the gzip body does not carry the same per-connection series as the plain one")
        if connection_series < per_connection * n * 0.95:
            raise RuntimeError(f"only {connection_series} per-connection series for {n} connections")
        report.update(series=series, plain_bytes=len(plain), gzip_bytes=len(gzipped))
        plain_path, gzip_path = os.path.join(tmp, f"body_{n}.prom"), os.path.join(tmp, f"body_{n}.prom.gz")
        with open(plain_path, "wb") as f:
            f.write(plain)
        with open(gzip_path, "wb") as f:
            f.write(gzipped)
        del plain, gzipped, unzipped

        static = Process("static_server", [os.path.join(build, "bench", "bench_static_server"), plain_path, gzip_path,
                                           str(SERVER_LIFETIME)], r"listening (127\.0\.0\.1:\d+)")
        started.append(static)
        rss["static"] = RssSampler(static.pid)
        urls = {"exporter": exp_url, "static": f"http://{static.match.group(1)}/metrics"}
        peer_binary = os.path.join(build, "bench", "client_golang_peer")
        if os.path.exists(peer_binary):
            peer = Process("client_golang_peer", [peer_binary, "-input", plain_path, "-max-seconds",
                                                  str(SERVER_LIFETIME)],
                           r"listening (127\.0\.0\.1:\d+) series=(\d+) skipped=(\d+)", timeout=600)
            started.append(peer)
            rss["golang"] = RssSampler(peer.pid)
            urls["golang"] = f"http://{peer.match.group(1)}/metrics"
            report["golang_series"] = int(peer.match.group(2))
            if int(peer.match.group(2)) != series:
                raise RuntimeError(f"the Go peer loaded {peer.match.group(2)} series, the exporter has {series}")
        elif smoke:
            raise RuntimeError(f"{peer_binary} is missing (go / golang-github-prometheus-client-golang-dev)")

        # Rounds: every system and encoding back to back, the order rotated each round.
        count = 3 if smoke else (30 if n <= 1000 else 10 if n <= 10000 else 5)
        budget = 3 if smoke else 12
        systems = list(urls)
        rounds = []
        exporter_scrapes = []  # (start, end, gzip, seconds) for the p99 split
        for r in range(1 if smoke else args.rounds):
            order = systems[r % len(systems):] + systems[:r % len(systems)]
            result = {}
            for system in order:
                for use_gzip in (False, True):
                    start = time.time()
                    times, size = measure_series(urls[system], use_gzip, count, budget)
                    if system == "exporter":
                        exporter_scrapes.append((start, time.time(), use_gzip, times))
                    result[(system, use_gzip)] = {"median": statistics.median(times), "n": len(times), "bytes": size}
            rounds.append(result)

        # p99: the exporter alone, plain and gzip alternately; each scrape classified by whether it
        # overlapped a poll (from the exporter's log).
        samples = []
        p99_seconds = 3 if smoke else (20 if n <= 10000 else 45)
        end = time.time() + p99_seconds
        use_gzip = False
        while time.time() < end:
            start = time.time()
            t, size = scrape(exp_url, use_gzip)
            samples.append((start, time.time(), use_gzip, t))
            key = (exp_url, use_gzip)
            SMALLEST_BODY[key] = min(size, SMALLEST_BODY.get(key, size))
            use_gzip = not use_gzip

        # Poll CPU: no scrapes for a few intervals; process CPU over the polls the log reports.
        time.sleep(0.5)
        cpu_window = 2 if smoke else 3 * poll_interval + 1
        window_start, cpu_start = time.time(), proc_cpu_seconds(exporter.pid)
        time.sleep(cpu_window)
        window_end, cpu_end = time.time(), proc_cpu_seconds(exporter.pid)
        windows = poll_windows(exporter)
        # Polls that both started and ended inside the window; the window's CPU is spread over the
        # polls it overlapped in whole or in part, so count partial ones by their overlap.
        polled = sum(max(0.0, min(e, window_end) - max(s, window_start)) / max(e - s, 1e-6) for s, e in windows)
        walls = [e - s for s, e in windows]

        for name, sampler in rss.items():
            report[f"rss_{name}"] = sampler.finish()
        report["poll_cpu_seconds"] = (cpu_end - cpu_start) / (polled / ROUTERS) if polled > 0 else float("nan")
        report["poll_wall_seconds_median"] = statistics.median(walls) if walls else float("nan")
        report["polls_in_cpu_window"] = polled

        overlaps = lambda s, e: any(ws < e and s < we for ws, we in windows)
        for use_gzip in (False, True):
            mode = "gzip" if use_gzip else "plain"
            idle = [t for s, e, g, t in samples if g == use_gzip and not overlaps(s, e)]
            busy = [t for s, e, g, t in samples if g == use_gzip and overlaps(s, e)]
            report[f"p99_{mode}"] = {"idle": percentile(idle, 99), "during_polls": percentile(busy, 99),
                                     "n_idle": len(idle), "n_during_polls": len(busy)}

        # Medians of the per-round medians, and the per-round ratios' medians.
        table = {}
        for system in systems:
            for use_gzip in (False, True):
                key = (system, use_gzip)
                table[f"{system}_{'gzip' if use_gzip else 'plain'}"] = {
                    "median_seconds": statistics.median(rd[key]["median"] for rd in rounds),
                    "scrapes": sum(rd[key]["n"] for rd in rounds),
                    "bytes": rounds[-1][key]["bytes"],
                }
        for peer in [s for s in systems if s != "exporter"]:
            for use_gzip in (False, True):
                mode = "gzip" if use_gzip else "plain"
                report[f"ratio_exporter_over_{peer}_{mode}"] = statistics.median(
                    rd[("exporter", use_gzip)]["median"] / rd[(peer, use_gzip)]["median"] for rd in rounds)
        report["scrapes"] = table
        report["polls_failed"] = sum(1 for _, line in list(exporter.lines) if 'msg="poll failed"' in line)
        report["smallest_exporter_body"] = {
            "plain": SMALLEST_BODY.get((exp_url, False), 0) / report["plain_bytes"],
            "gzip": SMALLEST_BODY.get((exp_url, True), 0) / report["gzip_bytes"]}
        report["loadavg_after"] = os.getloadavg()
        return report
    finally:
        for p in reversed(started):
            p.stop()


def fmt_ms(seconds):
    if seconds != seconds:
        return "–"
    ms = seconds * 1000
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}" if ms >= 10 else f"{ms:.2f}"


def print_report(reports):
    print("\n## Scrape time (curl time_total, median of per-round medians)\n")
    print("| N | encoding | body bytes | exporter ms | client_golang ms | static ms | "
          "client_golang ÷ exporter | exporter ÷ static |")
    print("|---|---|---|---|---|---|---|---|")
    for r in reports:
        for mode in ("plain", "gzip"):
            s = r["scrapes"]
            go = s.get(f"golang_{mode}", {}).get("median_seconds", float("nan"))
            go_ratio = r.get(f"ratio_exporter_over_golang_{mode}")
            print(f"| {r['connections']:,} | {mode} | {s[f'exporter_{mode}']['bytes']:,} | "
                  f"{fmt_ms(s[f'exporter_{mode}']['median_seconds'])} | {fmt_ms(go)} | "
                  f"{fmt_ms(s[f'static_{mode}']['median_seconds'])} | "
                  f"{(1 / go_ratio) if go_ratio else float('nan'):.1f}× | "
                  f"{r[f'ratio_exporter_over_static_{mode}']:.2f}× |")
    print("\n## Memory, poll CPU, p99 (exporter)\n")
    print("| N | series | exporter peak RSS MB | peak B/conn | median RSS MB | client_golang peak MB (B/conn) | "
          "static peak MB | poll CPU s (all routers) | poll wall s (median, per router) | "
          "p99 plain ms idle / during polls (n) | p99 gzip ms idle / during polls (n) | loadavg before → after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in reports:
        n = r["connections"]
        go = r.get("rss_golang", {"peak": float("nan")})["peak"]
        p, g = r["p99_plain"], r["p99_gzip"]
        print(f"| {n:,} | {r['series']:,} | {r['rss_exporter']['peak'] / 2**20:,.0f} | "
              f"{r['rss_exporter']['peak'] / n:,.0f} | {r['rss_exporter']['median'] / 2**20:,.0f} | "
              f"{go / 2**20:,.0f} ({go / n:,.0f}) | {r['rss_static']['peak'] / 2**20:,.0f} | "
              f"{r['poll_cpu_seconds']:.3f} | {r['poll_wall_seconds_median']:.3f} | "
              f"{fmt_ms(p['idle'])} / {fmt_ms(p['during_polls'])} ({p['n_idle']}/{p['n_during_polls']}) | "
              f"{fmt_ms(g['idle'])} / {fmt_ms(g['during_polls'])} ({g['n_idle']}/{g['n_during_polls']}) | "
              f"{r['loadavg_before'][0]:.2f} → {r['loadavg_after'][0]:.2f} |")


def verdicts(reports):
    """(target, passed, detail) per target, judged at the largest size measured."""
    out = []
    big = max(reports, key=lambda r: r["connections"])
    n = big["connections"]
    for mode in ("plain", "gzip"):
        go = big.get(f"ratio_exporter_over_golang_{mode}")
        st = big[f"ratio_exporter_over_static_{mode}"]
        if go is None:
            out.append((f"scrape {n:,} {mode}: ≥ 15× faster than client_golang", None, "no Go peer"))
        else:
            out.append((f"scrape {n:,} {mode}: ≥ 15× faster than client_golang", 1 / go >= 15, f"{1 / go:.1f}×"))
        out.append((f"scrape {n:,} {mode}: within 2× of the static server", st <= 2, f"{st:.2f}×"))
    per_conn = big["rss_exporter"]["peak"] / n
    out.append((f"peak RSS at {n:,} ≤ 3 KB per connection", per_conn <= 3072, f"{per_conn:,.0f} B/conn"))
    out.append((f"one poll of {n:,} connections ≤ 1 s of CPU", big["poll_cpu_seconds"] <= 1.0,
                f"{big['poll_cpu_seconds']:.3f} s (all {ROUTERS} routers: enumerate, track, render, compress)"))
    for mode in ("plain", "gzip"):
        p = big[f"p99_{mode}"]
        ratio = p["during_polls"] / p["idle"]
        out.append((f"p99 {mode} during polls within 10 % of idle (at {n:,})", ratio <= 1.10,
                    f"{fmt_ms(p['during_polls'])} / {fmt_ms(p['idle'])} ms = {ratio:.2f}×"))
    for r in reports:
        small = min(r["smallest_exporter_body"].values())
        out.append((f"every poll at {r['connections']:,} succeeded and every scrape carried the whole body",
                    r["polls_failed"] == 0 and small >= 0.9,
                    f"{r['polls_failed']} failed poll(s); smallest body {small:.0%} of the first one"
                    + ("" if small >= 0.9 else " (routers dropped from /metrics: the timings above are not valid)")))
    if len(reports) > 1:
        ordered = sorted(reports, key=lambda r: r["connections"])
        a, b = ordered[-2], ordered[-1]
        grow = b["connections"] / a["connections"]
        scrape = (b["scrapes"]["exporter_plain"]["median_seconds"] / a["scrapes"]["exporter_plain"]["median_seconds"]) / grow
        cpu_grow = (b["poll_cpu_seconds"] / a["poll_cpu_seconds"]) / grow
        rss_grow = (b["rss_exporter"]["peak"] / a["rss_exporter"]["peak"]) / grow
        worst = max(scrape, cpu_grow, rss_grow)
        out.append((f"linear growth {a['connections']:,} → {b['connections']:,} (cost per connection ≤ 1.5×)",
                    worst <= 1.5, f"scrape {scrape:.2f}×, poll CPU {cpu_grow:.2f}×, peak RSS {rss_grow:.2f}× per connection"))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--families", choices=sorted(FAMILIES), default="all",
                        help="per-connection families: all 14 series (as the targets were set) or the product's "
                             "lean default (4 series)")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--smoke", action="store_true", help="1 000 connections, one short round; timings not judged")
    args = parser.parse_args()
    sizes = [1000] if args.smoke else [int(s) for s in args.sizes.split(",")]
    for binary in ("rras_exporter", "bench/bench_static_server"):
        if not os.access(os.path.join(args.build_dir, binary), os.X_OK):
            sys.exit(f"run.py: {args.build_dir}/{binary} is missing; build first "
                     "(cmake --preset release && cmake --build --preset release)")
    print(f"# rras_exporter scrape benchmark: sizes {sizes}, {1 if args.smoke else args.rounds} round(s), "
          f"{os.cpu_count()} CPUs, loadavg {os.getloadavg()[0]:.2f}, per-connection families: {args.families} "
          f"({FAMILIES[args.families][0]} series per connection)", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    reports = []
    with tempfile.TemporaryDirectory(prefix="rras_bench_") as tmp:
        for n in sizes:
            t0 = time.time()
            reports.append(run_size(n, args, args.build_dir, tmp, args.smoke))
            print(f"# {n:,} connections measured in {time.time() - t0:.0f} s", flush=True)
    print_report(reports)
    print()
    full_size = max(sizes) >= 100000
    if not full_size:
        print("(the targets are set for 100 000 connections: below that the lines are INFO, not judged)")
    for target, passed, detail in verdicts(reports):
        status = "SKIP" if passed is None else "INFO" if not full_size else "PASS" if passed else "FAIL"
        print(f"{status}  {target}: {detail}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(reports, f, indent=1, default=str)
    if args.smoke:
        print("\nsmoke: the harness works (exporter, client_golang peer and static server answered with the "
              "same series; timings are printed, not judged)")


if __name__ == "__main__":
    main()
