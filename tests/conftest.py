"""Hypothesis profiles. `make test` uses "repeatable" (BACKSTRIDE_HYPOTHESIS_PROFILE): the
same examples on every run, so a red build can be reproduced and a green one means the same
thing everywhere. A plain `pytest` explores new examples each run."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("BACKSTRIDE_HYPOTHESIS_PROFILE", "explore"))
