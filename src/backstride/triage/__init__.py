"""The assessment engine: pure rules evaluation and explanation."""

from backstride.triage.engine import Engine

__all__ = ["Engine"]
