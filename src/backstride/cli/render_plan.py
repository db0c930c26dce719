"""The programme in the terminal: what to do each day, then the walking weeks, then advice."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.cli.render import STYLE, TITLE
from backstride.domain.content import ContentBundle
from backstride.domain.programme import Dose
from backstride.programme.model import Programme, WalkingPlan


def describe_dose(dose: Dose) -> str:
    """A dose in plain words, e.g. "2 sets of 6 (each side), hold 8 s, rest 30 s; once a day"."""
    parts = []
    if dose.reps is not None:
        parts.append(f"{dose.sets} × {dose.reps}" + (" each side" if dose.per_side else ""))
        if dose.hold_s:
            parts.append(f"hold {dose.hold_s} s")
    else:
        parts.append(
            f"{dose.sets} × hold {dose.hold_s} s" + (" each side" if dose.per_side else "")
        )
    if dose.sets > 1 and dose.rest_s:
        parts.append(f"rest {dose.rest_s} s")
    times = {1: "once a day", 2: "twice a day"}.get(
        dose.times_per_day, f"{dose.times_per_day} times a day"
    )
    return ", ".join(parts) + f"; {times}"


def render_plan(out: Console, programme: Programme, content: ContentBundle) -> None:
    level = programme.urgency
    out.print(
        Panel(
            Text(content.advice[level].headline, style="bold"),
            title=Text(f" {TITLE[level]} ", style=STYLE[level]),
            title_align="left",
            border_style=STYLE[level].split(" on ")[-1],
        )
    )
    out.print(Text("Safety first", style="bold underline"))
    for line in programme.safety:
        out.print(f" • {line}")
    if not programme.exercises and programme.walking is None:
        out.print("\nNo exercise programme for now: get checked first.")
        out.print(Text(content.disclaimer, style="italic"))
        return
    if programme.exercises:
        out.print()
        table = Table(
            title=f"Your daily exercises (about {programme.exercise_minutes_per_day:.0f} min)",
            show_lines=True,
            expand=True,
        )
        table.add_column("Exercise", no_wrap=True)
        table.add_column("How much")
        table.add_column("Why")
        for planned in programme.exercises:
            why = planned.why + (
                f"\n[dim]{planned.modification}[/dim]" if planned.modification else ""
            )
            table.add_row(Text(planned.name, style="bold"), describe_dose(planned.dose), why)
        out.print(table)
    if programme.walking is not None:
        _render_walking(out, programme.walking)
    out.print()
    out.print(Text("Posture", style="bold underline"))
    for advice in programme.posture:
        out.print(f" • [dim]{advice.title}:[/dim] {advice.text}")
    out.print()
    out.print(Text("Your shoes: a checklist", style="bold underline"))
    for check in programme.footwear:
        out.print(f" ☐ {check.question}  [dim]If not: {check.advice}[/dim]")
    out.print(f"[italic]{programme.footwear_evidence}[/italic]")
    if programme.lifestyle:
        out.print()
        out.print(Text("Everyday habits", style="bold underline"))
        for advice in programme.lifestyle:
            out.print(f" • [bold]{advice.title}.[/bold] {advice.text}")
    out.print()
    out.print(Text("Read more", style="bold underline"))
    for page in programme.education:
        out.print(f" • [bold]{page.title}[/bold]: {page.text}")
    out.print()
    out.print(Text(content.disclaimer, style="italic"))


def _render_walking(out: Console, walking: WalkingPlan) -> None:
    out.print()
    weeks = Table(title="Your walking plan", expand=True)
    weeks.add_column("Week", justify="right")
    weeks.add_column("Days")
    weeks.add_column("Minutes a walk", justify="right")
    weeks.add_column("How")
    weeks.add_column("Posture cue of the week")
    for week in walking.weeks:
        bouts = len(week.intervals)
        how = (
            "one walk"
            if bouts == 1
            else f"{bouts} walks of {week.intervals[0].walk_min:g} min, "
            f"{week.intervals[0].rest_min:g} min rest between"
        )
        weeks.add_row(
            str(week.week), str(week.days), str(week.minutes_per_session), how, week.posture_cue
        )
    out.print(weeks)
    out.print(f"[bold]When you rest:[/bold] {walking.rest_position}")
    if walking.budget_limited:
        out.print(
            f"With your time each day, walks build to {walking.target_minutes_per_session} "
            "minutes. The aim, when you have more time, is 30 minutes on 5 days a week."
        )
    if walking.steps is not None:
        s = walking.steps
        out.print(
            f"[bold]Steps:[/bold] count a normal week first, then aim for about "
            f"{s.first_goal_increase} more a day; over time, {s.long_term_low:,} to "
            f"{s.long_term_high:,} a day is plenty."
        )
