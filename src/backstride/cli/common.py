"""What every command shares: exit statuses, the error line, and the lazily built services."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from backstride.services.assessments import AssessmentService
    from backstride.services.records import Records
    from backstride.services.settings import Settings

EXIT_CONTENT = 1
EXIT_CONTRACT = 2


def fail(code: int, message: str) -> typer.Exit:
    """Print ``error: message`` to standard error; raise the returned exit."""
    sys.stderr.write(f"error: {message}\n")
    return typer.Exit(code)


def settings() -> Settings:
    """The settings from the environment; a bad one is an error line naming it."""
    from backstride.services.settings import ConfigError, get_settings

    try:
        return get_settings()
    except ConfigError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None


def open_records() -> Records:
    """The stored records over the configured database (created and migrated if new)."""
    from backstride.services.records import Records
    from backstride.services.store import Store

    configured = settings()
    return Records(Store.open(configured), assessment_service(), zone=configured.timezone)


def assessment_service() -> AssessmentService:
    """The assessment service, imported lazily to keep start-up fast."""
    from backstride.services.assessments import default_service

    return default_service()
