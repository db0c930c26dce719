"""`backstride plan`: readable, JSON, handouts, and exit 2 for bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backstride.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()


def test_readable_plan_has_every_part() -> None:
    result = runner.invoke(
        app, ["plan", str(EXAMPLES / "acute-strain.json")], env={"COLUMNS": "160"}
    )
    assert result.exit_code == 0, result.output
    for heading in (
        "Safety first",
        "Your daily exercises",
        "Your walking plan",
        "Posture",
        "Your shoes",
        "Everyday habits",
        "Read more",
        "not a diagnosis",
    ):
        assert heading in result.stdout, heading


def test_emergency_gives_no_programme() -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLES / "saddle-numbness.json")])
    assert result.exit_code == 0
    assert "No exercise programme for now" in result.stdout
    assert "Your daily exercises" not in result.stdout


def test_json_plan() -> None:
    result = runner.invoke(
        app, ["plan", str(EXAMPLES / "stenosis-walker.json"), "--json", "--minutes", "25"]
    )
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["urgency"] == "soon"
    assert plan["minutes_per_day"] == 25
    assert plan["exercises"][0]["illustration"].startswith("<svg")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--minutes", "2"], "minutes: must be a whole number from 5 to 240"),
        (["--fitness", "superb"], "fitness: must be one of low, moderate, high"),
        (["--eases-with", "sideways"], "eases_with: must be one of flexion, extension"),
        (["--format", "pdf"], "--format and -o go together"),
        (["--format", "docx", "-o", "x.docx"], "format: must be html or pdf"),
    ],
)
def test_bad_options_exit_2_naming_the_option(args: list[str], fragment: str) -> None:
    result = runner.invoke(app, ["plan", str(EXAMPLES / "acute-strain.json"), *args])
    assert result.exit_code == 2
    assert fragment in result.stderr


def test_bad_answers_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "a.json"
    bad.write_text('{"pain_now": 12}', encoding="utf-8")
    result = runner.invoke(app, ["plan", str(bad)])
    assert result.exit_code == 2
    assert "pain_now" in result.stderr
    result = runner.invoke(app, ["plan", str(EXAMPLES / "batch.jsonl")])
    assert result.exit_code == 2
    assert "one .json answers file" in result.stderr
