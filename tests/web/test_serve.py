"""`backstride serve` over HTTPS: what phones need for the walking test's motion sensors."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.server import BACKSTRIDE, Server, environment


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
def served(tmp_path: Path, *options: str, tls: ssl.SSLContext | None = None) -> Iterator[Server]:
    """`backstride serve` (one worker) on a free loopback port with its own SQLite file, up
    and answering. What it prints goes to ``serve.log`` in ``tmp_path``."""
    server = Server.start(
        f"sqlite:///{tmp_path / 'served.db'}", tmp_path / "serve.log", 1, options, tls
    )
    try:
        yield server
    finally:
        server.stop()


def test_backstride_serve_answers_on_loopback(tmp_path: Path) -> None:
    with served(tmp_path) as server, server.client() as client:
        assert client.get("/api/v1/health").json()["status"] == "ok"


def test_the_access_log_names_no_client_and_no_record(tmp_path: Path) -> None:
    with served(tmp_path) as server, server.client() as client:
        url = server.url
        # A page redirects to sign in; the API answers 401 (the log says which).
        assert client.get("/clinician/people/4711").status_code == 303
        assert client.get("/api/v1/people/4711/diary?since=2026-01-01").status_code == 401
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert '"GET /api/v1/people/{id}/diary HTTP/1.1" 401' in log
    assert '"GET /clinician/people/{id} HTTP/1.1" 303' in log
    assert "4711" not in log
    assert "127.0.0.1:" not in log.replace(url, "")


def test_serve_over_https_sends_hsts_and_secure_cookies(
    tmp_path: Path, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    context = ssl.create_default_context(cafile=str(cert))
    context.check_hostname = False
    options = ("--ssl-certfile", str(cert), "--ssl-keyfile", str(key))
    with served(tmp_path, *options, tls=context) as server, server.client() as client:
        assert server.url.startswith("https://")
        page = client.get("/login")
        assert "max-age" in page.headers["strict-transport-security"]
        assert "secure" in page.headers["set-cookie"].lower()


def test_half_a_certificate_is_refused(tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    result = subprocess.run(  # noqa: S603
        [BACKSTRIDE, "serve", "--ssl-certfile", str(certificate[0])],
        env=environment("sqlite:///" + str(tmp_path / "unused.db")),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "go together" in result.stderr
