#!/usr/bin/env python3
"""End-to-end test: a real Prometheus server scrapes rras_exporter running on config/demo.yml.

Usage: prometheus_scrape_test.py <exporter-binary> <repo-root>

Starts the exporter on a free 127.0.0.1 port, waits for /-/ready, starts `prometheus` (from PATH)
with a temporary config scraping the exporter every second, then queries the Prometheus HTTP API
until these hold (or 60 s pass):
  (a) rras_up is 1 for every healthy router and 0 for the failing one (demo-denied);
  (b) sum by (router) (rras_connections) equals each healthy router's configured connection count,
      and there is no rras_connections series for demo-denied;
  (c) count by (router) of rras_connection_info and of rras_connection_start_timestamp_seconds
      equals each healthy router's configured connection count;
  (d) demo-denied has no per-connection series at all.
Once they hold, it waits for connection churn (sum(rras_connections_started_total) rises, i.e. the
exporter has polled again and connections have left and arrived) and requires them to hold again, so series of
departed connections are known to go stale in Prometheus instead of inflating the counts.
The expected counts are read from config/demo.yml. Both servers listen on 127.0.0.1 only and are
stopped in `finally`; the whole test has a hard limit of 120 s. Exit 0 on success, 1 on failure.
Only the python3 standard library is used.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from testlib import free_port  # noqa: E402  tests/lib

HARD_TIMEOUT_S = 120
ASSERT_DEADLINE_S = 60
FAILING_ROUTER = "demo-denied"


class TestFailure(Exception):
    pass


class HardTimeout(Exception):
    pass


def log(msg):
    print(f"[prometheus_scrape_test +{time.monotonic() - START:6.1f}s] {msg}", flush=True)


START = time.monotonic()


def parse_demo_config(path):
    """Return {router: {"connections": int, "faults": bool}} from the routers: list of demo.yml.

    Not a YAML parser: it reads `- name: X` items and the flow mapping on the `simulator:` line,
    which is the layout config/demo.yml uses."""
    routers = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].rstrip()
            m = re.match(r"^\s*-\s*name:\s*['\"]?([^'\"\s]+)['\"]?\s*$", line)
            if m:
                current = m.group(1)
                routers[current] = {"connections": None, "faults": False}
                continue
            m = re.match(r"^\s*simulator:\s*\{(.*)\}\s*$", line)
            if m and current is not None:
                body = m.group(1)
                c = re.search(r"(?:^|[{,\s])connections:\s*(\d+)", body)
                if c:
                    routers[current]["connections"] = int(c.group(1))
                routers[current]["faults"] = bool(re.search(r"(?:^|[{,\s])faults:", body))
    if not routers:
        raise TestFailure(f"no routers found in {path}")
    for name, r in routers.items():
        if r["connections"] is None:
            raise TestFailure(f"router {name} in {path}: no `simulator: {{connections: N, ...}}` found")
    return routers


def http_get(url, timeout=2.0):
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        return resp.status, resp.read()


def wait_http_ok(url, proc, name, deadline):
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise TestFailure(f"{name} exited with code {proc.returncode} while waiting for {url}")
        try:
            status, _ = http_get(url, timeout=1.0)
            if status == 200:
                return
            last = f"HTTP {status}"
        except urllib.error.HTTPError as e:
            last = f"HTTP {e.code}"
        except (urllib.error.URLError, OSError) as e:
            last = str(e)
        time.sleep(0.2)
    raise TestFailure(f"timed out waiting for {url} to return 200 (last: {last})")


def prom_query(base, expr):
    """Instant query; returns the result vector as a list of (labels dict, float value)."""
    url = f"{base}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        _, body = http_get(url, timeout=5.0)
    except urllib.error.HTTPError as e:
        raise TestFailure(f"query {expr!r}: HTTP {e.code}: {e.read()[:500]!r}")
    doc = json.loads(body)
    if doc.get("status") != "success":
        raise TestFailure(f"query {expr!r} failed: {doc}")
    data = doc["data"]
    if data["resultType"] != "vector":
        raise TestFailure(f"query {expr!r}: expected a vector, got {data['resultType']}")
    return [(r["metric"], float(r["value"][1])) for r in data["result"]]


def by_router(result):
    return {labels.get("router", ""): value for labels, value in result}


def check_all(base, healthy, failing):
    """Raise TestFailure describing the first assertion that does not hold."""
    # (a) rras_up
    up = by_router(prom_query(base, "rras_up"))
    expected_up = {r: 1.0 for r in healthy}
    expected_up.update({r: 0.0 for r in failing})
    if up != expected_up:
        raise TestFailure(f"(a) rras_up: expected {expected_up}, actual {up}")

    # (b) rras_connections per router
    expected_counts = {r: float(n) for r, n in healthy.items()}
    sums = by_router(prom_query(base, "sum by (router) (rras_connections)"))
    if sums != expected_counts:
        raise TestFailure(
            f"(b) sum by (router) (rras_connections): expected {expected_counts}, actual {sums}")
    for r in failing:
        series = prom_query(base, f'rras_connections{{router="{r}"}}')
        if series:
            raise TestFailure(
                f"(b) rras_connections{{router=\"{r}\"}}: expected no series, actual {series}")

    # (c) per-connection series counts
    for metric in ("rras_connection_info", "rras_connection_start_timestamp_seconds"):
        counts = by_router(prom_query(base, f"count by (router) ({metric})"))
        if counts != expected_counts:
            raise TestFailure(
                f"(c) count by (router) ({metric}): expected {expected_counts}, actual {counts}")

    # (d) no per-connection series for the failing router
    for r in failing:
        for expr in (f'{{router="{r}",connection!=""}}',
                     f'{{__name__=~"rras_connection_.+",router="{r}"}}'):
            series = prom_query(base, f"count by (__name__) ({expr})")
            if series:
                found = {labels.get("__name__"): int(v) for labels, v in series}
                raise TestFailure(f"(d) {expr}: expected no series, actual {found}")


def stop(proc, name):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop after SIGTERM, killing it")
        proc.kill()
        proc.wait(timeout=10)


def tail(path, n=30):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def prepare(argv, hard_timeout_s):
    """Checks the arguments and the tools, arms the hard timeout; returns (exporter binary, repo root)."""
    if len(argv) != 3:
        print(f"usage: {argv[0]} <exporter-binary> <repo-root>", file=sys.stderr)
        raise SystemExit(2)
    exporter_bin = os.path.abspath(argv[1])
    if not os.access(exporter_bin, os.X_OK):
        print(f"FAIL: exporter binary {exporter_bin} is missing or not executable", file=sys.stderr)
        raise SystemExit(1)
    if shutil.which("prometheus") is None:
        print("FAIL: `prometheus` not found in PATH", file=sys.stderr)
        raise SystemExit(1)

    def on_alarm(signum, frame):
        raise HardTimeout(f"hard timeout of {hard_timeout_s} s exceeded")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(hard_timeout_s)
    return exporter_bin, os.path.abspath(argv[2])


def start_exporter(exporter_bin, config, tmpdir, log_path, log_level):
    """The exporter on a free 127.0.0.1 port, its output in log_path; returns (process, port)."""
    port = free_port()
    with open(log_path, "wb") as lf:
        proc = subprocess.Popen(
            [exporter_bin, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
             f"--log.level={log_level}"],
            stdin=subprocess.DEVNULL, stdout=lf, stderr=subprocess.STDOUT, cwd=tmpdir)
    return proc, port


def start_prometheus(tmpdir, exporter_port, rule_files, log_path):
    """Prometheus scraping the exporter every second (job rras), evaluating rule_files every second,
    on a free 127.0.0.1 port; returns (process, base URL)."""
    prom_port = free_port()
    config = os.path.join(tmpdir, "prometheus.yml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("global:\n"
                "  scrape_interval: 1s\n"
                "  scrape_timeout: 1s\n"
                "  evaluation_interval: 1s\n"
                + ("rule_files:\n" + "".join(f"  - {json.dumps(r)}\n" for r in rule_files) if rule_files else "")
                + "scrape_configs:\n"
                "  - job_name: rras\n"
                "    static_configs:\n"
                f"      - targets: ['127.0.0.1:{exporter_port}']\n")
    with open(log_path, "wb") as lf:
        proc = subprocess.Popen(
            [shutil.which("prometheus"), f"--config.file={config}",
             f"--storage.tsdb.path={os.path.join(tmpdir, 'data')}", "--storage.tsdb.retention.time=1h",
             f"--web.listen-address=127.0.0.1:{prom_port}", "--log.level=warn"],
            stdin=subprocess.DEVNULL, stdout=lf, stderr=subprocess.STDOUT, cwd=tmpdir)
    return proc, f"http://127.0.0.1:{prom_port}"


def shut_down(ok, exporter, prometheus, exporter_log, prometheus_log, tmpdir):
    """Stops both (either may be None), shows their last output when the test failed, cleans up."""
    signal.alarm(0)
    try:
        stop(prometheus, "prometheus")
    finally:
        stop(exporter, "exporter")
    if not ok:
        for name, path in (("exporter", exporter_log), ("prometheus", prometheus_log)):
            t = tail(path)
            if t:
                print(f"--- last lines of {name} output ---\n{t}", file=sys.stderr, flush=True)
    shutil.rmtree(tmpdir, ignore_errors=True)


def main(argv):
    exporter_bin, repo_root = prepare(argv, HARD_TIMEOUT_S)
    config = os.path.join(repo_root, "config", "demo.yml")
    tmpdir = tempfile.mkdtemp(prefix="rras_prom_scrape_test.")
    exporter = prometheus = None
    exporter_log = os.path.join(tmpdir, "exporter.log")
    prometheus_log = os.path.join(tmpdir, "prometheus.log")
    ok = False
    try:
        routers = parse_demo_config(config)
        healthy = {n: r["connections"] for n, r in routers.items() if not r["faults"]}
        failing = [n for n, r in routers.items() if r["faults"]]
        if failing != [FAILING_ROUTER] or not healthy:
            raise TestFailure(
                f"{config}: expected exactly one failing router ({FAILING_ROUTER}) and at least one "
                f"healthy router, found failing={failing} healthy={sorted(healthy)}")
        log(f"expected connections from {config}: {healthy}; failing router: {failing}")

        exporter, exporter_port = start_exporter(exporter_bin, config, tmpdir, exporter_log, "info")
        exporter_url = f"http://127.0.0.1:{exporter_port}"
        log(f"started exporter on {exporter_url}")
        wait_http_ok(f"{exporter_url}/-/ready", exporter, "exporter", time.monotonic() + 20)
        log("exporter is ready")

        prometheus, prom_url = start_prometheus(tmpdir, exporter_port, [], prometheus_log)
        log(f"started prometheus ({shutil.which('prometheus')}) on {prom_url}")
        wait_http_ok(f"{prom_url}/-/ready", prometheus, "prometheus", time.monotonic() + 30)
        log("prometheus is ready; waiting for the first successful scrape")

        deadline = time.monotonic() + ASSERT_DEADLINE_S
        last_failure = "no scrape yet"
        scraped = False
        baseline_started = None
        while True:
            if exporter.poll() is not None:
                raise TestFailure(f"exporter exited with code {exporter.returncode}")
            if prometheus.poll() is not None:
                raise TestFailure(f"prometheus exited with code {prometheus.returncode}")
            try:
                if not scraped:
                    up = prom_query(prom_url, 'up{job="rras"}')
                    if up and all(v == 1.0 for _, v in up):
                        scraped = True
                        log("prometheus scraped the exporter (up{job=\"rras\"} == 1); checking assertions")
                    else:
                        last_failure = f'up{{job="rras"}} is {up} (expected 1)'
                        targets = http_get(f"{prom_url}/api/v1/targets", timeout=5.0)[1]
                        for t in json.loads(targets)["data"]["activeTargets"]:
                            if t.get("lastError"):
                                last_failure += f"; target {t['scrapeUrl']} lastError: {t['lastError']}"
                if scraped:
                    # Churn first, then the assertions: they then see data at least as new.
                    churn = prom_query(prom_url, "sum(rras_connections_started_total)")
                    started = churn[0][1] if churn else 0.0
                    check_all(prom_url, healthy, failing)
                    if baseline_started is None:
                        baseline_started = started
                        log("all assertions hold: (a) rras_up, (b) rras_connections, "
                            "(c) per-connection counts, (d) no per-connection series for "
                            + ", ".join(failing))
                        log(f"waiting for connection churn (sum(rras_connections_started_total) "
                            f"to rise above {started:g}) to check again after connections have "
                            "come and gone")
                    elif started > baseline_started:
                        log(f"after churn ({started - baseline_started:g} more connections started): "
                            "all assertions still hold")
                        ok = True
                        break
                    last_failure = ("assertions hold but no churn seen yet "
                                    f"(sum(rras_connections_started_total) still {started:g})")
            except TestFailure as e:
                last_failure = str(e)
            except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
                last_failure = f"querying prometheus: {e}"
            if time.monotonic() >= deadline:
                raise TestFailure(
                    f"assertions still failing after {ASSERT_DEADLINE_S} s; last failure: {last_failure}")
            time.sleep(1.0)
    except (TestFailure, HardTimeout) as e:
        print(f"FAIL: {e}", file=sys.stderr, flush=True)
    finally:
        shut_down(ok, exporter, prometheus, exporter_log, prometheus_log, tmpdir)
    if ok:
        log("PASS")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
