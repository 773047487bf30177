#!/usr/bin/env python3
"""Stalled and slow clients against the real exporter (issue 16): with 200 clients that connect and
send nothing or half a request head, a scrape still succeeds within 2 s; a client trickling its
head one byte at a time is cut off at --web.request-head-timeout (told 408), however it trickles;
over TLS, with 200 clients that send their ClientHello and stall mid-handshake, a TLS scrape still
succeeds within 2 s; clients stalled mid-handshake from one address are answered with a
HelloRetryRequest from the 16th on, whether they come one by one or together; all are closed at
the same deadline; bad values of the --web.* flags are refused naming the flag.

Usage: stalled_clients_test.py [--wine] <exporter-binary>
  --wine: the binary is the Windows build, run under Wine (tests/windows/wine_env.sh; needs
          RRAS_WINEPREFIX). 127.0.0.1 only; the exporter is killed at the end; hard limit 100 s.
"""

import contextlib
import functools
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import testlib  # noqa: E402  tests/lib
from testlib import client_hello, free_port  # noqa: E402

DEADLINE_S = 100
START = time.monotonic()
wait_until = functools.partial(testlib.wait_until, start=START, deadline_s=DEADLINE_S,
                               interval=0.1, retry_on=(OSError,))
HEAD_TIMEOUT_S = 3
STALLED = 200
SCRAPE_BOUND_S = 2.0
PACED = 30
RETRY_FROM = 16  # src/http/acceptor.cpp kRetryHandshakesFromSource
HRR_RANDOM = bytes.fromhex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")
CONFIG = """global: {poll_interval: 1s}
routers:
  - {name: sim, source: simulator, simulator: {connections: 50, churn_per_minute: 60}}
"""


def launcher(wine):
    if not wine:
        return []
    env_sh = os.path.join(HERE, "..", "windows", "wine_env.sh")
    return ["bash", "-c", f'source "{env_sh}" && ensure_wine_prefix && exec wine "$@"', "wine"]


def host_path(path, wine):
    if not wine:
        return path
    return subprocess.run(["winepath", "-w", path], check=True, capture_output=True,
                          text=True).stdout.strip()


def scrape(port, timeout=SCRAPE_BOUND_S, tls=None):
    """Seconds one GET /metrics on a fresh connection took; raises if it failed or timed out."""
    t0 = time.monotonic()
    scheme = "https" if tls else "http"
    with urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/metrics", timeout=timeout, context=tls) as r:
        body = r.read()
        assert r.status == 200 and b"rras_up" in body, f"unexpected /metrics answer {r.status}"
    return time.monotonic() - t0


def ready(port, tls=None):
    try:
        scheme = "https" if tls else "http"
        with urllib.request.urlopen(f"{scheme}://127.0.0.1:{port}/-/ready", timeout=5, context=tls) as r:
            return r.status == 200
    except urllib.error.HTTPError:
        return False


def check_flag_errors(exe, wine):
    cases = [("--web.max-connections=0", "--web.max-connections"),
             ("--web.max-connections=lots", "--web.max-connections"),
             ("--web.request-head-timeout=soon", "--web.request-head-timeout"),
             ("--web.request-head-timeout=0s", "--web.request-head-timeout"),
             ("--web.max-requests=-1", "--web.max-requests")]
    for flag, named in cases:
        p = subprocess.run(launcher(wine) + [exe, flag], capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        out = p.stdout + p.stderr
        assert p.returncode != 0, f"{flag} was accepted"
        assert named in out, f"{flag}: the error does not name the flag: {out!r}"
    print(f"ok: {len(cases)} bad --web.* values refused, each naming its flag", flush=True)


@contextlib.contextmanager
def exporter(exe, wine, tmp, name, *flags):
    """(process, port, list for the caller's client sockets) of the exporter on tmp/config.yml; the
    clients are closed and the exporter killed on the way out."""
    port = free_port()
    log = open(os.path.join(tmp, f"{name}.log"), "w")
    proc = subprocess.Popen(
        launcher(wine) + [exe, f"--config.file={host_path(os.path.join(tmp, 'config.yml'), wine)}",
                          f"--web.listen-address=127.0.0.1:{port}", f"--web.request-head-timeout={HEAD_TIMEOUT_S}s",
                          *flags],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    clients = []
    try:
        yield proc, port, clients
    finally:
        for s in clients:
            s.close()
        proc.kill()
        proc.wait(timeout=30)
        log.close()


def handshake_reply(s):
    """"retry" when the server's first reply is a HelloRetryRequest (RFC 8446 4.1.3: a ServerHello
    with a fixed random), "full" for another handshake reply."""
    s.settimeout(5)
    reply = b""
    while len(reply) < 43:
        chunk = s.recv(43 - len(reply))
        assert chunk, f"closed after {reply!r}"
        reply += chunk
    assert reply[:1] == b"\x16" and reply[5:6] == b"\x02", f"not a ServerHello: {reply[:16]!r}"
    return "retry" if reply[11:43] == HRR_RANDOM else "full"


def stall(port, hello, clients):
    """A client that sends its ClientHello and reads the first reply, then stalls; whether it was
    asked to retry."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(hello)
    clients.append(s)
    return handshake_reply(s) == "retry"


def check_tls(exe, wine, tmp):
    """200 clients stalled mid-handshake: TLS scrapes still succeed, the stalled ones are cut off."""
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)
    web = os.path.join(tmp, "web.yml")
    with open(web, "w") as f:
        f.write(f"tls_server_config:\n  cert_file: {host_path(cert, wine)}\n  key_file: {host_path(key, wine)}\n")
    tls = ssl.create_default_context(cafile=cert)
    tls.check_hostname = False
    with exporter(exe, wine, tmp, "exporter-tls", f"--web.config.file={host_path(web, wine)}") as (proc, port, clients):
        wait_until("the TLS exporter is ready (first poll done)", lambda: ready(port, tls))
        idle = max(scrape(port, tls=tls) for _ in range(3))
        hello = client_hello()
        sent = time.monotonic()
        # One by one, each answered before the next: no backlog ever builds. Once 16 from this
        # address are stalled in their handshake, the next are answered with a HelloRetryRequest
        # (a ClientHello's parse, not a key exchange and a signature).
        paced = [stall(port, hello, clients) for _ in range(PACED)]
        full, retried = paced[:RETRY_FROM - 1], paced[RETRY_FROM:]
        assert not any(full), f"stalled clients 1-{RETRY_FROM - 1} were asked to retry: {paced}"
        assert all(retried), f"stalled clients {RETRY_FROM + 1}-{PACED} got the full flight: {paced}"
        print(f"ok: of {PACED} clients stalling one by one, the first {paced.index(True)} got the full flight and "
              f"the rest a HelloRetryRequest", flush=True)

        for _ in range(STALLED):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(hello)
            clients.append(s)
        times = [scrape(port, tls=tls) for _ in range(5)]
        worst = max(times)
        print(f"ok: with {STALLED} more clients stalled mid-TLS-handshake every TLS scrape succeeded; slowest "
              f"{worst * 1000:.0f} ms (idle {idle * 1000:.0f} ms, bound {SCRAPE_BOUND_S:.0f} s)", flush=True)
        assert worst < SCRAPE_BOUND_S
        flood = [handshake_reply(s) == "retry" for s in clients[PACED:]]
        assert all(flood), f"{flood.count(False)} of {STALLED} stalled clients got the full flight"
        print(f"ok: all {STALLED} were answered with a HelloRetryRequest", flush=True)

        # The first one (its full flight read above) is closed at the head deadline.
        s = clients[0]
        s.settimeout(HEAD_TIMEOUT_S + 5)
        while s.recv(65536):
            pass
        cut = time.monotonic() - sent
        # The deadline is the flag's plus up to a quarter (spread, so a herd is not cut off at once).
        assert cut < HEAD_TIMEOUT_S * 1.25 + 1, f"a client stalled mid-handshake was closed after {cut:.1f} s"
        print(f"ok: a client stalled mid-handshake was closed after {cut:.1f} s",
              flush=True)
        assert proc.poll() is None, "the TLS exporter exited"


def main():
    args = sys.argv[1:]
    wine = args[:1] == ["--wine"]
    exe = args[-1]
    check_flag_errors(exe, wine)

    tmp = tempfile.mkdtemp(prefix="rras-stalled-")
    config = os.path.join(tmp, "config.yml")
    with open(config, "w") as f:
        f.write(CONFIG)
    with exporter(exe, wine, tmp, "exporter") as (proc, port, clients):
        wait_until("the exporter is ready (first poll done)", lambda: ready(port))
        idle = max(scrape(port) for _ in range(3))

        for i in range(STALLED):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            if i % 2:
                s.sendall(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ")  # half a head
            clients.append(s)
        times = [scrape(port) for _ in range(5)]
        worst = max(times)
        print(f"ok: with {STALLED} stalled clients every scrape succeeded; slowest {worst * 1000:.0f} ms "
              f"(idle {idle * 1000:.0f} ms, bound {SCRAPE_BOUND_S:.0f} s)", flush=True)
        assert worst < SCRAPE_BOUND_S

        # One byte every 0.4 s keeps every single read short; the head deadline still holds.
        t0 = time.monotonic()
        told = b""
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.settimeout(0.4)
            for b in b"GET /metrics HTTP/1.1\r\nX-Slow: " + b"a" * 100:
                try:
                    s.send(bytes([b]))
                    chunk = s.recv(4096)
                    told += chunk
                    if not chunk:
                        break
                except socket.timeout:
                    continue
                except OSError:
                    break
                if b"\r\n\r\n" in told:
                    break
        cut = time.monotonic() - t0
        assert b"408" in told and b"--web.request-head-timeout" in told, f"trickler was told {told!r}"
        assert HEAD_TIMEOUT_S - 0.5 < cut < HEAD_TIMEOUT_S * 1.25 + 1, f"trickler cut off after {cut:.1f} s"
        print(f"ok: a client trickling its head was cut off after {cut:.1f} s with 408", flush=True)

        # The stalled ones are closed at their deadline too (EOF, or 408 for those that sent part).
        for s in clients[:4]:
            s.settimeout(5)
            data = s.recv(4096)
            assert data == b"" or data.startswith(b"HTTP/1.1 408"), f"stalled client got {data!r}"
        print("ok: stalled clients were closed at the head deadline", flush=True)
        assert proc.poll() is None, "the exporter exited"
    check_tls(exe, wine, tmp)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, OSError, urllib.error.URLError, subprocess.CalledProcessError) as e:
        print(f"FAIL: {e!r}", flush=True)
        sys.exit(1)
