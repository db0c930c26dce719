"""The command reference is generated from the CLI itself and must be current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_reference_is_current(tmp_path: Path) -> None:
    generated = tmp_path / "cli.md"
    typer = Path(sys.executable).with_name("typer")
    subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [
            str(typer),
            "backstride.cli.main",
            "utils",
            "docs",
            "--name",
            "backstride",
            "--output",
            str(generated),
        ],
        check=True,
        capture_output=True,
    )
    committed = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert generated.read_text(encoding="utf-8") == committed, "run `make docs` and commit"
    for command in ("assess", "plan", "diary add", "diary status", "report", "export", "serve"):
        assert f"## `backstride {command}`" in committed, command
