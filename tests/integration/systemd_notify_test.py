#!/usr/bin/python3
"""The exporter speaks systemd's notify protocol: READY=1 once serving, WATCHDOG=1 pings at half
of WATCHDOG_USEC, RELOADING=1 then READY=1 around SIGHUP, STOPPING=1 at SIGTERM.

Usage: systemd_notify_test.py <exporter-binary> <repo-root>
A datagram socket in a temporary directory plays systemd (NOTIFY_SOCKET); the exporter polls the
demo's simulated routers on 127.0.0.1. Hard limit 60 s.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def main():
    exporter, root = sys.argv[1], sys.argv[2]
    signal.alarm(60)
    with tempfile.TemporaryDirectory(prefix="rras_notify_") as tmp:
        path = os.path.join(tmp, "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(10)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000")
        proc = subprocess.Popen([exporter, f"--config.file={root}/config/demo.yml",
                                 f"--web.listen-address=127.0.0.1:{port}"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = []

        def expect(word):
            while True:
                msg = sock.recv(4096).decode()
                seen.append(msg.split("\n")[0])
                if word in msg.split("\n"):
                    return msg

        try:
            expect("READY=1")
            start = time.time()
            expect("WATCHDOG=1")
            expect("WATCHDOG=1")
            if time.time() - start > 1.5:
                raise AssertionError("watchdog pings are slower than half of WATCHDOG_USEC")
            proc.send_signal(signal.SIGHUP)
            expect("RELOADING=1")
            expect("READY=1")
            proc.send_signal(signal.SIGTERM)
            expect("STOPPING=1")
            if proc.wait(timeout=20) != 0:
                raise AssertionError("the exporter did not exit cleanly")
        except (AssertionError, socket.timeout) as e:
            print(f"FAIL: {e!r}; messages seen: {seen}")
            return 1
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    print("READY, WATCHDOG, RELOADING, STOPPING as expected\n1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
