"""The real server for tests and benches: ``backstride serve`` in its own process group.

``Server.start`` runs ``backstride serve --workers N`` (plus any ``options``, such as
``--demo`` for the browser tests) on a free loopback port with its own database URL and
secret, in a new session (so the uvicorn master and its workers form one process group), and
waits for ``/api/v1/health``. ``kill()`` SIGKILLs the whole group at once, as a power cut or
the OOM killer would; ``stop()`` ends it gracefully; ``restart()`` starts it again on the
same port and database. Its output goes to a log file that a failing test shows.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import httpx

BACKSTRIDE = str(Path(sys.executable).parent / "backstride")
START_S = 60.0
SECRET = secrets.token_urlsafe(48)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment a clinic's service would have: its database and a real secret."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BACKSTRIDE_")}
    env["BACKSTRIDE_DATABASE_URL"] = database_url
    env["BACKSTRIDE_SECRET_KEY"] = SECRET
    env.update(extra)
    return env


def cli(database_url: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``backstride ARGS`` against ``database_url``; fails the test on a non-zero exit."""
    done = subprocess.run(  # noqa: S603 (our own console script, fixed arguments)
        [BACKSTRIDE, *args],
        env=environment(database_url),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    assert done.returncode == 0, f"backstride {' '.join(args[:2])}: {done.stdout}\n{done.stderr}"
    return done


@dataclass
class Server:
    database_url: str
    log: Path
    workers: int = 2
    options: tuple[str, ...] = ()
    #: How a client trusts the server's certificate when ``options`` serve HTTPS
    #: (``--ssl-certfile``/``--ssl-keyfile``); None for plain HTTP.
    tls: ssl.SSLContext | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @classmethod
    def start(
        cls,
        database_url: str,
        log: Path,
        workers: int = 2,
        options: tuple[str, ...] = (),
        tls: ssl.SSLContext | None = None,
    ) -> Server:
        server = cls(database_url, log, workers, options, tls)
        server.restart()
        return server

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``backstride ARGS`` against the server's database (see ``cli``)."""
        return cli(self.database_url, *args)

    def restart(self, *, wait: bool = True) -> None:
        """Start the server (again); returns once it answers (at once with ``wait=False``)."""
        assert self.process is None or self.process.poll() is not None, "still running"
        command = [BACKSTRIDE, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--workers", str(self.workers), *self.options]
        with self.log.open("ab") as out:
            out.write(f"\n--- start {self.starts + 1} ---\n".encode())
            out.flush()
            self.process = subprocess.Popen(  # noqa: S603 (our own console script)
                command,
                env=environment(self.database_url),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # master and workers: one process group to kill
            )
        self.starts += 1
        if wait:
            self._wait_until_up()

    def _wait_until_up(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the server stopped (exit {self.process.returncode}):\n{self.output()}"
                )
            try:
                with urllib.request.urlopen(  # noqa: S310 (loopback)
                    f"{self.url}/api/v1/health", timeout=2, context=self.tls
                ) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"the server did not answer in {START_S:.0f} s:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        """The uvicorn worker processes (children of the master running the app)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids = [int(pid) for pid in children.read_text().split()]
        return [pid for pid in pids if b"spawn_main" in _cmdline(pid)]

    def cpu_s(self) -> float:
        """CPU time (user and system) the master and its workers have used so far (Linux
        /proc): what requests cost the server, whatever the clients cost."""
        assert self.process is not None
        tick = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in (self.process.pid, *self.worker_pids()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # a worker that has just exited
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def kill(self) -> None:
        """SIGKILL the master and every worker at the same moment."""
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._wait_for_group_gone()

    def stop(self) -> None:
        """Stop gracefully (SIGTERM to the group), or kill after 15 s."""
        if self.process is None or self.process.poll() is not None:
            self._wait_for_group_gone()
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self._wait_for_group_gone()

    def _wait_for_group_gone(self) -> None:
        """Workers re-parented to init may outlive the master by a moment (zombies waiting
        to be reaped hold nothing, so they do not count)."""
        assert self.process is not None
        group = self.process.pid
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _live_members(group):
            time.sleep(0.02)
        for pid in _live_members(group):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]

    def client(self, **options: object) -> httpx.Client:
        options.setdefault("verify", self.tls or True)
        return httpx.Client(base_url=self.url, timeout=30, **options)  # type: ignore[arg-type]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _live_members(group: int) -> list[int]:
    """Processes of process group ``group`` that are not zombies."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(entry.name))
    return members
