"""The safety documents name the tests that guard each risk: every named test (or the table
it runs over) must exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = re.compile(r"`(tests/[\w/.-]+\.py)(?:::(\w+))?")
DOCUMENTS = (
    "docs/safety/hazard-log.md",
    "docs/safety/threat-model.md",
    "docs/safety/asvs-checklist.md",
)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_guarding_test_named_exists(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    found = [(m.group(1), m.group(2)) for m in REFERENCE.finditer(text)]
    assert len(found) >= 10, f"{document} names the tests that guard it"
    missing = []
    for path, name in found:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and not re.search(
            rf"^\s*(def {name}\(|{name}\b.*=)", file.read_text(encoding="utf-8"), re.M
        ):
            missing.append(f"{path}::{name}")
    assert not missing, f"{document} names tests that do not exist: " + ", ".join(missing)
