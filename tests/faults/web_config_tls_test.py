#!/usr/bin/env python3
"""--web.config.file against the real exporter with openssl and curl: TLS with client certificates
(RequireAndVerifyClientCert), bcrypt basic auth, TLS 1.1 refused, the default TLS 1.2 suites
(ECDHE with AEAD only), configured cipher_suites, curve_preferences and prefer_server_cipher_suites
honoured, the file re-read when it changes, no password in the log, and a bad file refused at
start with the problem named.

Usage: web_config_tls_test.py [--wine] <exporter-binary>

--wine runs the Windows exporter under Wine (the prefix of tests/windows/wine_env.sh, which needs
RRAS_WINEPREFIX) and talks to it from Linux with the same curl and openssl.

Certificates come from `openssl req`/`openssl x509` in a temporary folder; bcrypt hashes from
libxcrypt through Python's crypt module. Listens on 127.0.0.1 only; the exporter runs under
`timeout`, so it stops by itself even if this script dies; hard limit 90 s.
"""

import base64
import functools
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import testlib  # noqa: E402  tests/lib
from testlib import free_port  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import crypt  # libxcrypt, the same library the exporter verifies with

DEADLINE_S = 90
START = time.monotonic()
wait_for = functools.partial(testlib.wait_until, start=START, deadline_s=DEADLINE_S,
                             interval=0.1, retry_on=())
CONFIG = """global: {poll_interval: 1s}
routers:
  - {name: tls-router, source: simulator, simulator: {connections: 3}}
"""


def run(*cmd, check=True, stdin=None, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, input=stdin, env=env)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr}")
    return r


def make_pki(d):
    """Two CAs; a server certificate for 127.0.0.1 and a client certificate from the first, a client
    certificate from the second (which the exporter must refuse)."""
    def ca(name):
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
            "-keyout", f"{d}/{name}.key", "-out", f"{d}/{name}.pem")

    def leaf(name, issuer, ext):
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
            "-keyout", f"{d}/{name}.key", "-out", f"{d}/{name}.csr")
        with open(f"{d}/{name}.ext", "w") as f:
            f.write(ext)
        run("openssl", "x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/{issuer}.pem", "-CAkey",
            f"{d}/{issuer}.key", "-CAcreateserial", "-days", "2", "-extfile", f"{d}/{name}.ext",
            "-out", f"{d}/{name}.pem")

    ca("ca")
    ca("other-ca")
    leaf("server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    leaf("client", "ca", "extendedKeyUsage=clientAuth\n")
    leaf("stranger", "other-ca", "extendedKeyUsage=clientAuth\n")


def curl(d, port, *extra, path="/metrics"):
    """(exit code, HTTP status or 0) of one request with the test CA trusted."""
    r = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", "--cacert", f"{d}/ca.pem",
            *extra, f"https://127.0.0.1:{port}{path}", check=False)
    return r.returncode, int(r.stdout or 0)


def client_cert(d, name="client"):
    return ["--cert", f"{d}/{name}.pem", "--key", f"{d}/{name}.key"]


def expect(what, got, want):
    if got != want:
        raise AssertionError(f"{what}: got {got}, want {want}")
    print(f"ok: {what}", flush=True)


def web_config(d, client_auth, users, tls_extra=""):
    text = f"""tls_server_config:
  cert_file: server.pem
  key_file: server.key
  client_auth_type: {client_auth}
"""
    if client_auth != "NoClientCert":
        text += "  client_ca_file: ca.pem\n"
    text += tls_extra
    text += "basic_auth_users:\n" + "".join(f'  {u}: "{h}"\n' for u, h in users.items())
    tmp = f"{d}/web.yml.new"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, f"{d}/web.yml")


class Native:
    """The Linux exporter, run directly."""

    def path(self, p):
        return p

    def command(self, exe, *args):
        return [exe, *args]

    def env(self):
        return None

    def stop(self, proc):
        proc.terminate()
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        expect("SIGTERM exit code", code, 0)


class Wine:
    """The Windows exporter under Wine, in the Windows tests' private prefix."""

    def __init__(self):
        env_sh = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "windows", "wine_env.sh")
        out = run("bash", "-c", f'source "{env_sh}" && ensure_wine_prefix && env -0').stdout
        self._env = dict(kv.split("=", 1) for kv in out.split("\0") if "=" in kv)

    def path(self, p):
        return run("winepath", "-w", p, env=self._env).stdout.strip()

    def command(self, exe, *args):
        return ["wine", exe, *args]

    def env(self):
        return self._env

    def stop(self, proc):
        # A Wine program started without a Unix console gets no Ctrl+C from SIGINT (see
        # tests/windows/service_test.sh); the stop path itself is the service's.
        proc.terminate()  # `timeout` passes it on to wine, whose process ends
        proc.wait(timeout=10)
        subprocess.run(["wineserver", "-k"], env=self._env, capture_output=True, timeout=30)


def s_client(d, port, *args, cert=None):
    """(handshake succeeded, negotiated cipher) of one openssl s_client TLS 1.2 connection."""
    extra = ["-cert", f"{d}/{cert}.pem", "-key", f"{d}/{cert}.key"] if cert else []
    r = run("openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", f"{d}/ca.pem", *extra, *args,
            check=False, stdin="")
    m = re.search(r"Cipher is (\S+)", r.stdout)
    cipher = m.group(1) if m else "(NONE)"
    return r.returncode == 0 and cipher != "(NONE)", cipher


def main():
    wine = sys.argv[1] == "--wine"
    exe = sys.argv[-1]
    host = Wine() if wine else Native()
    with tempfile.TemporaryDirectory() as d:
        make_pki(d)
        with open(f"{d}/rras.yml", "w") as f:
            f.write(CONFIG)
        # "$2y$", as htpasswd -B writes (Python's crypt makes "$2b$": the same algorithm and salt).
        good = "$2y$" + crypt.crypt("correct horse", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 5))[4:]
        web_config(d, "RequireAndVerifyClientCert", {"prometheus": good})

        # A bad web config fails the start and names the file and the problem.
        with open(f"{d}/bad.yml", "w") as f:
            f.write("tls_server_config:\n  cert_file: missing.pem\n  key_file: server.key\n")
        bad = host.path(f"{d}/bad.yml")
        r = run(*host.command(exe, f"--config.file={host.path(f'{d}/rras.yml')}", f"--web.config.file={bad}",
                              "--web.listen-address=127.0.0.1:0"), check=False, env=host.env())
        expect("bad web config exits 1", r.returncode, 1)
        logged = bad.replace("\\", "\\\\")  # logfmt escapes a Windows path's backslashes
        assert f"{logged}:2:14: tls_server_config.cert_file: cannot read" in r.stderr, r.stderr
        print("ok: bad web config names file, line, key", flush=True)

        port = free_port()
        log = open(f"{d}/exporter.log", "w")
        # Debug level: refused requests are logged with their reason, which must never carry a password.
        proc = subprocess.Popen(["timeout", "-s", "KILL", str(DEADLINE_S + 30),
                                 *host.command(exe, f"--config.file={host.path(f'{d}/rras.yml')}",
                                               f"--web.config.file={host.path(f'{d}/web.yml')}",
                                               f"--web.listen-address=127.0.0.1:{port}", "--log.level=debug")],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=host.env())
        try:
            auth = ["-u", "prometheus:correct horse"]
            wait_for("TLS listener answers", lambda: curl(d, port, *client_cert(d), *auth)[1] == 200)
            expect("good password + client cert", curl(d, port, *client_cert(d), *auth), (0, 200))
            expect("wrong password", curl(d, port, *client_cert(d), "-u", "prometheus:wrong-Pa55-7f3a")[1], 401)
            expect("no credentials", curl(d, port, *client_cert(d))[1], 401)
            expect("unknown user", curl(d, port, *client_cert(d), "-u", "root:correct horse")[1], 401)
            expect("no client certificate: handshake refused", curl(d, port, *auth)[1], 0)
            expect("client certificate from another CA: refused", curl(d, port, *client_cert(d, "stranger"), *auth)[1], 0)
            plain = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                        f"http://127.0.0.1:{port}/metrics", check=False)
            expect("plain HTTP on the TLS port gets no response", plain.stdout in ("000", ""), True)

            # TLS 1.1 (offered at security level 0, so only the server can refuse it).
            s = run("openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                    "-cert", f"{d}/client.pem", "-key", f"{d}/client.key", check=False, stdin="")
            out = s.stdout + s.stderr
            expect("TLS 1.1 refused by the server (protocol version alert)",
                   s.returncode != 0 and ("alert protocol version" in out or "unsupported protocol" in out), True)
            s = run("openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-tls1_2", "-CAfile", f"{d}/ca.pem",
                    "-cert", f"{d}/client.pem", "-key", f"{d}/client.key", check=False, stdin="")
            expect("TLS 1.2 accepted and verified", "Verify return code: 0 (ok)" in s.stdout, True)

            # Default TLS 1.2 suites: ECDHE with AEAD only (no RSA key exchange, no CBC with SHA-1).
            for weak in ("AES128-SHA", "AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA"):
                expect(f"default refuses {weak}", s_client(d, port, "-tls1_2", "-cipher", weak, cert="client"),
                       (False, "(NONE)"))
            expect("default accepts ECDHE-RSA-AES128-GCM-SHA256",
                   s_client(d, port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256", cert="client"),
                   (True, "ECDHE-RSA-AES128-GCM-SHA256"))

            # The file is re-read on change: client certificates no longer needed, a new password.
            newer = crypt.crypt("battery staple", crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1 << 5))
            web_config(d, "NoClientCert", {"prometheus": newer})
            wait_for("changed web config applies without a restart",
                     lambda: curl(d, port, "-u", "prometheus:battery staple")[1] == 200)
            expect("old password no longer accepted", curl(d, port, *auth)[1], 401)

            # Configured suites, curves and preference order, in Go's names, applied on re-read.
            suites = """  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
  curve_preferences: [CurveP384]
"""
            web_config(d, "NoClientCert", {"prometheus": newer}, suites + "  prefer_server_cipher_suites: true\n")
            both = ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384"]
            wait_for("configured cipher_suites apply without a restart",
                     lambda: s_client(d, port, *both) == (True, "ECDHE-RSA-AES256-GCM-SHA384"))
            expect("configured suite outside the defaults accepted",
                   s_client(d, port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-SHA"), (True, "ECDHE-RSA-AES128-SHA"))
            expect("default suite not configured: refused",
                   s_client(d, port, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"), (False, "(NONE)"))
            expect("curve not configured (X25519): refused",
                   s_client(d, port, "-tls1_2", "-groups", "X25519")[0], False)
            expect("configured curve (P-384) accepted", s_client(d, port, "-tls1_2", "-groups", "P-384")[0], True)
            web_config(d, "NoClientCert", {"prometheus": newer}, suites + "  prefer_server_cipher_suites: false\n")
            wait_for("prefer_server_cipher_suites: false lets the client's order win",
                     lambda: s_client(d, port, *both) == (True, "ECDHE-RSA-AES128-SHA"))

            # A broken edit keeps the last good configuration and is logged with its position.
            with open(f"{d}/web.yml", "a") as f:
                f.write("colour: blue\n")
            expect("broken edit keeps serving", curl(d, port, "-u", "prometheus:battery staple")[1], 200)
            log.flush()
            with open(f"{d}/exporter.log", errors="replace") as f:
                text = f.read()
            assert 'unknown key \\"colour\\"' in text and "keeping the previous one" in text, text[-2000:]
            print("ok: broken edit logged with its position", flush=True)
            assert "wrong user name or password" in text, text[-2000:]  # refusals are logged...
            sent = [base64.b64encode(f"prometheus:{p}".encode()).decode()
                    for p in ("correct horse", "battery staple", "wrong-Pa55-7f3a")]
            for secret in ("correct horse", "battery staple", "wrong-Pa55-7f3a", good, newer, *sent):
                assert secret not in text, f"{secret!r} appears in the log"  # ...without what was sent
            print("ok: refusals logged, no password, credential or hash in the log", flush=True)
        finally:
            host.stop(proc)
            log.close()
    print(f"PASS in {time.monotonic() - START:.1f} s")


if __name__ == "__main__":
    main()
