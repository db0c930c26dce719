"""`backstride assess`: readable and JSON output, batches, and exit status 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backstride.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


#: Every example the README shows, with the urgency and a pattern (or None) it must give.
README_EXAMPLES = [
    ("acute-strain.json", "self_care", "muscle_strain"),
    ("stenosis-walker.json", "soon", "neurogenic_claudication"),
    ("saddle-numbness.json", "emergency", None),
    ("unanswered-red-flags.json", "emergency", None),
]


@pytest.mark.parametrize(("name", "urgency", "pattern"), README_EXAMPLES)
def test_examples_give_what_the_readme_says(name: str, urgency: str, pattern: str | None) -> None:
    code, out, _ = run("assess", str(EXAMPLES / name), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["urgency"] == urgency
    if pattern is not None:
        assert pattern in {p["id"] for p in result["patterns"]}
    assert name in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_example_file_is_in_the_readme_and_checked() -> None:
    checked = {name for name, _, _ in README_EXAMPLES} | {"batch.jsonl"}
    assert {p.name for p in EXAMPLES.iterdir()} == checked


def test_unanswered_red_flags_are_listed_as_missing() -> None:
    code, out, _ = run("assess", str(EXAMPLES / "unanswered-red-flags.json"), "--json")
    assert code == 0
    missing = json.loads(out)["missing"]
    assert {"saddle_numbness", "bladder_change", "fever"} <= set(missing)


def test_jsonl_gives_one_result_per_line_in_order() -> None:
    code, out, _ = run("assess", str(EXAMPLES / "batch.jsonl"), "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["urgency"] for r in lines] == ["self_care", "soon", "emergency"]


def test_report_puts_urgency_first_and_says_not_a_diagnosis() -> None:
    code, out, _ = run("assess", str(EXAMPLES / "saddle-numbness.json"))
    assert code == 0
    assert "EMERGENCY" in out.splitlines()[0] + out.splitlines()[1]
    assert "not a diagnosis" in " ".join(out.split()).lower()
    # For an emergency the report shows what to do, not what may be contributing.
    assert "may be contributing" not in out
    code, out, _ = run("assess", str(EXAMPLES / "stenosis-walker.json"))
    assert "may be contributing (not a diagnosis)" in out
    assert "Why" in out


@pytest.mark.parametrize(
    ("content", "suffix", "fragment"),
    [
        ('{"age": 130}', ".json", "age: must be a whole number from 0 to 120"),
        ('{"age": 40, "colour": "red"}', ".json", "colour: unknown key"),
        ('{"fever": "yes"}', ".json", "fever: must be true or false"),
        ("[1, 2]", ".json", "(answers): must be one JSON object"),
        ("{not json", ".json", "not valid JSON"),
        ('{"age": 40}\n{"pain_now": 12}\n', ".jsonl", "line 2: pain_now: must be"),
        ('{"age": 40}\n[]\n', ".jsonl", "line 2: (answers)"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_prints_no_result(
    tmp_path: Path, content: str, suffix: str, fragment: str
) -> None:
    file = tmp_path / f"answers{suffix}"
    file.write_text(content, encoding="utf-8")
    code, out, err = run("assess", str(file), "--json")
    assert code == 2
    assert fragment in err
    assert out == "", "nothing is written for a batch with a bad line"


def test_non_utf8_and_missing_files_exit_2(tmp_path: Path) -> None:
    file = tmp_path / "a.json"
    file.write_bytes(b"\xff\xfe\x00")
    code, _, err = run("assess", str(file))
    assert code == 2
    assert "not UTF-8" in err
    code, _, err = run("assess", str(tmp_path / "nope.json"))
    assert code == 2
    assert "no such file" in err


def test_file_and_interactive_are_exclusive() -> None:
    code, _, err = run("assess")
    assert code == 2
    assert "--interactive" in err
    code, _, _ = run("assess", str(EXAMPLES / "acute-strain.json"), "--interactive")
    assert code == 2
