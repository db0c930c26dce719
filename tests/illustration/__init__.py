"""Tests of the illustration package, and the shipped illustration files they share."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backstride.illustration import Illustration, parse_illustration

ILLUSTRATIONS = Path(__file__).parents[2] / "src" / "backstride" / "content_data" / "illustrations"
FILES = sorted(ILLUSTRATIONS.glob("*.yaml"))


def load(path: Path) -> Illustration:
    return parse_illustration(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


each_illustration = pytest.mark.parametrize(
    "illustration", [load(f) for f in FILES], ids=[f.stem for f in FILES]
)
"""Run a test once for every shipped illustration file."""
