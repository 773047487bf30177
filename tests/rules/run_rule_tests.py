#!/usr/bin/env python3
"""Checks the Prometheus rules in dashboards/ with promtool and checks that the tests cover them.

Usage: run_rule_tests.py <repo-root>

1. `promtool check rules --lint-fatal` on dashboards/rras_alerts.yml and rras_recording.yml.
2. Conventions: every alert has a `severity` label (critical, warning or info) and non-empty
   `summary` and `description` annotations; every record is named level:metric:operations.
3. Coverage of tests/rules/*_test.yml: every alert has at least one alert_rule_test where it fires
   (non-empty exp_alerts) and one where it must not (empty exp_alerts); every record is used by a
   promql_expr_test; no test names an alert that does not exist (promtool would pass it silently).
4. `promtool test rules` on every tests/rules/*_test.yml.
Exit 0 when all hold, 1 otherwise (every problem is printed). Needs promtool and python3-yaml.
"""

import glob
import os
import re
import shutil
import subprocess
import sys
import time

try:
    import yaml
except ImportError:  # CMake may have found a python3 without PyYAML; Debian's has python3-yaml
    if sys.executable != "/usr/bin/python3" and os.access("/usr/bin/python3", os.X_OK):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

SEVERITIES = {"critical", "warning", "info"}
RULE_FILES = ("dashboards/rras_alerts.yml", "dashboards/rras_recording.yml")


def log(msg):
    print(f"[rule_tests] {msg}", flush=True)


def load_rules(root):
    """Returns ({alert name: rule}, {record name: rule}) from RULE_FILES."""
    alerts, records = {}, {}
    for rel in RULE_FILES:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for group in doc["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    alerts[rule["alert"]] = rule
                else:
                    records[rule["record"]] = rule
    return alerts, records


def convention_problems(alerts, records):
    problems = []
    for name, rule in alerts.items():
        severity = rule.get("labels", {}).get("severity")
        if severity not in SEVERITIES:
            problems.append(f"alert {name}: severity label is {severity!r}, expected one of {sorted(SEVERITIES)}")
        for key in ("summary", "description"):
            if not str(rule.get("annotations", {}).get(key, "")).strip():
                problems.append(f"alert {name}: annotation {key!r} is missing or empty")
    for name in records:
        if not re.fullmatch(r"[a-z_]+:[a-z0-9_]+:[a-z0-9_]+", name):
            problems.append(f"record {name}: not named level:metric:operations")
    return problems


def coverage_problems(alerts, records, test_files):
    fires, quiet, exprs = set(), set(), []
    problems = []
    for path in test_files:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        for test in doc.get("tests", []):
            for case in test.get("alert_rule_test", []):
                name = case["alertname"]
                if name not in alerts:
                    problems.append(f"{os.path.basename(path)}: test {test.get('name')!r} names unknown alert {name}")
                (fires if case.get("exp_alerts") else quiet).add(name)
            exprs += [case["expr"] for case in test.get("promql_expr_test", [])]
    for name in sorted(alerts):
        if name not in fires:
            problems.append(f"alert {name}: no alert_rule_test where it fires (non-empty exp_alerts)")
        if name not in quiet:
            problems.append(f"alert {name}: no alert_rule_test where it must not fire (exp_alerts: [])")
    for name in sorted(records):
        if not any(re.search(r"(?<![\w:])" + re.escape(name) + r"(?![\w:])", e) for e in exprs):
            problems.append(f"record {name}: no promql_expr_test uses it")
    return problems


def run(cmd, root):
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120)
    output = (proc.stdout + proc.stderr).strip()
    log(f"{' '.join(cmd)}: exit {proc.returncode} in {time.monotonic() - start:.1f} s")
    if proc.returncode != 0:
        print(output, file=sys.stderr)
    return proc.returncode == 0


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} <repo-root>", file=sys.stderr)
        return 2
    root = os.path.abspath(argv[1])
    if shutil.which("promtool") is None:
        print("FAIL: promtool not found in PATH (Debian package prometheus)", file=sys.stderr)
        return 1
    test_files = sorted(glob.glob(os.path.join(root, "tests", "rules", "*_test.yml")))
    if not test_files:
        print("FAIL: no tests/rules/*_test.yml found", file=sys.stderr)
        return 1

    failures = 0
    if not run(["promtool", "check", "rules", "--lint-fatal", *RULE_FILES], root):
        failures += 1
    alerts, records = load_rules(root)
    log(f"{len(alerts)} alerts, {len(records)} recording rules")
    problems = convention_problems(alerts, records) + coverage_problems(alerts, records, test_files)
    for p in problems:
        print(f"FAIL: {p}", file=sys.stderr)
    failures += len(problems)
    if not problems:
        log("conventions hold; every alert has a firing and a non-firing test, every record a test")
    if not run(["promtool", "test", "rules", *[os.path.relpath(p, root) for p in test_files]], root):
        failures += 1

    if failures:
        print(f"FAIL: {failures} problem(s) in the rules or their tests (see above)", file=sys.stderr)
        return 1
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
