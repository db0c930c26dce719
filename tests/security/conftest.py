"""The web test fixtures (a fresh database, the app, a client), shared with tests/web."""

from tests.web.conftest import app, client, clock, config, services

__all__ = ["app", "client", "clock", "config", "services"]
