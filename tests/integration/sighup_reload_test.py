#!/usr/bin/env python3
"""SIGHUP reloads the configuration of a running exporter; a bad new file is rejected and the
running configuration kept.

Usage: sighup_reload_test.py <exporter-binary>

Starts the exporter on 127.0.0.1 with one simulated router, then (1) rewrites the file with a second
router and sends SIGHUP: the new router's series appear and the reload gauge is 1; (2) writes a file
with an unknown key and sends SIGHUP: the exporter keeps both routers, logs the error with the file
position, and the reload gauge is 0; (3) SIGTERM stops it with exit code 0. Hard limit 60 s.
"""

import functools
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testlib  # noqa: E402  tests/lib
from testlib import free_port  # noqa: E402

DEADLINE_S = 60
START = time.monotonic()
wait_until = functools.partial(testlib.wait_until, start=START, deadline_s=DEADLINE_S,
                               interval=0.1, retry_on=(OSError,))

GOOD = """global: {poll_interval: 200ms}
routers:
  - {name: first, source: simulator, simulator: {connections: 3}}
"""
WITH_SECOND = GOOD + "  - {name: second, source: simulator, simulator: {connections: 4}}\n"
BROKEN = WITH_SECOND + "  - {name: third, source: simulator, colour: blue}\n"


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        return r.read().decode()


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "rras.yml")
        with open(config, "w") as f:
            f.write(GOOD)
        port = free_port()
        log_path = os.path.join(tmp, "exporter.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen([exe, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}"],
                                    stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until("first router polled", lambda: 'rras_up{router="first"} 1' in scrape(port))

            with open(config, "w") as f:
                f.write(WITH_SECOND)
            proc.send_signal(signal.SIGHUP)
            wait_until("second router added by SIGHUP", lambda: 'rras_up{router="second"} 1' in scrape(port))
            assert "rras_exporter_config_last_reload_successful 1" in scrape(port)

            with open(config, "w") as f:
                f.write(BROKEN)
            proc.send_signal(signal.SIGHUP)
            wait_until("failed reload reported", lambda: "rras_exporter_config_last_reload_successful 0" in scrape(port))
            body = scrape(port)
            assert 'rras_up{router="second"} 1' in body and 'router="third"' not in body, body[:2000]
            with open(log_path) as f:
                logged = f.read()
            assert "configuration reload failed" in logged and "rras.yml:5:" in logged and "colour" in logged, logged

            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=10) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    print("PASS", flush=True)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAIL: {e}", flush=True)
        sys.exit(1)
