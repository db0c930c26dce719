"""The stored side through the command line, on a temporary SQLite database."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backstride.cli.common import open_records
from backstride.cli.main import app
from backstride.services.accounts import Accounts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date.today().isoformat()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BACKSTRIDE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def run(cli: CliRunner, *args: str) -> tuple[int, str, str]:
    result = cli.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def checkin(cli: CliRunner, day: str, *extra: str) -> int:
    code, _, _ = run(
        cli,
        "diary",
        "add",
        "--user",
        "ann",
        "--date",
        day,
        "--pain-now",
        "4",
        "--pain-walking",
        "5",
        "--walk-minutes",
        "20",
        *extra,
    )
    return code


def test_the_whole_stored_journey(cli: CliRunner, tmp_path: Path) -> None:
    assert run(cli, "db", "upgrade")[0] == 0
    assert run(cli, "user", "add", "ann")[0] == 0
    assert run(cli, "user", "add", "drlee", "--role", "clinician")[0] == 0
    assert run(cli, "user", "link", "drlee", "ann")[0] == 0
    code, _, err = run(cli, "user", "link", "drlee", "ann")
    assert code == 2
    assert "already linked" in err
    code, out, _ = run(
        cli, "plan", str(EXAMPLES / "stenosis-walker.json"), "--user", "ann", "--json"
    )
    assert code == 0
    assert json.loads(out)["urgency"] == "soon"
    assert (
        checkin(
            cli,
            TODAY,
            "--walk-tolerance-min",
            "none",
            "--steps",
            "3000",
            "--exercise",
            "pelvic_tilt:done:2",
            "--note",
            "=SUM(A1) sneaky",
        )
        == 0
    )
    code, out, _ = run(cli, "diary", "list", "--user", "ann", "--json")
    entries = json.loads(out)
    assert entries[0]["walk_no_limit"] is True
    assert entries[0]["exercises"] == [{"id": "pelvic_tilt", "done": True, "pain_during": 2}]
    code, out, _ = run(cli, "diary", "status", "--user", "ann", "--json")
    assert code == 0
    status = json.loads(out)
    assert status["days_logged"] == 1
    assert status["escalation"]["level"] is None
    assert run(cli, "diary", "status", "--user", "ann")[0] == 0
    report = tmp_path / "summary.pdf"
    assert run(cli, "report", "--user", "ann", "-o", str(report))[0] == 0
    assert report.read_bytes().startswith(b"%PDF-")
    bundle = tmp_path / "ann.json"
    assert run(cli, "export", "fhir", "--user", "ann", "-o", str(bundle))[0] == 0
    kinds = {e["resource"]["resourceType"] for e in json.loads(bundle.read_text())["entry"]}
    assert {"Patient", "QuestionnaireResponse", "Observation", "CarePlan"} <= kinds
    diary = tmp_path / "ann.csv"
    assert run(cli, "export", "csv", "--user", "ann", "-o", str(diary))[0] == 0
    rows = list(csv.DictReader(io.StringIO(diary.read_text(encoding="utf-8"))))
    assert rows[0]["note"].startswith("'=")
    backup = tmp_path / "backup.json"
    assert run(cli, "db", "backup", "-o", str(backup))[0] == 0
    assert run(cli, "db", "restore", str(backup))[0] == 0
    assert json.loads(run(cli, "diary", "list", "--user", "ann", "--json")[1]) == entries


def test_a_red_flag_check_in_escalates_to_emergency(cli: CliRunner) -> None:
    run(cli, "user", "add", "ann")
    run(cli, "assess", str(EXAMPLES / "acute-strain.json"), "--user", "ann")
    result = cli.invoke(
        app,
        [
            "diary",
            "add",
            "--user",
            "ann",
            "--date",
            TODAY,
            "--pain-now",
            "4",
            "--pain-walking",
            "5",
            "--walk-minutes",
            "20",
            "--red-flag",
        ],
    )
    assert result.exit_code == 0
    assert "Get help now" in result.stdout, "a warning sign is assessed at once"
    _, out, _ = run(cli, "diary", "status", "--user", "ann", "--json")
    assert json.loads(out)["escalation"]["level"] == "emergency"
    _, out, _ = run(cli, "diary", "status", "--user", "ann")
    assert "SEE A DOCTOR" in out
    assert "acknowledged 1" in run(cli, "diary", "ack", "--user", "ann")[1]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--date", "tomorrow"], "date: must be a date"),
        (
            ["--date", (date.today() + timedelta(days=1)).isoformat()],
            "date: cannot be in the future",
        ),
        (["--date", TODAY, "--walk-tolerance-min", "lots"], "walk_tolerance_min"),
        (["--date", TODAY, "--exercise", "bird_dog"], "exercise: must be ID:done|skipped"),
        (["--date", TODAY, "--exercise", "bird_dog:done:x"], "PAIN must be 0 to 10"),
    ],
)
def test_bad_check_ins_exit_2_and_write_nothing(
    cli: CliRunner, args: list[str], fragment: str
) -> None:
    run(cli, "user", "add", "ann")
    result = cli.invoke(
        app,
        [
            "diary",
            "add",
            "--user",
            "ann",
            "--pain-now",
            "4",
            "--pain-walking",
            "5",
            "--walk-minutes",
            "20",
            *args,
        ],
    )
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert json.loads(run(cli, "diary", "list", "--user", "ann", "--json")[1]) == []


def test_commands_name_what_is_missing(cli: CliRunner, tmp_path: Path) -> None:
    assert run(cli, "user", "add", "ann", "--role", "king")[0] == 2
    run(cli, "user", "add", "ann")
    code, _, err = run(cli, "report", "--user", "ann", "-o", str(tmp_path / "r.pdf"))
    assert code == 2
    assert "no stored assessment" in err
    assert run(cli, "export", "xml", "--user", "ann", "-o", str(tmp_path / "x"))[0] == 2
    assert run(cli, "diary", "list", "--user", "nobody")[0] == 2
    assert run(cli, "diary", "adjust", "--user", "ann")[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert run(cli, "db", "restore", str(bad))[0] == 2


def test_account_commands_write_their_security_events_to_standard_error(cli: CliRunner) -> None:
    code, _, err = run(cli, "user", "add", "ann-smith")
    assert code == 0
    created = json.loads(err.strip().removeprefix("security "))
    assert (created["event"], created["account"], created["role"]) == (
        "account_created",
        1,
        "person",
    )
    assert "ann-smith" not in err
    code, out, err = run(cli, "user", "reset-code", "ann-smith")
    assert code == 0
    assert len(out.strip()) >= 8, "the code itself goes to standard output"
    [line] = [line for line in err.splitlines() if line.startswith("security ")]
    event = json.loads(line.removeprefix("security "))
    assert (event["event"], event["account"]) == ("reset_code_issued", 1)
    assert "ann-smith" not in err
    assert out.strip() not in err, "the code is not logged"
    code, _, err = run(cli, "user", "reset-code", "nobody")
    assert code == 2
    assert "security " not in err, "nothing happened, nothing logged"


def test_db_backup_sealed_with_a_passphrase_file(cli: CliRunner, tmp_path: Path) -> None:
    assert run(cli, "user", "add", "ann")[0] == 0
    secret = tmp_path / "passphrase"
    secret.write_text("a long backup passphrase\n", encoding="utf-8")
    backup = tmp_path / "backup.sealed"
    code, out, _ = run(cli, "db", "backup", "-o", str(backup), "--passphrase-file", str(secret))
    assert code == 0
    assert "(sealed)" in out
    assert b'"ann"' not in backup.read_bytes()
    code, _, err = run(cli, "db", "restore", str(backup))
    assert code == 2
    assert "passphrase" in err
    code, out, _ = run(cli, "db", "restore", str(backup), "--passphrase-file", str(secret))
    assert code == 0
    assert out.startswith("restored ")


def test_db_purge_says_how_many_then_deletes_only_with_yes(cli: CliRunner) -> None:
    # Nobody is dormant for a year in a new database: the command still runs end to end.
    assert run(cli, "user", "add", "ann")[0] == 0
    code, out, _ = run(cli, "db", "purge", "--inactive-days", "365")
    assert (code, out) == (
        0,
        "0 account(s) with nothing written for 365 days; run again with --yes to delete them\n",
    )
    code, out, _ = run(cli, "db", "purge", "--inactive-days", "365", "--yes")
    assert (code, out) == (0, "deleted 0 account(s) and everything stored about them\n")
    assert run(cli, "diary", "list", "--user", "ann")[0] == 0  # ann is still there
    code, _, err = run(cli, "db", "purge", "--inactive-days", "30", "--yes")
    assert code == 2
    assert "inactive_days: must be at least 365 days" in err


def test_what_the_command_line_does_to_an_account_is_in_the_persons_trail(
    cli: CliRunner,
) -> None:
    assert run(cli, "user", "add", "ann")[0] == 0
    assert run(cli, "user", "add", "dr-lee", "--role", "clinician")[0] == 0
    assert run(cli, "user", "link", "dr-lee", "ann")[0] == 0
    assert run(cli, "user", "reset-code", "ann")[0] == 0
    set_password = cli.invoke(
        app, ["user", "password", "ann"], input="lantern orchard pebble\n" * 2
    )
    assert set_password.exit_code == 0, set_password.stderr
    assert run(cli, "user", "reset-code", "dr-lee")[0] == 0  # a clinician has no trail page
    accounts = Accounts(open_records().store)
    ann = accounts.sign_in("ann", "lantern orchard pebble", "test")
    trail = [(e.actor_name, e.detail["summary"]) for e in accounts.audit_trail(ann.id)]
    assert trail == [
        ("Administrator (command line)", "Let dr-lee see your diary, assessments and programme"),
        ("Administrator (command line)", "Made a one-time code for you to set a new password"),
        ("Administrator (command line)", "Set a new password for you"),
    ]


def test_a_bad_time_zone_is_an_error_line_naming_it(
    cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKSTRIDE_TIMEZONE", "Mars/Olympus")
    for args in (("db", "upgrade"), ("diary", "list", "--user", "ann")):
        code, out, err = run(cli, *args)
        assert code == 2
        assert out == ""
        assert err.startswith("error: BACKSTRIDE_TIMEZONE: 'Mars/Olympus' is not a time zone")
