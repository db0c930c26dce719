"""Settings from the environment, read when asked for (never at import time)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str


def default_database_url() -> str:
    """SQLite in the platform's user data folder (created when missing)."""
    folder = Path(platformdirs.user_data_dir("backstride", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'backstride.db'}"


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """``BACKSTRIDE_DATABASE_URL`` or the default SQLite file."""
    env = os.environ if environ is None else environ
    return Settings(database_url=env.get("BACKSTRIDE_DATABASE_URL") or default_database_url())
