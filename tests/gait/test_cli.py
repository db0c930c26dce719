"""``backstride gait analyze``: JSON, a readable table, and clear errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from backstride.cli.main import app
from tests.gait.conftest import TVS

runner = CliRunner()
WALK = str(TVS / "HA_001_Test5_Trial1_imu.csv")


def test_json_output_has_the_contract() -> None:
    result = runner.invoke(app, ["gait", "analyze", WALK, "--height-m", "1.59", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["sampling_rate_hz"] == 100.0
    assert len(out["bouts"]) == 1
    bout = out["bouts"][0]
    for key in (
        "start_s",
        "end_s",
        "steps",
        "cadence_spm",
        "speed_mps",
        "stride_length_m",
        "step_regularity",
        "stride_regularity",
        "symmetry",
    ):
        assert key in bout
    assert 95 < bout["cadence_spm"] < 106
    assert set(out["summary"]) >= {"walking_s", "steps", "cadence_spm", "speed_mps"}
    assert len(out["initial_contacts_s"]) == bout["steps"] + 1
    assert out["quality"] == []


def test_table_output() -> None:
    result = runner.invoke(app, ["gait", "analyze", WALK, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Walking bouts" in result.stdout
    assert "height_unknown" in result.stdout


def test_bad_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("t_s,acc_x\n0,1\n", encoding="utf-8")
    result = runner.invoke(app, ["gait", "analyze", str(bad)])
    assert result.exit_code == 2
    assert "error: bad.csv: format not recognised" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_and_bad_format_and_bad_height(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["gait", "analyze", str(tmp_path / "none.csv")])
    assert missing.exit_code == 2
    assert "no such file" in missing.stderr
    fmt = runner.invoke(app, ["gait", "analyze", WALK, "--format", "xlsx"])
    assert fmt.exit_code == 2
    assert "format: must be one of" in fmt.stderr
    height = runner.invoke(app, ["gait", "analyze", WALK, "--height-m", "17"])
    assert height.exit_code == 2
    assert "height_m" in height.stderr
