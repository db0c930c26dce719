"""`backstride serve` over HTTPS: what phones need for the walking test's motion sensors."""

from __future__ import annotations

import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is part of Debian's base system"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@contextmanager
def served(tmp_path: Path, *options: str) -> Iterator[int]:
    """`backstride serve` on a free loopback port with its own SQLite file; the port. What it
    prints goes to ``serve.log`` in ``tmp_path``."""
    port = _free_port()
    exe = Path(sys.executable).with_name("backstride")
    env = {
        **os.environ,
        "BACKSTRIDE_SECRET_KEY": "s" * 40,
        "BACKSTRIDE_DATABASE_URL": f"sqlite:///{tmp_path / 'served.db'}",
    }
    with (tmp_path / "serve.log").open("wb") as log:
        server = subprocess.Popen(  # noqa: S603 (our own console script, fixed arguments)
            [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), *options],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield port
        finally:
            server.terminate()
            server.wait(timeout=10)


def wait_for_health(url: str, context: ssl.SSLContext | None = None) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(  # noqa: S310 (http(s) to our own test server)
                f"{url}/api/v1/health", timeout=2, context=context
            ) as answer:
                assert json.loads(answer.read())["status"] == "ok"
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_backstride_serve_answers_on_loopback(tmp_path: Path) -> None:
    with served(tmp_path) as port:
        wait_for_health(f"http://127.0.0.1:{port}")


def test_the_access_log_names_no_client_and_no_record(tmp_path: Path) -> None:
    with served(tmp_path) as port:
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url)
        # A page redirects to sign in; the API answers 401 (the log says which).
        urllib.request.urlopen(f"{url}/clinician/people/4711", timeout=5).close()  # noqa: S310
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}/api/v1/people/4711/diary?since=2026-01-01", timeout=5)  # noqa: S310
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert '"GET /api/v1/people/{id}/diary HTTP/1.1" 401' in log
    assert '"GET /clinician/people/{id} HTTP/1.1" 303' in log
    assert "4711" not in log
    assert "127.0.0.1:" not in log.replace(f"http://127.0.0.1:{port}", "")


def test_serve_over_https_sends_hsts_and_secure_cookies(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(cafile=str(cert))
    context.check_hostname = False
    with served(tmp_path, "--ssl-certfile", str(cert), "--ssl-keyfile", str(key)) as port:
        wait_for_health(f"https://127.0.0.1:{port}", context)
        with urllib.request.urlopen(
            f"https://127.0.0.1:{port}/login", timeout=5, context=context
        ) as page:
            assert "max-age" in page.headers["strict-transport-security"]
            assert "secure" in page.headers["set-cookie"].lower()


def test_half_a_certificate_is_refused(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    exe = Path(sys.executable).with_name("backstride")
    result = subprocess.run(  # noqa: S603
        [str(exe), "serve", "--ssl-certfile", str(certificate[0])],
        env={**os.environ, "BACKSTRIDE_SECRET_KEY": "s" * 40},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "go together" in result.stderr
