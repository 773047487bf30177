#!/usr/bin/env python3
"""Bad input against the real exporter: malformed requests, oversized lines and bodies, unknown
paths and methods, a stalled client, and signals while a poll hangs. Each answer must name its
cause; a stalled client must not delay scrapes; SIGHUP during a hung poll reloads; SIGTERM during a
hung poll stops the exporter (exit 0) well within the poll deadline.

Usage: bad_input_test.py <exporter-binary>      (127.0.0.1 only; hard limit 90 s)
"""

import functools
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testlib  # noqa: E402  tests/lib
from testlib import free_port  # noqa: E402

DEADLINE_S = 90
START = time.monotonic()
wait_until = functools.partial(testlib.wait_until, start=START, deadline_s=DEADLINE_S,
                               interval=0.05, retry_on=(OSError,))
POLL_TIMEOUT_S = 8
CONFIG = f"""global: {{poll_interval: 500ms}}
routers:
  - {{name: healthy, source: simulator, simulator: {{connections: 5, churn_per_minute: 600}}}}
  - name: hung
    source: simulator
    poll_interval: 20s
    poll_timeout: {POLL_TIMEOUT_S}s
    simulator: {{connections: 5, faults: {{hang: 1h}}}}
"""
WITHOUT_HUNG = """global: {poll_interval: 500ms}
routers:
  - {name: healthy, source: simulator, simulator: {connections: 5, churn_per_minute: 600}}
"""


def raw(port, data, wait=3.0):
    """Sends raw bytes; returns the status line and body of the first response."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(data)
        out = b""
        try:
            while b"\r\n\r\n" not in out or len(out) < out.find(b"\r\n\r\n") + 4 + content_length(out):
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
    head, _, body = out.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(errors="replace"), body.decode(errors="replace")


def content_length(data):
    for line in data.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def get(port, path="/metrics", timeout=5):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def read(path):
    with open(path) as f:
        return f.read()


def check(what, ok, detail=""):
    if not ok:
        raise AssertionError(f"{what}: {detail}")
    print(f"ok: {what}", flush=True)


def http_cases(port):
    status, body = raw(port, b"GARBAGE\r\n\r\n")
    check("malformed request line -> 400 naming the cause", status.endswith("400 Bad Request") and
          "request line or a header could not be read" in body, f"{status} {body}")
    status, body = raw(port, b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    check("header line over 8192 bytes -> 400", status.endswith("400 Bad Request") and "8192" in body, status)
    status, body = raw(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    check("URI over 8192 bytes -> 414", "414" in status and "URI too long" in body, status)
    status, body = raw(port, b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"a" * 100000)
    check("body over 64 KiB -> 413", "413" in status and "too large" in body, f"{status} {body}")
    status, body = raw(port, b"GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n")
    check("unknown HTTP version -> 400", status.endswith("400 Bad Request"), status)
    status, body = raw(port, b"\x16\x03\x01\x00\x05hello\r\n\r\n")
    check("TLS hello on the plain port -> 400", status.endswith("400 Bad Request"), status)
    status, body = raw(port, b"DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    check("DELETE -> 405 naming the method", "405" in status and "DELETE not allowed" in body, f"{status} {body}")
    code, body = get(port, "/../../etc/passwd")
    check("path traversal is just an unknown path -> 404", code in (400, 404) and "root:" not in body, str(code))
    code, body = get(port, "/nope")
    check("unknown path -> 404 pointing at /metrics", code == 404 and "/metrics" in body, body)
    code, body = get(port, "/metrics")
    check("server still healthy after bad input", code == 200 and 'rras_up{router="healthy"} 1' in body)


def stalled_client(port):
    """Half a request, then silence: cut off after the 5 s read timeout; scrapes go on meanwhile."""
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    opened = time.monotonic()
    t = time.monotonic()
    code, _ = get(port)
    check("scrape during a stalled client", code == 200 and time.monotonic() - t < 1.0)
    s.settimeout(15)
    try:
        data = s.recv(1024)
    except ConnectionResetError:
        data = b""
    took = time.monotonic() - opened
    s.close()
    check(f"stalled client cut off after {took:.1f} s (read timeout 5 s)", 4.0 <= took <= 8.0 and
          (data == b"" or b"408" in data or b"400" in data), repr(data[:80]))


def main():
    exe = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "rras.yml")
        with open(config, "w") as f:
            f.write(CONFIG)
        port = free_port()
        log_path = os.path.join(tmp, "exporter.log")
        with open(log_path, "w") as log:
            proc = subprocess.Popen([exe, f"--config.file={config}", f"--web.listen-address=127.0.0.1:{port}",
                                     "--log.level=debug"], stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until("healthy router polled", lambda: 'rras_up{router="healthy"} 1' in get(port)[1])
            # "hung" started its first poll within 1 s of start; it hangs until its 8 s deadline.
            check("hung router's poll is in flight", "POLL_DEADLINE_EXCEEDED" not in read(log_path))
            with open(config, "w") as f:
                f.write(WITHOUT_HUNG)
            t = time.monotonic()
            proc.send_signal(signal.SIGHUP)
            wait_until("SIGHUP during a hung poll reloads", lambda: "configuration reloaded" in read(log_path))
            took = time.monotonic() - t
            check(f"reload took {took:.2f} s (< poll_timeout {POLL_TIMEOUT_S} s)", took < POLL_TIMEOUT_S)
            check("the removed router is gone, the other kept polling",
                  'router="hung"' not in get(port)[1] and 'rras_up{router="healthy"} 1' in get(port)[1])

            http_cases(port)
            stalled_client(port)

            # Back with the hung router; SIGTERM while its first poll hangs.
            with open(config, "w") as f:
                f.write(CONFIG)
            proc.send_signal(signal.SIGHUP)
            wait_until("hung router back", lambda: read(log_path).count("configuration reloaded") == 2)
            time.sleep(1.5)  # its first poll starts within 1 s and hangs for 8 s
            check("hung router's poll is in flight", "POLL_DEADLINE_EXCEEDED" not in read(log_path))
            t = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=POLL_TIMEOUT_S + 5)
            took = time.monotonic() - t
            check("SIGTERM during a hung poll exits 0", code == 0, str(code))
            check(f"shutdown took {took:.2f} s (< poll_timeout {POLL_TIMEOUT_S} s)", took < POLL_TIMEOUT_S)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        check("no router thread was left behind", "leaving it behind" not in read(log_path))
    print(f"PASS in {time.monotonic() - START:.1f} s")


if __name__ == "__main__":
    main()
