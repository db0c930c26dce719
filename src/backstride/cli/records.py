"""Commands for stored records: the database, users, and the diary."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backstride.cli.common import EXIT_CONTRACT, fail, open_records, settings

if TYPE_CHECKING:
    from backstride.domain.diary import DiaryEntry

db_app = typer.Typer(
    help="The database: upgrade, back up, restore, purge dormant accounts.", no_args_is_help=True
)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the newest schema (BACKSTRIDE_DATABASE_URL, or the default file)."""
    from backstride.persistence.engine import create_db_engine
    from backstride.services.store import Store

    Store(create_db_engine(settings().database_url)).upgrade()
    sys.stdout.write("database is at the newest schema\n")


PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        help="A file whose first line is the passphrase that seals (backup) or opens "
        "(restore) the backup; keep it readable only by the service. Without it the backup "
        "is plain JSON.",
        exists=True,
        dir_okay=False,
    ),
]


def _passphrase(file: Path | None) -> str | None:
    if file is None:
        return None
    lines = file.read_text(encoding="utf-8").splitlines()
    return lines[0].strip() if lines else ""


@db_app.command("backup")
def db_backup(
    output: Annotated[Path, typer.Option("-o", "--output", help="The backup file to write.")],
    passphrase_file: PassphraseFile = None,
) -> None:
    """Write a consistent copy of every record (safe while Backstride is in use), sealed with
    a passphrase (scrypt and AES-256-GCM) when one is given."""
    from backstride.domain.answers import ContractError

    try:
        counts = open_records().store.backup(output, _passphrase(passphrase_file))
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    sealed = " (sealed)" if passphrase_file is not None else ""
    sys.stdout.write(f"wrote {output}{sealed}: {sum(counts.values())} rows\n")


@db_app.command("purge")
def db_purge(
    inactive_days: Annotated[
        int,
        typer.Option(
            "--inactive-days",
            help="Delete the accounts of people who have written nothing (check-ins, "
            "assessments, exercises, walking tests, sign-ins) for this many days; at least 365. "
            "The period is the clinic's retention policy.",
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete them. Without it, only say how many there are.")
    ] = False,
) -> None:
    """Retention: delete dormant people's accounts and everything stored about them. Says how
    many first; deletes only with --yes. Back up first (`db backup`)."""
    from datetime import timedelta

    from backstride.domain.answers import ContractError

    accounts = _accounts()
    idle = timedelta(days=inactive_days)
    try:
        dormant = accounts.dormant(idle)
        if not yes:
            sys.stdout.write(
                f"{len(dormant)} account(s) with nothing written for {inactive_days} days; "
                "run again with --yes to delete them\n"
            )
            return
        deleted = accounts.purge(idle)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"deleted {deleted} account(s) and everything stored about them\n")


@db_app.command("restore")
def db_restore(
    file: Annotated[Path, typer.Argument(help="A file written by `backstride db backup`.")],
    passphrase_file: PassphraseFile = None,
) -> None:
    """Replace every record with the backup's, all or nothing."""
    from backstride.domain.answers import ContractError

    try:
        counts = open_records().store.restore(file, _passphrase(passphrase_file))
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"restored {sum(counts.values())} rows from {file}\n")


user_app = typer.Typer(help="People who use Backstride.", no_args_is_help=True)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="A unique name.")],
    role: Annotated[str, typer.Option(help="person, clinician or admin.")] = "person",
) -> None:
    """Add a person, clinician or admin."""
    from backstride.cli.logs import security_log_to_stderr
    from backstride.domain.answers import ContractError
    from backstride.services.security_log import SecurityLog

    records = open_records()
    try:
        person = records.add_user(name, role)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    with security_log_to_stderr():
        SecurityLog(records.clock).record(
            "account_created", account=person.id, role=person.role.value, by="command line"
        )
    sys.stdout.write(f"added {person.role.value} #{person.id}\n")


@user_app.command("link")
def user_link(
    clinician: Annotated[str, typer.Argument(help="The clinician's name.")],
    person: Annotated[str, typer.Argument(help="The person's name.")],
) -> None:
    """Let a clinician see a person's records."""
    from backstride.domain.answers import ContractError

    try:
        open_records().link(clinician, person)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    _accounts().record_admin_action(
        person, "admin_linked", f"Let {clinician} see your diary, assessments and programme"
    )
    sys.stdout.write("linked\n")


def _accounts() -> Any:
    from backstride.services.accounts import Accounts

    return Accounts(open_records().store)


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="The user's name.")],
) -> None:
    """Set a user's web sign-in password (asked for twice, never echoed). Ends their sessions."""
    from backstride.cli.logs import security_log_to_stderr
    from backstride.domain.answers import ContractError

    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        with security_log_to_stderr():
            accounts = _accounts()
            accounts.set_password(name, password)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    accounts.record_admin_action(name, "admin_password_set", "Set a new password for you")
    sys.stdout.write("password set\n")


@user_app.command("reset-code")
def user_reset_code(
    name: Annotated[str, typer.Argument(help="The user who forgot their password.")],
) -> None:
    """Create a one-time password-reset code (valid for one hour) to give to the user, who
    enters it at /reset. Backstride sends no e-mail: hand the code over in person or by phone."""
    from backstride.cli.logs import security_log_to_stderr
    from backstride.domain.answers import ContractError

    try:
        with security_log_to_stderr():
            accounts = _accounts()
            code = accounts.reset_code(name)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    accounts.record_admin_action(
        name, "admin_reset_code", "Made a one-time code for you to set a new password"
    )
    sys.stdout.write(f"{code}\n")


diary_app = typer.Typer(help="The daily check-in diary.", no_args_is_help=True)


@diary_app.command("add")
def diary_add(
    user: Annotated[str, typer.Option("--user", help="Whose diary.")],
    day: Annotated[str, typer.Option("--date", help="YYYY-MM-DD (today or earlier).")],
    pain_now: Annotated[int, typer.Option("--pain-now", help="Back pain now, 0 to 10.")],
    pain_walking: Annotated[
        int, typer.Option("--pain-walking", help="Worst back pain when walking, 0 to 10.")
    ],
    walk_minutes: Annotated[
        float, typer.Option("--walk-minutes", help="Minutes walked in all today.")
    ],
    walk_tolerance_min: Annotated[
        str | None,
        typer.Option(
            "--walk-tolerance-min",
            help="Minutes walked before pain made you stop, or 'none' if it never did.",
        ),
    ] = None,
    steps: Annotated[int | None, typer.Option("--steps", help="Steps today.")] = None,
    exercise: Annotated[
        list[str] | None,
        typer.Option("--exercise", help="ID:done|skipped[:PAIN], e.g. bird_dog:done:3 (repeat)."),
    ] = None,
    settled: Annotated[
        bool | None,
        typer.Option(
            "--settled/--not-settled", help="Yesterday's exercise pain settled by morning?"
        ),
    ] = None,
    red_flag: Annotated[
        bool | None,
        typer.Option(
            "--red-flag/--no-red-flag",
            help="Any new numbness in the saddle area, change in bladder or bowel control, "
            "or weakness?",
        ),
    ] = None,
    note: Annotated[str, typer.Option("--note", help="A free note.")] = "",
) -> None:
    """Add today's (or a missed day's) check-in. One a day; editable that day."""
    from backstride.domain.answers import ContractError

    try:
        raw = _entry_input(day, walk_tolerance_min, exercise or [])
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    raw.update(
        pain_now=pain_now,
        pain_walking=pain_walking,
        walk_minutes=walk_minutes,
        steps=steps,
        settled_by_morning=settled,
        red_flag=red_flag,
        note=note,
    )
    try:
        records = open_records()
        records.add_entry(user, raw)
        sys.stdout.write("check-in saved\n")
        if red_flag:  # a warning sign runs the assessment at once, and says what to do
            status, _ = records.status(user)
            level = status.escalation.level
            content = records.assessments.content
            headline = content.advice[level].headline if level is not None else ""
            sys.stdout.write(f"You reported a warning sign. {headline}\n")
            for reason in status.escalation.reasons:
                sys.stdout.write(f" - {reason.message}\n")
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None


def _entry_input(day: str, tolerance: str | None, exercises: list[str]) -> dict[str, object]:
    from datetime import date

    from backstride.domain.answers import ContractError, FieldError

    try:
        parsed_day = date.fromisoformat(day)
    except ValueError:
        raise ContractError((FieldError("date", "must be a date as YYYY-MM-DD"),)) from None
    raw: dict[str, object] = {"day": parsed_day}
    if tolerance is not None:
        if tolerance.strip().lower() in ("none", "no limit", "nolimit"):
            raw["walk_no_limit"] = True
        else:
            try:
                raw["walk_tolerance_min"] = float(tolerance)
            except ValueError:
                message = "must be minutes, or none"
                raise ContractError((FieldError("walk_tolerance_min", message),)) from None
    logs = []
    for item in exercises:
        parts = item.split(":")
        if len(parts) not in (2, 3) or parts[1] not in ("done", "skipped"):
            raise ContractError((FieldError("exercise", "must be ID:done|skipped[:PAIN]"),))
        log: dict[str, object] = {"exercise_id": parts[0], "done": parts[1] == "done"}
        if len(parts) == 3:
            if not parts[2].isdigit():
                raise ContractError((FieldError("exercise", "PAIN must be 0 to 10"),))
            log["pain_during"] = int(parts[2])
        logs.append(log)
    raw["exercises"] = logs
    return raw


@diary_app.command("list")
def diary_list(
    user: Annotated[str, typer.Option("--user", help="Whose diary.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every check-in, oldest first."""
    import json

    from backstride.domain.answers import ContractError

    try:
        entries = open_records().entries(user)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    rows = [_entry_json(e) for e in entries]
    if json_output:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    from rich.table import Table

    from backstride.cli.render import console

    table = Table(title=f"{len(rows)} check-ins")
    for column in (
        "date",
        "pain now",
        "pain walking",
        "walked (min)",
        "before pain (min)",
        "steps",
    ):
        table.add_column(column)
    for row in rows:
        limit = "no limit" if row["walk_no_limit"] else row["walk_tolerance_min"]
        table.add_row(
            row["date"],
            str(row["pain_now"]),
            str(row["pain_walking"]),
            f"{row['walk_minutes']:g}",
            "" if limit is None else str(limit),
            "" if row["steps"] is None else str(row["steps"]),
        )
    console().print(table)


@diary_app.command("status")
def diary_status_command(
    user: Annotated[str, typer.Option("--user", help="Whose diary.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Is it getting better? Trends, and whether to see a doctor (with the reasons)."""
    import json

    from backstride.diary.export import status_to_dict
    from backstride.domain.answers import ContractError

    try:
        status, _ = open_records().status(user)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    out = status_to_dict(status)
    if json_output:
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        return
    from rich.panel import Panel

    from backstride.cli.render import STYLE, console

    screen = console()
    escalation = status.escalation
    if escalation.level is not None:
        lines = "\n\n".join(f"{r.message}\n[dim]{r.source}[/dim]" for r in escalation.reasons)
        screen.print(
            Panel(lines, title=" SEE A DOCTOR ", border_style=STYLE[escalation.level].split()[-1])
        )
    else:
        screen.print("[bold]No warning from your diary.[/bold] Keep going, and keep checking in.")
    for reminder in escalation.reminders:
        screen.print(f" • {reminder}")
    pain = out["trend"]["pain"]
    screen.print(
        f"Days logged: {status.days_logged}. Pain ({pain['measure']}): first {pain['first']}, "
        f"latest {pain['latest']}."
    )


@diary_app.command("adjust")
def diary_adjust(user: Annotated[str, typer.Option("--user", help="Whose plan.")]) -> None:
    """Apply last week's check-ins to the plan (pain-monitoring model); once a week."""
    from backstride.domain.answers import ContractError
    from backstride.services.progress import Progress

    try:
        result = Progress(open_records()).adjust_last_week(user)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"week of {result.week_start.isoformat()}:\n")
    for item in result.decisions["exercises"]:
        moved = f" -> {item['now']}" if item["now"] != item["id"] else ""
        sys.stdout.write(f"  {item['id']}{moved}: {item['operation']}\n")
    walking = result.decisions["walking"]
    if walking is not None:
        sys.stdout.write(
            f"  walking: week {walking['from_week']} -> {walking['to_week']} "
            f"({walking['operation']}): {walking['message']}\n"
        )


@diary_app.command("ack")
def diary_ack(user: Annotated[str, typer.Option("--user", help="Whose diary.")]) -> None:
    """Mark the open escalations as seen and acted on."""
    from backstride.domain.answers import ContractError

    try:
        count = open_records().acknowledge(user)
    except ContractError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    sys.stdout.write(f"acknowledged {count} escalation(s)\n")


def _entry_json(entry: DiaryEntry) -> dict[str, Any]:
    return {
        "date": entry.day.isoformat(),
        "pain_now": entry.pain_now,
        "pain_walking": entry.pain_walking,
        "walk_minutes": entry.walk_minutes,
        "walk_tolerance_min": entry.walk_tolerance_min,
        "walk_no_limit": entry.walk_no_limit,
        "steps": entry.steps,
        "exercises": [
            {"id": e.exercise_id, "done": e.done, "pain_during": e.pain_during}
            for e in entry.exercises
        ],
        "settled_by_morning": entry.settled_by_morning,
        "red_flag": entry.red_flag,
        "note": entry.note,
    }
