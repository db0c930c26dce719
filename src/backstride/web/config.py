"""The web app's settings (defined with the other settings in ``services.settings``)."""

from backstride.services.settings import DEMO_SECRET, MIN_SECRET_CHARS, ConfigError, WebConfig

__all__ = ["DEMO_SECRET", "MIN_SECRET_CHARS", "ConfigError", "WebConfig"]
