#!/usr/bin/env python3
"""The end-to-end soak of issue 15 (item 5): a real Prometheus scrapes rras_exporter for minutes.

It generates the simulator config of bench/run.py (4 routers, two on MprAdminConnectionEnumEx and two
on levels 3 + 1 + 0, 1 % churn a minute, every per-connection family unless --families default),
starts the exporter, waits until it is ready, measures the exporter's CPU over a window without
scrapes (the polls alone), then starts `prometheus` (Debian's package, from PATH) scraping it every
--interval seconds with a timeout of --interval seconds. After --duration seconds from the first
scrape it reloads Prometheus with no scrape job (the scrapes stop, Prometheus stays up), reads the
exporter's CPU again and takes Prometheus' own series through its HTTP API:
  - up, scrape_duration_seconds and scrape_samples_scraped of job rras, every raw sample of the run;
  - the gaps between scrapes (a gap longer than 1.5 intervals is a missed scrape);
Prometheus (2.42) reports as scrape_duration_seconds the whole scrape: the HTTP GET and its own parsing
and appending of the samples to its head (the scrape timeout bounds the GET only). So once a minute the
harness also times the exporter's answer alone with curl (gzip, as Prometheus asks).
and prints a table and one PASS/FAIL line: "Prometheus up on every 5 s scrape" (no up == 0 and no
missed scrape).

Exporter CPU per scrape is given two ways: overall (process CPU from /proc over the scraping window
divided by the scrapes), and less the polls (less the CPU of the exporter's SCHED_IDLE threads, its
poll workers, over the same window). A baseline window without scrapes before Prometheus starts gives
the polls' CPU when nothing competes with them. In the middle of the run a CPU profile of Prometheus
is taken (/debug/pprof/profile) and summed up with `go tool pprof -top` where Go is installed.

    bench/prometheus_soak.py                                  # 10 minutes at 100 000 connections
    bench/prometheus_soak.py --duration 120 --connections 10000
    bench/prometheus_soak.py --smoke                          # ~45 s at 1 000 connections: the harness only

Only the standard library, `prometheus` and the exporter of the build tree are used. Both servers listen
on 127.0.0.1 only, run under `timeout` (their own time limit) and get SIGTERM when the harness exits
(PR_SET_PDEATHSIG on the `timeout` process, which passes the signal on).
"""
import argparse
import gzip
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import Process, percentile, proc_cpu_seconds, proc_status, scrape, write_config  # noqa: E402  bench/run.py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CpuGroups:
    """A CPU cgroup for each server, as two systemd units have (each `CPUWeight=100`): under
    contention each gets an equal share, and the exporter's SCHED_IDLE poll workers yield only to
    the exporter's own threads, not to Prometheus'. cgroup v1 (`cpu.shares`) or v2 (`cpu.weight`);
    `enabled` is False where neither can be made (not root, no cpu controller): then both servers
    share the harness's group, as before."""

    def __init__(self, wanted):
        self.root, self.made = None, []
        if not wanted:
            return
        v1, v2 = "/sys/fs/cgroup/cpu", "/sys/fs/cgroup"
        if os.path.isfile(os.path.join(v1, "cpu.shares")) and os.access(v1, os.W_OK):
            self.root, self.weight_file, self.weight = v1, "cpu.shares", "1024"
        elif "cpu" in self._read(os.path.join(v2, "cgroup.subtree_control")).split() and os.access(v2, os.W_OK):
            self.root, self.weight_file, self.weight = v2, "cpu.weight", "100"

    @property
    def enabled(self):
        return self.root is not None

    @staticmethod
    def _read(path):
        try:
            with open(path) as f:
                return f.read()
        except OSError:
            return ""

    def place(self, name, pid):
        """Moves process `pid` (every thread of it) into a group of its own named after `name`."""
        if not self.enabled:
            return
        path = os.path.join(self.root, f"rras-soak-{os.getpid()}-{name}")
        try:
            os.makedirs(path, exist_ok=True)
            self.made.append(path)
            with open(os.path.join(path, self.weight_file), "w") as f:
                f.write(self.weight)
            with open(os.path.join(path, "cgroup.procs"), "w") as f:
                f.write(str(pid))
        except OSError as e:  # the run goes on, with this server in the harness's group
            print(f"# CPU group for {name} not made ({path}: {e}); it shares the harness's group", flush=True)

    def remove(self):
        for path in self.made:  # empty once its server has exited; a group still in use stays
            for _ in range(50):
                try:
                    os.rmdir(path)
                    break
                except OSError:
                    time.sleep(0.2)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def child_pid(pid, timeout=10):
    """The one child of `timeout` (the server it runs), for /proc readings."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = f.read().split()
            if children:
                return int(children[0])
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no child of pid {pid} after {timeout} s")


def thread_cpu_split(pid):
    """(process CPU, CPU of its SCHED_IDLE threads) in seconds: the poll workers run under SCHED_IDLE
    (src/poller/background_priority_linux.cpp) and live as long as their router, so the rest of the
    process CPU is serving, the acceptor and the main thread."""
    idle = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended
        if int(fields[38]) == 5:  # policy SCHED_IDLE
            idle += int(fields[11]) + int(fields[12])
    return proc_cpu_seconds(pid), idle / os.sysconf("SC_CLK_TCK")


class PrometheusProfile(threading.Thread):
    """A CPU profile of Prometheus (its /debug/pprof/profile) in the middle of the run, summed up by
    `go tool pprof -top` where Go is installed: where its time goes while it ingests."""

    def __init__(self, base, at, seconds, path):
        super().__init__(daemon=True)
        self.base, self.at, self.seconds, self.path, self.top = base, at, seconds, path, None
        self.start()

    def run(self):
        time.sleep(max(0.0, self.at - time.time()))
        try:
            body, _ = http_get(f"{self.base}/debug/pprof/profile?seconds={self.seconds}", timeout=self.seconds + 120)
            with open(self.path, "wb") as f:
                f.write(body)
            if shutil.which("go"):
                out = subprocess.run(["go", "tool", "pprof", "-top", "-nodecount=20", self.path],
                                     capture_output=True, text=True, check=False, timeout=120)
                self.top = out.stdout.strip() or out.stderr.strip()
        except (urllib.error.URLError, OSError, subprocess.TimeoutExpired) as e:
            self.top = f"no profile: {e}"


def machine_cpu():
    """(busy, total) CPU seconds of the whole machine, all cores, from /proc/stat."""
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(ticks) - ticks[3] - ticks[4]) / hz, sum(ticks) / hz  # less idle and iowait


def http_get(url, timeout=30, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read(), response.headers


def wait_ready(url, proc, name, timeout):
    deadline = time.time() + timeout
    while True:
        if proc.proc.poll() is not None:
            raise RuntimeError(f"{name} exited with code {proc.proc.returncode}")
        try:
            http_get(url, timeout=10)
            return
        except (urllib.error.URLError, OSError):  # 503 until every router has polled once
            if time.time() > deadline:
                raise RuntimeError(f"{name} was not ready at {url} in {timeout} s")
            time.sleep(0.2)


def prom_api(base, path, **params):
    body, _ = http_get(f"{base}/api/v1/{path}?" + urllib.parse.urlencode(params), timeout=120)
    doc = json.loads(body)
    if doc.get("status") != "success":
        raise RuntimeError(f"Prometheus {path} {params}: {doc}")
    return doc["data"]


def raw_samples(base, expr, seconds, at):
    """Every raw sample of `expr` (one series) over the last `seconds` before `at`: [(ts, value)]."""
    data = prom_api(base, "query", query=f"{expr}[{int(seconds)}s]", time=f"{at:.3f}")
    if len(data["result"]) != 1:
        raise RuntimeError(f"{expr}: expected one series, got {len(data['result'])}")
    return [(float(ts), float(v)) for ts, v in data["result"][0]["values"] if v != "NaN"]


def write_prometheus_config(path, interval, timeout, exporter_address):
    """The scrape config, or (exporter_address None) none at all: reloading with it stops the scrapes."""
    lines = ["global:", f"  scrape_interval: {interval}s", f"  scrape_timeout: {timeout}s",
             f"  evaluation_interval: {interval}s"]
    if exporter_address:
        lines += ["scrape_configs:", "  - job_name: rras", "    static_configs:",
                  f"      - targets: ['{exporter_address}']"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def prometheus_metric(base, name):
    """{labels as text: value} of one family of Prometheus' own /metrics."""
    body, _ = http_get(f"{base}/metrics")
    out = {}
    for line in body.decode().splitlines():
        if line.startswith(name):
            key, value = line.rsplit(" ", 1)
            out[key] = float(value)
    return out


def run(args, tmp, groups):
    report = {"connections": args.connections, "interval": args.interval, "timeout": args.timeout,
              "duration": args.duration, "families": args.families, "nproc": os.cpu_count(),
              "cpu_groups": groups.enabled,
              "loadavg_before": os.getloadavg()}
    lifetime = args.baseline + args.duration + 900  # every server stops by itself after this
    poll_interval = 1 if args.connections <= 10000 else 5  # as bench/run.py
    config = os.path.join(tmp, "exporter.yml")
    write_config(config, args.connections, poll_interval)
    if args.families == "default":  # the lean default of per_connection_families (4 series)
        with open(config) as f:
            text = "".join(line for line in f if "per_connection_families" not in line)
        with open(config, "w") as f:
            f.write(text)
    report["poll_interval"] = poll_interval
    started = []
    try:
        exporter = Process("rras_exporter", ["timeout", "-k", "10", str(lifetime),
                                             os.path.join(args.build_dir, "rras_exporter"), f"--config.file={config}",
                                             "--web.listen-address=127.0.0.1:0"],
                           r"msg=listening address=(127\.0\.0\.1:\d+)", stream="stderr")
        started.append(exporter)
        exporter_pid = child_pid(exporter.pid)
        groups.place("exporter", exporter_pid)
        exporter_address = exporter.match.group(1)
        t0 = time.time()
        wait_ready(f"http://{exporter_address}/-/ready", exporter, "rras_exporter", 300)
        print(f"# exporter ready on {exporter_address} after {time.time() - t0:.1f} s", flush=True)
        body, headers = http_get(f"http://{exporter_address}/metrics", timeout=120,
                                 headers={"Accept-Encoding": "gzip"})
        plain = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        report.update(gzip_bytes=len(body), plain_bytes=len(plain),
                      series=sum(1 for line in plain.splitlines() if line and not line.startswith(b"#")))
        del body, plain

        # Baseline: the exporter's CPU with polls and no scrapes.
        time.sleep(1)
        b_start, (b_cpu, b_idle) = time.time(), thread_cpu_split(exporter_pid)
        time.sleep(args.baseline)
        b_end, (b_cpu_end, b_idle_end) = time.time(), thread_cpu_split(exporter_pid)
        report["poll_cpu_per_second"] = (b_cpu_end - b_cpu) / (b_end - b_start)
        report["baseline_poll_thread_share"] = (b_idle_end - b_idle) / max(1e-9, b_cpu_end - b_cpu)
        print(f"# baseline {b_end - b_start:.0f} s without scrapes: exporter CPU "
              f"{report['poll_cpu_per_second']:.3f} s/s (polls every {poll_interval} s), "
              f"{report['baseline_poll_thread_share']:.0%} of it in SCHED_IDLE threads", flush=True)

        prom_config = os.path.join(tmp, "prometheus.yml")
        write_prometheus_config(prom_config, args.interval, args.timeout, exporter_address)
        prom_port = free_port()
        prom_base = f"http://127.0.0.1:{prom_port}"
        w_start, (w_cpu, w_idle), m_start = time.time(), thread_cpu_split(exporter_pid), machine_cpu()
        prometheus = Process("prometheus", ["timeout", "-k", "10", str(lifetime), shutil.which("prometheus"),
                                            f"--config.file={prom_config}",
                                            f"--storage.tsdb.path={os.path.join(tmp, 'tsdb')}",
                                            "--storage.tsdb.retention.time=1d",
                                            f"--web.listen-address=127.0.0.1:{prom_port}", "--web.enable-lifecycle"],
                             r"Server is ready to receive web requests", stream="stderr", timeout=120)
        started.append(prometheus)
        prom_pid = child_pid(prometheus.pid)
        groups.place("prometheus", prom_pid)
        prom_cpu_start = proc_cpu_seconds(prom_pid)

        # The first scrape, then --duration seconds of them.
        # The first scrape creates every series in Prometheus' head: at 1.4 M series that takes a while.
        deadline = time.time() + 300
        first = None
        while first is None:
            result = prom_api(prom_base, "query", query='up{job="rras"}')["result"]
            if result:
                first = raw_samples(prom_base, 'up{job="rras"}', time.time() - w_start + 60, time.time())[0][0]
            elif time.time() > deadline:
                raise RuntimeError("Prometheus made no scrape of the exporter")
            else:
                time.sleep(0.5)
        stop_at = first + args.duration - args.interval / 2
        report["first_scrape_visible_after"] = time.time() - w_start
        print(f"# Prometheus {prom_base} scraping every {args.interval} s (timeout {args.timeout} s); "
              f"first scrape at {time.strftime('%H:%M:%S', time.gmtime(first))} UTC, in the API "
              f"{report['first_scrape_visible_after']:.1f} s after the start; "
              f"{args.duration} s to go", flush=True)
        next_report = time.time() + 60
        profile, curl_times = None, []
        if args.profile_seconds and args.duration > args.profile_seconds + 20:
            profile = PrometheusProfile(prom_base, first + (args.duration - args.profile_seconds) / 2,
                                        args.profile_seconds, args.profile_out or os.path.join(tmp, "prometheus.pprof"))
        while time.time() < stop_at:
            time.sleep(min(1.0, max(0.0, stop_at - time.time())))
            for p in (exporter, prometheus):
                if p.proc.poll() is not None:
                    raise RuntimeError(f"{p.name} exited with code {p.proc.returncode}")
            if time.time() >= next_report:
                next_report += 60
                curl_seconds, _ = scrape(f"http://{exporter_address}/metrics", True)
                curl_times.append(curl_seconds)
                last = {r["metric"]["__name__"]: float(r["value"][1]) for r in prom_api(
                    prom_base, "query", query='{job="rras",__name__=~"up|scrape_duration_seconds"}')["result"]}
                print(f"# +{time.time() - first:4.0f} s  up {last.get('up')}  last scrape "
                      f"{last.get('scrape_duration_seconds', float('nan')):.3f} s  curl gzip GET {curl_seconds:.3f} s  "
                      f"RSS exporter "
                      f"{proc_status(exporter_pid, 'VmRSS') / 2**20:,.0f} MB, Prometheus "
                      f"{proc_status(prom_pid, 'VmRSS') / 2**20:,.0f} MB  loadavg {os.getloadavg()[0]:.2f}",
                      flush=True)

        # Stop the scrapes (reload with no job), then read the exporter's CPU and the series.
        write_prometheus_config(prom_config, args.interval, args.timeout, None)
        reloaded = urllib.request.Request(f"{prom_base}/-/reload", method="POST")
        with urllib.request.urlopen(reloaded, timeout=120):
            pass
        w_end, (w_cpu_end, w_idle_end), m_end = time.time(), thread_cpu_split(exporter_pid), machine_cpu()
        prom_cpu_end = proc_cpu_seconds(prom_pid)
        span = w_end - w_start + 60
        ups = raw_samples(prom_base, 'up{job="rras"}', span, w_end + 1)
        durations = [v for _, v in raw_samples(prom_base, 'scrape_duration_seconds{job="rras"}', span, w_end + 1)]
        samples = [v for _, v in raw_samples(prom_base, 'scrape_samples_scraped{job="rras"}', span, w_end + 1)]
        intervals = prometheus_metric(prom_base, "prometheus_target_interval_length_seconds{")
        report["head_series"] = prometheus_metric(prom_base, "prometheus_tsdb_head_series ").get(
            "prometheus_tsdb_head_series", float("nan"))
        # What the exporter served: its routers' health over the run, failed polls by error.
        rras_up = prom_api(prom_base, "query", query=f"rras_up[{int(span)}s]", time=f"{w_end + 1:.3f}")["result"]
        report["rras_up_zero"] = {r["metric"].get("router", "?"): sum(1 for _, v in r["values"] if v == "0")
                                  for r in rras_up}
        report["rras_up_samples"] = sum(len(r["values"]) for r in rras_up)
        errors = prom_api(prom_base, "query", time=f"{w_end + 1:.3f}",
                          query=f"sum by (error) (last_over_time(rras_poll_errors_total[{int(span)}s]))")["result"]
        report["poll_errors"] = {r["metric"].get("error", "?"): float(r["value"][1]) for r in errors}
        report["scrapes_short"] = sum(1 for v in samples if v < 0.95 * report["series"])
        stamps = [ts for ts, _ in ups]
        gaps = [b - a for a, b in zip(stamps, stamps[1:])]
        missed = sum(max(0, round(g / args.interval) - 1) for g in gaps)
        cpu, poll_cpu = w_cpu_end - w_cpu, w_idle_end - w_idle
        if profile:
            profile.join(args.profile_seconds + 150)
            report["prometheus_profile_top"] = profile.top
        report.update(
            scrapes=len(ups), up_zero=sum(1 for _, v in ups if v != 1.0), missed=missed,
            run_seconds=stamps[-1] - stamps[0] + args.interval if stamps else 0.0,
            gap_max=max(gaps) if gaps else float("nan"),
            scrape_duration={"min": min(durations), "median": statistics.median(durations),
                             "p99": percentile(durations, 99), "max": max(durations)},
            samples_scraped={"min": min(samples), "max": max(samples)},
            scrape_duration_after_first={"min": min(durations[1:]), "median": statistics.median(durations[1:]),
                                         "p99": percentile(durations[1:], 99), "max": max(durations[1:])}
            if len(durations) > 1 else None,
            window_seconds=w_end - w_start, exporter_cpu_seconds=cpu,
            cpu_per_scrape=cpu / len(ups),
            exporter_poll_cpu_seconds=poll_cpu, curl_gzip_seconds=curl_times,
            cpu_per_scrape_less_polls=(cpu - poll_cpu) / len(ups),
            prometheus_cpu_seconds=prom_cpu_end - prom_cpu_start,
            machine_busy_seconds=m_end[0] - m_start[0], machine_cpu_seconds=m_end[1] - m_start[1],
            interval_quantiles={k.split("quantile=")[-1].strip('"}'): v for k, v in intervals.items()
                                if f'interval="{args.interval}s"' in k and "quantile" in k},
            rss_exporter_peak=proc_status(exporter_pid, "VmHWM"), rss_prometheus_peak=proc_status(prom_pid, "VmHWM"),
            loadavg_after=os.getloadavg())
        return report
    finally:
        for p in reversed(started):
            p.stop()


def print_report(r):
    d = r["scrape_duration"]
    ms = lambda s: f"{s * 1000:,.1f}"  # noqa: E731
    print(f"\n## Prometheus soak: {r['connections']:,} connections, scrape every {r['interval']} s "
          f"(timeout {r['timeout']} s), {r['duration']} s\n")
    print("| what | value |")
    print("|---|---|")
    rows = [
        ("per-connection families", "all 14 series (as bench/run.py)" if r["families"] == "all"
         else "the default (info, start time, sent and received bytes)"),
        ("series (exporter body) / scrape_samples_scraped min–max",
         f"{r['series']:,} / {r['samples_scraped']['min']:,.0f}–{r['samples_scraped']['max']:,.0f}"),
        ("body bytes plain / gzip (what Prometheus is sent)", f"{r['plain_bytes']:,} / {r['gzip_bytes']:,}"),
        ("scrapes (up samples) / up == 0 / missed (gap > 1.5 intervals)",
         f"{r['scrapes']} / {r['up_zero']} / {r['missed']}"),
        ("longest gap between scrapes", f"{r['gap_max']:.2f} s"),
        ("first scrape visible in the API (after Prometheus started)", f"{r['first_scrape_visible_after']:.1f} s"),
        ("scrape_duration_seconds min / median / p99 / max (ms)",
         f"{ms(d['min'])} / {ms(d['median'])} / {ms(d['p99'])} / {ms(d['max'])}"),
        ("the same without the first scrape (it creates every series)",
         " / ".join(ms(a[k]) for k in ("min", "median", "p99", "max")) if (a := r["scrape_duration_after_first"])
         else "–"),
        ("the exporter's answer alone: curl gzip GET once a minute, median / max (ms)",
         f"{ms(statistics.median(r['curl_gzip_seconds']))} / {ms(max(r['curl_gzip_seconds']))}"
         if r["curl_gzip_seconds"] else "–"),
        ("Prometheus interval length quantiles (s)",
         ", ".join(f"{q}: {v:.3f}" for q, v in sorted(r["interval_quantiles"].items())) or "–"),
        ("exporter CPU, polls alone (baseline without scrapes)",
         f"{r['poll_cpu_per_second']:.3f} s per s (polls every {r['poll_interval']} s; "
         f"{r['baseline_poll_thread_share']:.0%} in SCHED_IDLE threads)"),
        ("exporter CPU over the scraping window: all / poll threads (SCHED_IDLE)",
         f"{r['exporter_cpu_seconds']:.2f} / {r['exporter_poll_cpu_seconds']:.2f} s in {r['window_seconds']:.0f} s"),
        ("exporter CPU per scrape: overall / less the poll threads",
         f"{ms(r['cpu_per_scrape'])} / {ms(r['cpu_per_scrape_less_polls'])} ms"),
        ("Prometheus CPU over the window / per scrape",
         f"{r['prometheus_cpu_seconds']:.1f} s / {r['prometheus_cpu_seconds'] / max(1, r['scrapes']):.2f} s"),
        ("machine CPU over the window: busy / available; of it exporter + Prometheus, the rest other processes",
         f"{r['machine_busy_seconds']:.0f} / {r['machine_cpu_seconds']:.0f} s; "
         f"{r['exporter_cpu_seconds'] + r['prometheus_cpu_seconds']:.0f} s, "
         f"{r['machine_busy_seconds'] - r['exporter_cpu_seconds'] - r['prometheus_cpu_seconds']:.0f} s"),
        ("scrapes with under 95 % of the series (routers without data)", f"{r['scrapes_short']} of {r['scrapes']}"),
        ("rras_up == 0 samples by router (of all rras_up samples)",
         (", ".join(f"{k}: {v}" for k, v in sorted(r["rras_up_zero"].items())) or "–")
         + f" (of {r['rras_up_samples']})"),
        ("rras_poll_errors_total by error at the end (since the exporter started)",
         ", ".join(f"{k}: {v:.0f}" for k, v in sorted(r["poll_errors"].items())) or "none"),
        ("Prometheus head series at the end", f"{r['head_series']:,.0f}"),
        ("peak RSS exporter / Prometheus (VmHWM)",
         f"{r['rss_exporter_peak'] / 2**20:,.0f} MB / {r['rss_prometheus_peak'] / 2**20:,.0f} MB"),
        ("nproc; loadavg (1 min) before → after", f"{r['nproc']}; {r['loadavg_before'][0]:.2f} → "
         f"{r['loadavg_after'][0]:.2f} (5 min {r['loadavg_before'][1]:.2f} → {r['loadavg_after'][1]:.2f})"),
    ]
    for what, value in rows:
        print(f"| {what} | {value} |")


def verdict(r):
    expected = int(r["duration"] // r["interval"])
    passed = r["scrapes"] >= expected and r["up_zero"] == 0 and r["missed"] == 0
    return passed, (f"{r['scrapes']} scrapes (expected {expected}), {r['up_zero']} with up == 0, "
                    f"{r['missed']} missed")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    parser.add_argument("--duration", type=int, default=600, help="seconds of scrapes (default 600)")
    parser.add_argument("--connections", type=int, default=100000)
    parser.add_argument("--interval", type=int, default=5, help="scrape interval, seconds (default 5)")
    parser.add_argument("--timeout", type=int, help="scrape timeout, seconds (default: the interval)")
    parser.add_argument("--baseline", type=int, default=30, help="seconds of polls without scrapes (CPU baseline)")
    parser.add_argument("--families", choices=("all", "default"), default="all",
                        help="per-connection families: all 14 series as bench/run.py (default), or the lean default")
    parser.add_argument("--profile-seconds", type=int, default=30,
                        help="CPU profile of Prometheus this long in the middle of the run (0: none)")
    parser.add_argument("--profile-out", help="keep the Prometheus profile here (pprof format)")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--smoke", action="store_true", help="~45 s at 1 000 connections: checks the harness only")
    parser.add_argument("--shared-cpu-group", action="store_true",
                        help="leave both servers in the harness's CPU group (as run by hand) instead of a cgroup "
                             "each (as two systemd units)")
    args = parser.parse_args()
    if args.smoke:
        args.duration, args.connections, args.baseline = 30, 1000, 5
    args.timeout = args.timeout or args.interval
    if not os.access(os.path.join(args.build_dir, "rras_exporter"), os.X_OK):
        sys.exit(f"prometheus_soak.py: {args.build_dir}/rras_exporter is missing; build first "
                 "(cmake --preset release && cmake --build --preset release --target rras_exporter)")
    for tool in ("prometheus", "timeout"):
        if shutil.which(tool) is None:
            sys.exit(f"prometheus_soak.py: `{tool}` is not on PATH (apt-get install prometheus)")
    print(f"# rras_exporter Prometheus soak: {args.connections:,} connections, every {args.interval} s for "
          f"{args.duration} s, {os.cpu_count()} CPUs, loadavg {os.getloadavg()[0]:.2f}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks
    groups = CpuGroups(not args.shared_cpu_group)
    print(f"# CPU groups: {'one cgroup each (' + groups.weight_file + ' ' + groups.weight + ')' if groups.enabled else 'shared'}",
          flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="rras_soak_") as tmp:
            report = run(args, tmp, groups)
    finally:
        groups.remove()
    print_report(report)
    if report.get("prometheus_profile_top"):
        print(f"\n## Prometheus CPU profile, {args.profile_seconds} s in the middle of the run (go tool pprof -top)\n")
        print("```\n" + report["prometheus_profile_top"] + "\n```")
    passed, detail = verdict(report)
    status = "INFO" if args.smoke else "PASS" if passed else "FAIL"
    print(f"\n{status}  Prometheus up on every {args.interval} s scrape ({report['connections']:,} connections, "
          f"{args.duration} s): {detail}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    if args.smoke:
        print("\nsmoke: the harness works (the exporter served, Prometheus scraped it and answered the queries; "
              "timings are printed, not judged)")
        if not passed:
            sys.exit(1)


if __name__ == "__main__":
    main()
