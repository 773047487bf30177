"""Helpers the Python tests share (the system python, standard library only)."""

import socket
import ssl
import time


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, predicate, start, deadline_s, interval=0.1, retry_on=()):
    """Calls predicate every `interval` s until it holds (prints "ok: what") or until deadline_s
    after `start` (time.monotonic()), then raises AssertionError. An exception of a type in
    retry_on counts as "not yet"."""
    while time.monotonic() - start < deadline_s:
        try:
            if predicate():
                print(f"ok: {what}", flush=True)
                return
        except retry_on:
            pass
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for: {what}")


def client_hello():
    """The bytes of a real ClientHello (TLS 1.2-1.3), from a client that never reads the reply."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname="127.0.0.1")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()
