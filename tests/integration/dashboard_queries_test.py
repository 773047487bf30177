#!/usr/bin/env python3
"""The Grafana dashboard and the Prometheus rules in dashboards/ against a real Prometheus.

Usage: dashboard_queries_test.py <exporter-binary> <repo-root>

1. Reads dashboards/rras_exporter.json and checks that it is portable: `__inputs` declares
   DS_PROMETHEUS, every panel and query uses the datasource ${DS_PROMETHEUS}, the uid is fixed,
   the variables are job -> router chained through label_values, no two panels overlap.
2. Starts the exporter on config/demo.yml and `prometheus` (from PATH) on 127.0.0.1, scraping and
   evaluating every second, with dashboards/rras_recording.yml and a copy of
   dashboards/rras_alerts.yml whose `for:` durations are cut to 1 s (the shipped 5-15 min would
   make the test wait that long; the expressions are the shipped ones).
3. Until everything holds (or 60 s pass):
   (a) every rule is loaded and evaluates without error (/api/v1/rules health "ok");
   (b) every recording rule yields at least one series;
   (c) the variable queries resolve through the label API: job finds the scrape job, router finds
       exactly the routers of config/demo.yml;
   (d) every query of every panel (found by walking the JSON, so new panels are covered), with the
       variables substituted as Grafana does ($job, $router, $__rate_interval, $__interval,
       $__range, ...), parses and returns at least one series: once with router = All (".*") and
       once with router = demo-aovpn (the EnumEx router, which has every kind of data), where
       every series with a router label must belong to demo-aovpn; with All, every {{label}} of
       a legend must be a label of the result; instant queries run through
       /api/v1/query, the others through /api/v1/query_range over the last minute;
   (e) RRASRouterDown is firing for demo-denied (the demo's failing router) in /api/v1/alerts and
       for no other router;
   (f) every ```promql block of docs/metrics.md is accepted by Prometheus (one query per block).
Both servers listen on 127.0.0.1 only and are stopped in `finally`; the whole test has a hard
limit of 110 s. Exit 0 on success, 1 on failure. Needs python3 and python3-yaml.
"""

import json
import os
import re
import sys
import tempfile
import time
import urllib.error
import urllib.parse

try:
    import yaml
except ImportError:  # CMake may have found a python3 without PyYAML; Debian's has python3-yaml
    if sys.executable != "/usr/bin/python3" and os.access("/usr/bin/python3", os.X_OK):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prometheus_scrape_test import (  # noqa: E402  the scrape test's process helpers
    HardTimeout, TestFailure, http_get, parse_demo_config, prepare, shut_down, start_exporter, start_prometheus,
    wait_http_ok)

HARD_TIMEOUT_S = 110
ASSERT_DEADLINE_S = 60
FAILING_ROUTER = "demo-denied"
SINGLE_ROUTER = "demo-aovpn"
DATASOURCE = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
SCRAPE_INTERVAL_S = 1
RANGE_S = 60
STEP_S = 2
START = time.monotonic()


def log(msg):
    print(f"[dashboard_queries_test +{time.monotonic() - START:6.1f}s] {msg}", flush=True)


# --- the dashboard -------------------------------------------------------------------------------

def walk_panels(panels):
    """Every panel, including those inside collapsed rows."""
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels", []))


def query_panels(dashboard):
    return [p for p in walk_panels(dashboard["panels"]) if p.get("type") != "row"]


def check_dashboard(dashboard):
    """Raise TestFailure listing every portability problem of the dashboard JSON."""
    problems = []
    inputs = {i.get("name"): i for i in dashboard.get("__inputs", [])}
    if inputs.get("DS_PROMETHEUS", {}).get("pluginId") != "prometheus":
        problems.append("__inputs has no DS_PROMETHEUS input of pluginId prometheus")
    if not re.fullmatch(r"[a-z0-9-]{1,40}", str(dashboard.get("uid", ""))):
        problems.append(f"uid {dashboard.get('uid')!r} is not a fixed short uid")
    ids = [p.get("id") for p in walk_panels(dashboard["panels"])]
    if len(ids) != len(set(ids)):
        problems.append(f"panel ids are not unique: {ids}")
    boxes = [(p.get("id"), p["gridPos"]) for p in dashboard["panels"]]
    for i, (a, ga) in enumerate(boxes):
        if ga["x"] + ga["w"] > 24:
            problems.append(f"panel {a} is wider than the 24-column grid")
        for b, gb in boxes[i + 1:]:
            if (ga["x"] < gb["x"] + gb["w"] and gb["x"] < ga["x"] + ga["w"]
                    and ga["y"] < gb["y"] + gb["h"] and gb["y"] < ga["y"] + ga["h"]):
                problems.append(f"panels {a} and {b} overlap")
    panels = query_panels(dashboard)
    if not panels:
        problems.append("the dashboard has no panels with queries")
    for p in panels:
        where = f"panel {p.get('id')} {p.get('title')!r}"
        if p.get("datasource") != DATASOURCE:
            problems.append(f"{where}: datasource {p.get('datasource')} is not {DATASOURCE}")
        targets = p.get("targets", [])
        if not targets:
            problems.append(f"{where}: no queries")
        refs = [t.get("refId") for t in targets]
        if len(refs) != len(set(refs)):
            problems.append(f"{where}: refIds are not unique: {refs}")
        for t in targets:
            if t.get("datasource") != DATASOURCE:
                problems.append(f"{where} query {t.get('refId')}: datasource {t.get('datasource')} is not {DATASOURCE}")
            if not str(t.get("expr", "")).strip():
                problems.append(f"{where} query {t.get('refId')}: empty expr")
    variables = {v["name"]: v for v in dashboard.get("templating", {}).get("list", [])}
    if list(variables) != ["job", "router"]:
        problems.append(f"variables are {list(variables)}, expected ['job', 'router']")
    else:
        for v in variables.values():
            if v.get("datasource") != DATASOURCE:
                problems.append(f"variable {v['name']}: datasource {v.get('datasource')} is not {DATASOURCE}")
        if not variable_query(variables["job"]).startswith("label_values("):
            problems.append("variable job is not a label_values query")
        if "$job" not in variable_query(variables["router"]):
            problems.append("variable router does not depend on $job")
        if not (variables["router"].get("includeAll") and variables["router"].get("allValue") == ".*"):
            problems.append("variable router has no All option with allValue '.*'")
    if problems:
        raise TestFailure("dashboard JSON: " + "; ".join(problems))


def variable_query(variable):
    q = variable.get("query")
    return q.get("query", "") if isinstance(q, dict) else str(q)


def regex_escape(value):
    """Grafana's escaping of a variable value inside a PromQL regex matcher."""
    return re.sub(r"([\\$^*+?.()|{}\[\]'])", r"\\\\\1", value)


def substitute(expr, values):
    """Replaces $name, ${name}, ${name:format} and [[name]]; an unknown variable is a failure."""
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            raise TestFailure(f"query {expr!r} uses ${name}, which the test does not know")
        return values[name]
    return re.sub(r"\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)", repl, expr)


def grafana_time_variables():
    """What Grafana puts in for a range query of RANGE_S seconds at STEP_S steps against a data
    source whose scrape interval is SCRAPE_INTERVAL_S."""
    rate_interval = max(STEP_S + SCRAPE_INTERVAL_S, 4 * SCRAPE_INTERVAL_S)
    return {"__interval": f"{STEP_S}s", "__interval_ms": str(STEP_S * 1000),
            "__rate_interval": f"{rate_interval}s", "__range": f"{RANGE_S}s",
            "__range_s": str(RANGE_S), "__range_ms": str(RANGE_S * 1000)}


# --- Prometheus HTTP API -------------------------------------------------------------------------

def api(base, path, params):
    url = f"{base}{path}?" + urllib.parse.urlencode(params, doseq=True)
    try:
        _, body = http_get(url, timeout=10.0)
    except urllib.error.HTTPError as e:
        raise TestFailure(f"{path} {params}: HTTP {e.code}: {e.read()[:300]!r}")
    doc = json.loads(body)
    if doc.get("status") != "success":
        raise TestFailure(f"{path} {params}: {doc.get('errorType')}: {doc.get('error')}")
    return doc["data"]


def run_target(base, target, values):
    """Runs one panel query as Grafana would; returns its series' label sets."""
    expr = substitute(target["expr"], values)
    now = time.time()
    if target.get("instant"):
        data = api(base, "/api/v1/query", {"query": expr, "time": f"{now:.3f}"})
    else:
        data = api(base, "/api/v1/query_range",
                   {"query": expr, "start": f"{now - RANGE_S:.3f}", "end": f"{now:.3f}", "step": f"{STEP_S}s"})
    if data["resultType"] not in ("vector", "matrix"):
        raise TestFailure(f"query {expr!r}: result type {data['resultType']}, expected series")
    return expr, [r["metric"] for r in data["result"]]


def label_values(base, query, job):
    """Grafana's label_values(selector, label) through /api/v1/label/<label>/values."""
    m = re.fullmatch(r"\s*label_values\((.+),\s*(\w+)\s*\)\s*", substitute(query, {"job": job}))
    if not m:
        raise TestFailure(f"variable query {query!r} is not label_values(selector, label)")
    now = time.time()
    return api(base, f"/api/v1/label/{m.group(2)}/values",
               {"match[]": m.group(1), "start": f"{now - RANGE_S:.0f}", "end": f"{now:.0f}"})


# --- the checks ----------------------------------------------------------------------------------

def check_rules(base, alert_names, record_names):
    groups = api(base, "/api/v1/rules", {})["groups"]
    rules = [r for g in groups for r in g["rules"]]
    loaded_alerts = {r["name"] for r in rules if r["type"] == "alerting"}
    loaded_records = {r["name"] for r in rules if r["type"] == "recording"}
    if loaded_alerts != alert_names or loaded_records != record_names:
        raise TestFailure(f"(a) Prometheus loaded alerts {sorted(loaded_alerts)} and records "
                          f"{sorted(loaded_records)}, expected {sorted(alert_names)} and {sorted(record_names)}")
    bad = [f"{r['name']}: health {r.get('health')} {r.get('lastError', '')}" for r in rules if r.get("health") != "ok"]
    if bad:
        raise TestFailure("(a) rules not evaluated cleanly: " + "; ".join(bad))
    for name in sorted(record_names):
        if not api(base, "/api/v1/query", {"query": name})["result"]:
            raise TestFailure(f"(b) recording rule {name} has no series")


def check_variables(dashboard, base, routers):
    variables = {v["name"]: variable_query(v) for v in dashboard["templating"]["list"]}
    jobs = label_values(base, variables["job"], "")
    if "rras" not in jobs:
        raise TestFailure(f"(c) variable job: {variables['job']} gives {jobs}, expected it to contain 'rras'")
    found = label_values(base, variables["router"], regex_escape(jobs[0]))
    if sorted(found) != sorted(routers):
        raise TestFailure(f"(c) variable router: {variables['router']} gives {found}, expected {sorted(routers)}")
    return jobs[0]


def check_panels(dashboard, base, job):
    """Returns the number of queries run."""
    runs = 0
    for router_value, only_router in ((".*", None), (regex_escape(SINGLE_ROUTER), SINGLE_ROUTER)):
        values = dict(grafana_time_variables(), job=regex_escape(job), router=router_value)
        for panel in query_panels(dashboard):
            for target in panel["targets"]:
                where = f"panel {panel['id']} {panel['title']!r} query {target['refId']} (router={router_value})"
                expr, series = run_target(base, target, values)
                runs += 1
                if not series:
                    raise TestFailure(f"(d) {where}: no series for {expr}")
                strangers = {s["router"] for s in series if "router" in s} - ({only_router} if only_router else set())
                if only_router and strangers:
                    raise TestFailure(f"(d) {where}: series of other routers {sorted(strangers)} for {expr}")
                if only_router:
                    continue  # one router need not have every label (e.g. no poll errors)
                for label in re.findall(r"\{\{\s*(\w+)\s*\}\}", target.get("legendFormat", "")):
                    if not any(label in s for s in series):
                        raise TestFailure(f"(d) {where}: legend uses {{{{{label}}}}}, which no series of {expr} has")
    return runs


def check_router_down_alert(base):
    alerts = api(base, "/api/v1/alerts", {})["alerts"]
    down = {a["labels"].get("router"): a["state"] for a in alerts if a["labels"].get("alertname") == "RRASRouterDown"}
    if down.get(FAILING_ROUTER) != "firing":
        raise TestFailure(f"(e) RRASRouterDown for {FAILING_ROUTER}: state {down.get(FAILING_ROUTER)!r}, expected 'firing'")
    wrong = sorted(r for r in down if r != FAILING_ROUTER)
    if wrong:
        raise TestFailure(f"(e) RRASRouterDown also for healthy routers {wrong}")
    return sorted({(a["labels"]["alertname"], a["labels"].get("router", "")) for a in alerts if a["state"] == "firing"})


def doc_queries(path):
    with open(path, encoding="utf-8") as f:
        return [q.strip() for q in re.findall(r"```promql\n(.*?)```", f.read(), re.S)]


def check_doc_queries(base, queries):
    for q in queries:
        try:
            api(base, "/api/v1/query", {"query": q})
        except TestFailure as e:
            raise TestFailure(f"(f) docs/metrics.md: {e}")


# --- set-up --------------------------------------------------------------------------------------

def rule_names(path):
    with open(path, encoding="utf-8") as f:
        rules = [r for g in yaml.safe_load(f)["groups"] for r in g["rules"]]
    return {r["alert"] for r in rules if "alert" in r}, {r["record"] for r in rules if "record" in r}


def write_alerts_with_short_for(src, dst):
    with open(src, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    for group in doc["groups"]:
        for rule in group["rules"]:
            if "for" in rule:
                rule["for"] = "1s"
    with open(dst, "w", encoding="utf-8") as f:
        yaml.safe_dump(doc, f, sort_keys=False, allow_unicode=True)


def main(argv):
    exporter_bin, repo_root = prepare(argv, HARD_TIMEOUT_S)
    config = os.path.join(repo_root, "config", "demo.yml")
    dashboards = os.path.join(repo_root, "dashboards")

    tmpdir = tempfile.mkdtemp(prefix="rras_dashboard_test.")
    exporter = prometheus = None
    exporter_log = os.path.join(tmpdir, "exporter.log")
    prometheus_log = os.path.join(tmpdir, "prometheus.log")
    ok = False
    try:
        with open(os.path.join(dashboards, "rras_exporter.json"), encoding="utf-8") as f:
            dashboard = json.load(f)
        check_dashboard(dashboard)
        panels = query_panels(dashboard)
        log(f"dashboard is portable: {len(panels)} panels with "
            f"{sum(len(p['targets']) for p in panels)} queries")

        queries = doc_queries(os.path.join(repo_root, "docs", "metrics.md"))
        if not queries:
            raise TestFailure("docs/metrics.md has no ```promql blocks")
        routers = parse_demo_config(config)
        if FAILING_ROUTER not in routers or SINGLE_ROUTER not in routers:
            raise TestFailure(f"{config}: expected routers {FAILING_ROUTER} and {SINGLE_ROUTER}, found {sorted(routers)}")
        alerts_src = os.path.join(dashboards, "rras_alerts.yml")
        recording = os.path.join(dashboards, "rras_recording.yml")
        alert_names, _ = rule_names(alerts_src)
        _, record_names = rule_names(recording)
        alerts_copy = os.path.join(tmpdir, "rras_alerts_for_1s.yml")
        write_alerts_with_short_for(alerts_src, alerts_copy)

        exporter, exporter_port = start_exporter(exporter_bin, config, tmpdir, exporter_log, "warn")
        wait_http_ok(f"http://127.0.0.1:{exporter_port}/-/ready", exporter, "exporter", time.monotonic() + 20)
        log(f"exporter ready on 127.0.0.1:{exporter_port}")
        prometheus, prom_url = start_prometheus(tmpdir, exporter_port, [alerts_copy, recording], prometheus_log)
        wait_http_ok(f"{prom_url}/-/ready", prometheus, "prometheus", time.monotonic() + 30)
        log(f"prometheus ready on {prom_url} with {len(alert_names)} alerts (for: 1s) and "
            f"{len(record_names)} recording rules")

        deadline = time.monotonic() + ASSERT_DEADLINE_S
        last_failure = "not checked yet"
        attempts = 0
        while True:
            for proc, name in ((exporter, "exporter"), (prometheus, "prometheus")):
                if proc.poll() is not None:
                    raise TestFailure(f"{name} exited with code {proc.returncode}")
            attempts += 1
            try:
                check_rules(prom_url, alert_names, record_names)
                job = check_variables(dashboard, prom_url, routers)
                started = time.monotonic()
                runs = check_panels(dashboard, prom_url, job)
                firing = check_router_down_alert(prom_url)
                check_doc_queries(prom_url, queries)
                log(f"(a) {len(alert_names) + len(record_names)} rules healthy, (b) every recording rule has "
                    f"series, (c) variables resolve (job={job}, {len(routers)} routers), (d) {runs} panel "
                    f"queries returned series in {time.monotonic() - started:.1f} s, (e) RRASRouterDown "
                    f"firing for {FAILING_ROUTER} only, (f) {len(queries)} queries of docs/metrics.md "
                    f"parse (attempt {attempts})")
                log("alerts firing on the demo with for: 1s: "
                    + ", ".join(f"{a}{{router={r}}}" if r else a for a, r in firing))
                ok = True
                break
            except TestFailure as e:
                last_failure = str(e)
            except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
                last_failure = f"querying prometheus: {e}"
            if time.monotonic() >= deadline:
                raise TestFailure(f"still failing after {ASSERT_DEADLINE_S} s ({attempts} attempts); "
                                  f"last failure: {last_failure}")
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
