"""``backstride gait``: analyse a walk recorded by a phone worn at the lower back."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backstride.cli.common import EXIT_CONTRACT, fail

if TYPE_CHECKING:
    from rich.console import Console

    from backstride.gait import GaitResult

gait_app = typer.Typer(
    help="Walking tests and gait analysis from a phone worn at the lower back.",
    no_args_is_help=True,
)

FORMAT_CHOICES = ("auto", "phyphox", "sensorlogger", "csv")


@gait_app.command("analyze")
def gait_analyze(
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV export (or the zip/folder of one): phyphox, Sensor Logger, CSV."
        ),
    ],
    file_format: Annotated[
        str, typer.Option("--format", help="auto, phyphox, sensorlogger or csv.")
    ] = "auto",
    height_m: Annotated[
        float | None,
        typer.Option("--height-m", help="Body height in metres, for step length and speed."),
    ] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Find walking bouts and steps; report cadence, speed, stride length and regularity."""
    if file_format not in FORMAT_CHOICES:
        raise fail(EXIT_CONTRACT, f"format: must be one of {', '.join(FORMAT_CHOICES)}")
    from backstride.gait import GaitInputError, analyse_file

    try:
        result = analyse_file(file, file_format=file_format, height_m=height_m)  # type: ignore[arg-type]
    except FileNotFoundError:
        raise fail(EXIT_CONTRACT, f"{file}: no such file") from None
    except GaitInputError as exc:
        raise fail(EXIT_CONTRACT, str(exc)) from None
    if json_output:
        import json

        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        return
    from backstride.cli.render import console

    render_gait(console(), result)


def _fmt(value: float | None, digits: int) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def render_gait(out: Console, result: GaitResult) -> None:
    """A table of the walking bouts, the summary and the quality notes."""
    from rich.table import Table

    out.print(
        f"[bold]Recording[/bold]: {result.duration_s:.0f} s from {result.source}, "
        f"{result.sampling_rate_hz:.0f} Hz, acceleration in {result.acc_unit}"
        + ("" if result.gravity_included else " without gravity")
    )
    table = Table(title="Walking bouts")
    for heading in (
        "start s",
        "end s",
        "steps",
        "cadence /min",
        "speed m/s",
        "stride m",
        "step reg.",
        "stride reg.",
        "symmetry",
    ):
        table.add_column(heading, justify="right")
    for b in result.bouts:
        table.add_row(
            f"{b.start_s:.1f}",
            f"{b.end_s:.1f}",
            str(b.steps),
            f"{b.cadence_spm:.0f}",
            _fmt(b.speed_mps, 2),
            _fmt(b.stride_length_m, 2),
            _fmt(b.step_regularity, 2),
            _fmt(b.stride_regularity, 2),
            _fmt(b.symmetry, 2),
        )
    out.print(table)
    s = result.summary
    out.print(
        f"[bold]Walking[/bold]: {s.walking_s:.0f} s, {s.steps} steps, "
        f"cadence {_fmt(s.cadence_spm, 0)} steps/min, speed {_fmt(s.speed_mps, 2)} m/s"
    )
    for flag in result.quality:
        out.print(f"[yellow]note[/yellow] ({flag.code}): {flag.message}")
