"""The hazard log names the tests that guard each hazard: every named test must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"`(tests/[\w/.-]+\.py)(?:::(\w+))?`")


def references() -> list[tuple[str, str | None]]:
    text = (ROOT / "docs/safety/hazard-log.md").read_text(encoding="utf-8")
    return [(m.group(1), m.group(2)) for m in REFERENCE.finditer(text)]


def test_every_guarding_test_named_in_the_hazard_log_exists() -> None:
    found = references()
    assert len(found) > 40
    missing = []
    for path, name in found:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and not re.search(
            rf"^\s*def {name}\(", file.read_text(encoding="utf-8"), re.M
        ):
            missing.append(f"{path}::{name}")
    assert not missing, "hazard log names tests that do not exist: " + ", ".join(missing)
