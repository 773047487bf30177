#!/usr/bin/env python3
"""Fleets through /probe (issue 17), end to end with real Prometheus servers.

Usage: probe_fleet_test.py <exporter-binary> <repo-root>

  (0) The example configs in docs/examples/ pass `promtool check config` (the Consul one with its
      consul_sd_configs swapped for static targets: Debian builds Prometheus without Consul SD) and
      the exporter's `--config.check`.
  (1) Allow-list: a rrasm module whose allowed_targets lack 127.0.0.1 answers 403 to
      target=127.0.0.1 (and to other spellings of this host) and a TCP listener there sees no
      connection at all; the same module allowing 127.0.0.1 (positive control) does connect.
  (2) Shards: Prometheus runs docs/examples/prometheus-shards.yml (file_sd, hashmod over two jobs)
      against two exporter replicas and 50 simulated targets. Every target is scraped by exactly
      one replica, the one Prometheus' hashmod (md5) picks, and only that replica polls it;
      count(rras_up == 1) is 50; the dashboard's variables list all 50 routers.
  (3) HA: two Prometheus servers run docs/examples/prometheus-file-sd.yml against one rrasm target
      (tests/fakes/fake_dimsvc.py), scraping every 500 ms; the fake serves one poll per
      poll_interval (2 s), not one per scrape.
  (4) The file_sd list changes (10 removed, 5 added): the new targets are scraped by their replica,
      the removed ones are forgotten by the exporter once idle for target_idle_timeout (4 s), the
      others are kept.
Everything listens on 127.0.0.1 and stops in `finally`; hard limit 120 s. Python stdlib only (the
fake runs under /usr/bin/python3 for Debian's python3-impacket).
"""

import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from testlib import free_port  # noqa: E402  tests/lib

HARD_TIMEOUT_S = 120
PROMETHEUS = "/usr/bin/prometheus"
PROMTOOL = "/usr/bin/promtool"
IDLE_S = 4                    # module lab's target_idle_timeout
HA_POLL_S = 2                 # module ha's poll_interval
HA_WINDOW_S = 8               # how long the two HA servers are watched
FLEET = [f"sim-{i:03d}" for i in range(1, 51)]
REMOVED = FLEET[:10]
ADDED = [f"sim-{i:03d}" for i in range(51, 56)]
START = time.monotonic()


class TestFailure(Exception):
    pass


def log(msg):
    print(f"[probe_fleet_test +{time.monotonic() - START:5.1f}s] {msg}", flush=True)


def shard(target):
    """Prometheus' hashmod: md5 of the source label value, its last 8 bytes big-endian, mod 2."""
    return int.from_bytes(hashlib.md5(target.encode()).digest()[8:], "big") % 2


def http_get(url, headers=None, timeout=10.0):
    """(status, body text); non-2xx statuses are returned, not raised."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def prom_api(base, path, params):
    status, body = http_get(f"{base}{path}?" + urllib.parse.urlencode(params, doseq=True))
    doc = json.loads(body)
    if status != 200 or doc.get("status") != "success":
        raise TestFailure(f"{path} {params}: HTTP {status} {body[:300]}")
    return doc["data"]


def query(base, expr):
    return [(r["metric"], float(r["value"][1])) for r in prom_api(base, "/api/v1/query", {"query": expr})["result"]]


def probed(exporter_url, module):
    """The landing page's probe table: {target: seconds since its last probe} for `module`."""
    _, page = http_get(exporter_url + "/")
    rows = re.findall(r'<tr><td><a href="probe\?module=([^&"]+)&amp;target=([^"]+)">[^<]*</a></td><td>[^<]*</td>'
                      r'<td>(\d+) s ago</td></tr>', page)
    return {t: int(s) for m, t, s in rows if m == module}


def instantiate(src, dst, replacements):
    """Copies an example config with its placeholders replaced; each must occur (docs stay tested)."""
    with open(src, encoding="utf-8") as f:
        text = f.read()
    for old, new in replacements.items():
        if old not in text:
            raise TestFailure(f"{src}: no {old!r} to replace; the test and the example disagree")
        text = text.replace(old, new)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)
    return dst


def write_targets(path, targets):
    """A file_sd file, replaced atomically so Prometheus never reads half of one."""
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump([{"targets": targets}], f)
    os.replace(path + ".tmp", path)


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts and closes them."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.done = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not self.done:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self):
        self.done = True
        self.sock.close()


class Processes:
    def __init__(self, tmp):
        self.tmp, self.procs = tmp, []

    def start(self, name, argv, stdout=None):
        logf = open(os.path.join(self.tmp, name + ".log"), "wb")
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout or logf, stderr=logf, cwd=self.tmp)
        self.procs.append((name, proc))
        return proc

    def check_alive(self):
        for name, proc in self.procs:
            if proc.poll() is not None:
                raise TestFailure(f"{name} exited with code {proc.returncode}")

    def stop_all(self, show_logs):
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if show_logs:
                try:
                    with open(os.path.join(self.tmp, name + ".log"), encoding="utf-8", errors="replace") as f:
                        print(f"--- last lines of {name} ---\n" + "".join(f.readlines()[-20:]), file=sys.stderr)
                except OSError:
                    pass

    def log_text(self, name):
        with open(os.path.join(self.tmp, name + ".log"), encoding="utf-8", errors="replace") as f:
            return f.read()


def start_exporter(procs, exporter_bin, name, config_text):
    config = os.path.join(procs.tmp, name + ".yml")
    with open(config, "w", encoding="utf-8") as f:
        f.write(config_text)
    port = free_port()
    procs.start(name, [exporter_bin, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                       "--log.level=info"])
    return f"http://127.0.0.1:{port}", f"127.0.0.1:{port}"


def start_prometheus(procs, name, config):
    port = free_port()
    procs.start(name, [PROMETHEUS, f"--config.file={config}",
                       f"--storage.tsdb.path={os.path.join(procs.tmp, name + '-data')}",
                       f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
    return f"http://127.0.0.1:{port}"


def eventually(what, check, start, deadline_s, interval=0.3):
    """Calls check() until it returns without raising TestFailure/OSError/ValueError; after
    deadline_s from `start` fails with the last reason."""
    last = "never checked"
    while time.monotonic() - start < deadline_s:
        try:
            check()
            log(f"ok: {what}")
            return
        except (TestFailure, OSError, ValueError) as e:
            last = str(e)
        time.sleep(interval)
    raise TestFailure(f"{what}: not within {deadline_s} s; last: {last}")


def wait_ok(url, procs, deadline_s=30):
    def ok():
        procs.check_alive()
        status, body = http_get(url, timeout=1)
        if status != 200:
            raise TestFailure(f"HTTP {status} {body[:200]!r}")
    eventually(f"{url} answers 200", ok, time.monotonic(), deadline_s, 0.2)


# --- (0) example configs -------------------------------------------------------------------------

def check_examples(root, exporter_bin, tmp):
    examples = os.path.join(root, "docs", "examples")
    # file_sd pointed at the example targets file: promtool then checks that file's content too.
    checked = [instantiate(os.path.join(examples, name), os.path.join(tmp, name),
                           {"/etc/prometheus/rras_targets.json": os.path.join(examples, "rras_targets.json")})
               for name in ("prometheus-file-sd.yml", "prometheus-shards.yml")]
    checked.append(os.path.join(examples, "prometheus-dns-sd.yml"))
    # Debian's Prometheus has no Consul SD: check the rest of that file with static targets.
    consul_block = "    consul_sd_configs:\n      - server: consul.example.com:8500\n        services: [rras]\n"
    checked.append(instantiate(os.path.join(examples, "prometheus-consul-sd.yml"), os.path.join(tmp, "consul.yml"),
                               {consul_block: "    static_configs:\n      - targets: ['10.20.4.11:443']\n"}))
    for path in checked:
        r = subprocess.run([PROMTOOL, "check", "config", path], capture_output=True, text=True, timeout=30)
        if r.returncode != 0 or "WARNING" in r.stdout + r.stderr:
            raise TestFailure(f"promtool check config {path}: {r.stdout}{r.stderr}")
    password = os.path.join(tmp, "password")
    with open(password, "w", encoding="utf-8") as f:
        f.write("example\n")
    config = instantiate(os.path.join(examples, "rras_exporter-modules.yml"), os.path.join(tmp, "modules.yml"),
                         {"/etc/rras_exporter/password": password})
    r = subprocess.run([exporter_bin, f"--config.file={config}", "--config.check"], capture_output=True, text=True,
                       timeout=30)
    if r.returncode != 0:
        raise TestFailure(f"rras_exporter --config.check docs/examples/rras_exporter-modules.yml: {r.stdout}{r.stderr}")
    log(f"ok: (0) promtool accepts {len(checked)} example Prometheus configs and rras_targets.json; "
        "--config.check accepts the modules example")


# --- (1) allow-list ------------------------------------------------------------------------------

def check_allow_list(url_b, listener):
    refused = ["127.0.0.1", "localhost", "LOCALHOST", "127.1", "127.0.0.2", "::ffff:127.0.0.1"]
    for target in refused:
        status, body = http_get(f"{url_b}/probe?module=guarded&target={urllib.parse.quote(target)}",
                                {"X-Prometheus-Scrape-Timeout-Seconds": "3"})
        if status != 403 or "not in allowed_targets" not in body:
            raise TestFailure(f"(1) module guarded, target {target}: HTTP {status} {body!r}, expected 403")
    for target, why in (("127.0.0.1:135", "a port"), ("a..b", "an empty label"), ("", "nothing")):
        status, body = http_get(f"{url_b}/probe?module=guarded&target={urllib.parse.quote(target)}")
        if status != 400:
            raise TestFailure(f"(1) target {target!r} ({why}): HTTP {status} {body!r}, expected 400")
    status, body = http_get(f"{url_b}/probe?module=nosuch&target=127.0.0.1")
    if status != 400 or "unknown module" not in body:
        raise TestFailure(f"(1) unknown module: HTTP {status} {body!r}, expected 400")
    # A worker started anyway would have connected within this time (the control below does at once).
    time.sleep(1.5)
    if listener.accepted != 0:
        raise TestFailure(f"(1) refused probes made {listener.accepted} connection(s) to the listener")
    if probed(url_b, "guarded"):
        raise TestFailure(f"(1) refused targets are listed as probed: {probed(url_b, 'guarded')}")
    log(f"ok: (1) {len(refused)} refused targets: 403 and the listener saw 0 connections; malformed targets 400")
    # Positive control: the same module allowing 127.0.0.1 reaches the listener, so 0 above meant something.
    status, body = http_get(f"{url_b}/probe?module=control&target=127.0.0.1",
                            {"X-Prometheus-Scrape-Timeout-Seconds": "8"})
    if status != 200 or not re.search(r'^rras_up\{router="127\.0\.0\.1"\} 0$', body, re.M):
        raise TestFailure(f"(1) control: HTTP {status}, expected 200 with rras_up 0: {body[:400]!r}")
    if listener.accepted < 1:
        raise TestFailure("(1) control: the allowed probe did not connect to the listener")
    own = re.findall(r"^((?:process_|rras_exporter_)\w+)", body, re.M)
    if own:
        raise TestFailure(f"(1) a probe answer carries the exporter's own series: {sorted(set(own))}")
    log(f"ok: (1) control module: the listener saw {listener.accepted} connection(s), rras_up 0 (it hangs up)")


# --- (2) and (4) shards --------------------------------------------------------------------------

def check_shards(prom, urls, targets):
    """Raises TestFailure unless Prometheus and the replicas agree on `targets` split by hashmod."""
    want = {t: f"rras-{shard(t)}" for t in targets}
    jobs = {}
    for labels, value in query(prom, 'up{job=~"rras-.*"}'):
        if value != 1:
            errors = {t["labels"].get("instance"): t.get("lastError") for t in
                      prom_api(prom, "/api/v1/targets", {"state": "active"})["activeTargets"]}
            raise TestFailure(f"up{labels} is {value}: {errors.get(labels['instance'])}")
        jobs.setdefault(labels["instance"], []).append(labels["job"])
    got = {i: js[0] for i, js in jobs.items() if len(js) == 1}
    if got != want or len(got) != len(jobs):
        doubled = {i: js for i, js in jobs.items() if len(js) > 1}
        raise TestFailure(f"up by instance: {len(jobs)} instances, scraped twice: {doubled}, "
                          f"missing: {sorted(set(want) - set(jobs))}, extra: {sorted(set(jobs) - set(want))}, "
                          f"wrong shard: {sorted(i for i in got if i in want and got[i] != want[i])}")
    up = query(prom, "count(rras_up == 1)")
    if not up or up[0][1] != len(targets):
        raise TestFailure(f"count(rras_up == 1) is {up}, expected {len(targets)}")
    mislabelled = [lb for lb, _ in query(prom, "rras_up") if lb.get("router") != lb.get("instance")]
    if mislabelled:
        raise TestFailure(f"rras_up series whose router label is not the target: {mislabelled[:3]}")
    for n, url in enumerate(urls):
        live = set(probed(url, "lab"))
        expected = {t for t in targets if shard(t) == n}
        if live != expected:
            raise TestFailure(f"replica {n} probes {len(live)} targets; missing {sorted(expected - live)}, "
                              f"not its own or removed: {sorted(live - expected)}")


def check_dashboard_variables(root, prom):
    """The router variable lists static and probed routers alike; job is multi-valued with All, so a
    fleet sharded over several jobs shows in one dashboard."""
    with open(os.path.join(root, "dashboards", "rras_exporter.json"), encoding="utf-8") as f:
        variables = {v["name"]: v for v in json.load(f)["templating"]["list"]}
    job = variables["job"]
    if not (job.get("multi") and job.get("includeAll") and job.get("allValue") == ".*"):
        raise TestFailure("(2) dashboard variable job must be multi-valued with All (allValue '.*') for shards")
    selector = re.fullmatch(r"label_values\((.+),\s*router\)", variables["router"]["query"]).group(1)
    now = time.time()
    for job_value, expected in ((".*", set(FLEET)), ("rras-0", {t for t in FLEET if shard(t) == 0})):
        found = set(prom_api(prom, "/api/v1/label/router/values",
                             {"match[]": selector.replace("$job", job_value), "start": f"{now - 60:.0f}",
                              "end": f"{now:.0f}"}))
        if found != expected:
            raise TestFailure(f"(2) dashboard variable router with job={job_value}: {len(found)} routers, "
                              f"expected {len(expected)}")
    log("ok: (2) dashboard variables: job=All lists all 50 probed routers, job=rras-0 its shard")


# --- (3) HA --------------------------------------------------------------------------------------

def count_calls(path):
    with open(path, encoding="utf-8") as f:
        return [int(line) for line in f if line.strip()]


def check_ha(ha_proms, call_log, url_a):
    def both_up():
        for p in ha_proms:
            up = query(p, 'up{job="rras",instance="127.0.0.1"}')
            if [v for _, v in up] != [1]:
                raise TestFailure(f"{p}: up is {up}")
    eventually("(3) both HA Prometheus servers scrape the rrasm target", both_up, time.monotonic(), 30)
    before = count_calls(call_log)
    # Calls per poll, from the polls so far; a connection enumeration (opnum 45) is in every poll.
    polls_before = before.count(45)
    time.sleep(HA_WINDOW_S)
    calls = count_calls(call_log)[len(before):]
    polls = calls.count(45)
    scrapes = [sum(v for _, v in query(p, f'count_over_time(up{{job="rras"}}[{HA_WINDOW_S}s])')) for p in ha_proms]
    log(f"(3) in {HA_WINDOW_S} s: scrapes per server {scrapes}, fake served {len(calls)} calls, {polls} polls "
        f"(opnums {sorted(set(calls))}; {polls_before} polls before)")
    if min(scrapes) < HA_WINDOW_S:  # 2 per second each; at least half of them
        raise TestFailure(f"(3) the HA servers scraped too little to prove anything: {scrapes}")
    expected = HA_WINDOW_S / HA_POLL_S
    # Above: a poll per scrape (about 8 times as many). Below: polling stalled. A loaded machine may
    # delay a poll, hence the slack downwards.
    if not expected - 2 <= polls <= expected + 1:
        raise TestFailure(f"(3) the fake served {polls} polls in {HA_WINDOW_S} s, expected "
                          f"{expected - 2:g}..{expected + 1:g} (one per {HA_POLL_S} s poll_interval, whatever "
                          f"{sum(scrapes):g} scrapes asked)")
    # Nor calls outside polls (a probe that reached the server without a full poll).
    if len(calls) > polls * (len(before) / max(polls_before, 1)) + 4:
        raise TestFailure(f"(3) {len(calls)} calls for {polls} polls: more per poll than the first polls made")
    targets = probed(url_a, "ha")
    if list(targets) != ["127.0.0.1"]:
        raise TestFailure(f"(3) replica 0 lists ha targets {targets}, expected one shared 127.0.0.1")
    log(f"ok: (3) two Prometheus servers, {sum(scrapes):g} scrapes, one worker: {polls} polls in {HA_WINDOW_S} s")


# --- main ----------------------------------------------------------------------------------------

def lab_module():
    return ("  lab:\n    source: simulator\n    allowed_targets: [\"sim-*\"]\n"
            f"    poll_interval: 1s\n    target_idle_timeout: {IDLE_S}s\n"
            "    simulator: {connections: 10, churn_per_minute: 6}\n")


def rrasm_module(name, port, allowed, poll):
    return (f"  {name}:\n    source: rrasm\n    transport: tcp\n    port: {port}\n    auth_level: none\n"
            f"    timeout: 3s\n    poll_interval: {poll}\n    allowed_targets: {json.dumps(allowed)}\n")


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} <exporter-binary> <repo-root>", file=sys.stderr)
        return 2
    exporter_bin, root = os.path.abspath(argv[1]), os.path.abspath(argv[2])

    def on_alarm(signum, frame):
        raise TestFailure(f"hard timeout of {HARD_TIMEOUT_S} s")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(HARD_TIMEOUT_S)
    tmp = tempfile.mkdtemp(prefix="rras_probe_fleet.")
    procs = Processes(tmp)
    listener = Listener()
    ok = False
    try:
        check_examples(root, exporter_bin, tmp)

        scenario = os.path.join(tmp, "dimsvc.json")
        with open(scenario, "w", encoding="utf-8") as f:
            json.dump({"connections": [{"handle": 0x11, "interface": 0x21, "user": "alice", "domain": "CORP",
                                        "interface_name": "alice", "duration": 60, "flags": 1, "ipv4": "10.1.0.5",
                                        "auth": "mschapv2", "counters": [1] * 12}],
                       "server": {"uptime": 100, "total_ports": 8, "ports_in_use": 1, "sstp": 8}}, f)
        call_log = os.path.join(tmp, "calls.txt")
        open(call_log, "w").close()
        fake = procs.start("fake_dimsvc", ["/usr/bin/python3", os.path.join(root, "tests/fakes/fake_dimsvc.py"),
                                           "--scenario", scenario, "--call-log", call_log,
                                           "--lifetime", str(HARD_TIMEOUT_S)], stdout=subprocess.PIPE)
        ready = fake.stdout.readline().decode().split()
        if not ready or ready[0] != "READY":
            raise TestFailure(f"the fake DIMSVC did not start: {ready}")

        url_a, addr_a = start_exporter(procs, exporter_bin, "exporter-0",
                                       "modules:\n" + lab_module() + rrasm_module("ha", ready[1], ["127.0.0.1"],
                                                                                  f"{HA_POLL_S}s"))
        url_b, addr_b = start_exporter(procs, exporter_bin, "exporter-1",
                                       "modules:\n" + lab_module()
                                       + rrasm_module("guarded", listener.port, ["192.0.2.1", "10.99.0.0/16"], "30s")
                                       + rrasm_module("control", listener.port, ["127.0.0.1"], "30s"))
        for url in (url_a, url_b):
            wait_ok(url + "/-/ready", procs)

        targets_file = os.path.join(tmp, "targets.json")
        write_targets(targets_file, FLEET)
        fast = {"scrape_interval: 30s": "scrape_interval: 1s", "refresh_interval: 1m": "refresh_interval: 1s",
                "/etc/prometheus/rras_targets.json": targets_file}
        prom = start_prometheus(procs, "prometheus-shards", instantiate(
            os.path.join(root, "docs/examples/prometheus-shards.yml"), os.path.join(tmp, "shards.yml"),
            dict(fast, **{"[aovpn]": "[lab]", "rras-exporter-0.example.com:10473": addr_a,
                         "rras-exporter-1.example.com:10473": addr_b})))
        ha_targets = os.path.join(tmp, "ha_targets.json")
        write_targets(ha_targets, ["127.0.0.1"])
        ha_config = instantiate(os.path.join(root, "docs/examples/prometheus-file-sd.yml"), os.path.join(tmp, "ha.yml"),
                                {"scrape_interval: 30s": "scrape_interval: 500ms",
                                 "refresh_interval: 1m": "refresh_interval: 1s", "[aovpn]": "[ha]",
                                 "/etc/prometheus/rras_targets.json": ha_targets,
                                 "rras-exporter.example.com:10473": addr_a})
        ha_proms = [start_prometheus(procs, f"prometheus-ha-{n}", ha_config) for n in (0, 1)]

        check_allow_list(url_b, listener)

        for url in [prom] + ha_proms:
            wait_ok(url + "/-/ready", procs)
        eventually("(2) 50 targets, each scraped by its hashmod replica only, count(rras_up == 1) == 50",
                   lambda: procs.check_alive() or check_shards(prom, [url_a, url_b], FLEET), time.monotonic(), 40,
                   0.5)
        check_dashboard_variables(root, prom)

        check_ha(ha_proms, call_log, url_a)

        kept = [t for t in FLEET if t not in REMOVED] + ADDED
        write_targets(targets_file, kept)
        changed = time.monotonic()
        idle_seen = {t: 0 for t in REMOVED}

        def settled():
            procs.check_alive()
            for n, url in enumerate((url_a, url_b)):
                for t, idle in probed(url, "lab").items():
                    if t in idle_seen:
                        idle_seen[t] = max(idle_seen[t], idle)
            check_shards(prom, [url_a, url_b], kept)
        eventually("(4) the new list: 5 added scraped by their replica, 10 removed forgotten, 45 kept",
                   settled, changed, 30, 0.2)
        # Forgotten for being idle, not at once: each was still listed while its idle time grew.
        early = {t: s for t, s in idle_seen.items() if s < IDLE_S - 1}
        if early:
            raise TestFailure(f"(4) forgotten before {IDLE_S - 1} s idle (last seen idle seconds): {early}")
        logs = procs.log_text("exporter-0") + procs.log_text("exporter-1")
        forgotten = sorted(re.findall(r'probe target forgotten.*?target=(sim-\d+)', logs))
        if forgotten != REMOVED:
            raise TestFailure(f"(4) the exporters' logs say forgotten: {forgotten}, expected {REMOVED}")
        log(f"ok: (4) removed targets forgotten {time.monotonic() - changed:.1f} s after the change "
            f"(target_idle_timeout {IDLE_S}s), the others kept")
        ok = True
    except TestFailure as e:
        print(f"FAIL: {e}", file=sys.stderr, flush=True)
    finally:
        signal.alarm(0)
        listener.close()
        procs.stop_all(show_logs=not ok)
        shutil.rmtree(tmp, ignore_errors=True)
    log("PASS" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
