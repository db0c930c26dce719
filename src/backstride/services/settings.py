"""Settings from the environment, read when asked for (never at import time).

Outside demo mode the web app needs a real secret: it refuses to start with none, a short one
or the demo's well-known one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs


class ConfigError(Exception):
    """A setting is missing or unsafe; the message names the environment variable."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    #: Where the people Backstride serves live: it decides which calendar day a check-in is
    #: for. None: this machine's own zone (right for the command line on a person's own
    #: computer; a server, often run in UTC, should name its people's zone).
    timezone: tzinfo | None = None


def default_database_url() -> str:
    """SQLite in the platform's user data folder (created when missing)."""
    folder = Path(platformdirs.user_data_dir("backstride", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'backstride.db'}"


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """``BACKSTRIDE_DATABASE_URL`` or the default SQLite file, and ``BACKSTRIDE_TIMEZONE``
    (an IANA name such as ``Europe/London``) or this machine's zone."""
    env = os.environ if environ is None else environ
    return Settings(
        database_url=env.get("BACKSTRIDE_DATABASE_URL") or default_database_url(),
        timezone=time_zone(env.get("BACKSTRIDE_TIMEZONE", "")),
    )


def time_zone(name: str) -> tzinfo | None:
    """The zone ``name`` names, None for an empty name; ``ConfigError`` for an unknown one."""
    if not name.strip():
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"BACKSTRIDE_TIMEZONE: {name.strip()!r} is not a time zone name; use one such as "
            "Europe/London or America/New_York"
        ) from None


#: Only ever used in demo mode, where everything is throwaway and labelled as such.
DEMO_SECRET = "backstride-demo-secret-not-for-real-use-0000"  # noqa: S105 (refused outside demo)
MIN_SECRET_CHARS = 32
TRUE = {"1", "true", "yes", "on"}


#: Threads per worker process for a database other than SQLite.
DEFAULT_THREADS = 4
MAX_THREADS = 64


@dataclass(frozen=True, slots=True)
class WebConfig:
    settings: Settings
    secret_key: str
    demo: bool = False
    #: Cookies marked Secure and HSTS sent: set when served behind TLS.
    secure: bool = False
    #: Threads that run routes' database work (None: chosen for the database, see
    #: ``thread_count``).
    threads: int | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> WebConfig:
        env = os.environ if environ is None else environ
        demo = env.get("BACKSTRIDE_DEMO", "").lower() in TRUE
        secret = env.get("BACKSTRIDE_SECRET_KEY", "")
        if not secret and demo:
            secret = DEMO_SECRET
        config = cls(
            settings=get_settings(env),
            secret_key=secret,
            demo=demo,
            secure=env.get("BACKSTRIDE_SECURE_COOKIES", "").lower() in TRUE,
            threads=_threads(env.get("BACKSTRIDE_THREADS", "")),
        )
        config.check()
        return config

    @property
    def thread_count(self) -> int:
        """How many routes run at once in one worker process. SQLite takes one writer at a
        time and Python runs one thread at a time, so more threads only contend for the
        interpreter: bench/web.py measured 1 thread at about 1.5 times the throughput of the
        default 40 and a quarter of the check-in's p95 (2 and 4 threads fall in between).
        PostgreSQL's round trips leave room to overlap a few. Slow work (password hashing,
        PDFs, exports) has its own lane (``web.deps.slow_lane``).
        """
        if self.threads is not None:
            return self.threads
        return 1 if self.settings.database_url.startswith("sqlite") else DEFAULT_THREADS

    def check(self) -> None:
        if self.threads is not None and not 1 <= self.threads <= MAX_THREADS:
            raise ConfigError(f"BACKSTRIDE_THREADS must be a whole number from 1 to {MAX_THREADS}")
        if self.demo:
            return
        if len(self.secret_key) < MIN_SECRET_CHARS or self.secret_key == DEMO_SECRET:
            raise ConfigError(
                "BACKSTRIDE_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_CHARS} characters (for example the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`), "
                "or start with --demo for throwaway demo data"
            )


def _threads(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_THREADS:
        raise ConfigError(f"BACKSTRIDE_THREADS must be a whole number from 1 to {MAX_THREADS}")
    return int(value)
