"""Helpers the Python tests share (the system python, standard library only)."""

import socket
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
