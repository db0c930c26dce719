"""Readable terminal output with Rich. Shows only what the person needs, most serious first."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from backstride.domain.content import ContentBundle
from backstride.domain.result import AssessmentResult
from backstride.domain.urgency import Urgency

STYLE = {
    Urgency.EMERGENCY: "bold white on red",
    Urgency.URGENT: "bold black on dark_orange",
    Urgency.SOON: "bold black on yellow",
    Urgency.SELF_CARE: "bold white on dark_green",
}
TITLE = {
    Urgency.EMERGENCY: "EMERGENCY",
    Urgency.URGENT: "URGENT: TODAY",
    Urgency.SOON: "SOON: WITHIN 1 TO 2 WEEKS",
    Urgency.SELF_CARE: "SELF-CARE",
}


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def render_result(out: Console, result: AssessmentResult, content: ContentBundle) -> None:
    """Print one assessment for a person: urgency first, then why, then what to do."""
    level = result.urgency
    advice = content.advice[level]
    out.print(
        Panel(
            Text(advice.headline, style="bold"),
            title=Text(f" {TITLE[level]} ", style=STYLE[level]),
            title_align="left",
            border_style=STYLE[level].split(" on ")[-1],
        )
    )
    out.print(Text("What to do now", style="bold underline"))
    steps = Table.grid(padding=(0, 1))
    steps.add_column(justify="right", no_wrap=True)
    steps.add_column()
    for number, step in enumerate(result.next_steps, start=1):
        steps.add_row(f"{number}.", step)
    out.print(steps)
    if result.reasons:
        out.print()
        out.print(Text("Why", style="bold underline"))
        table = Table(show_header=True, header_style="bold", expand=True, show_lines=True)
        table.add_column("Level", no_wrap=True)
        table.add_column("Reason")
        table.add_column("Source", style="dim")
        for reason in result.reasons:
            table.add_row(
                Text(reason.level.value, style=STYLE[reason.level]), reason.message, reason.source
            )
        out.print(table)
    if result.missing:
        out.print()
        out.print(Text("Questions you did not answer that could change this", style="bold"))
        asked = {q.key: q.text for q in content.questions}
        for key in result.missing:
            out.print(f" • {asked.get(key, key)}  [dim]({key})[/dim]")
    if result.patterns and level is not Urgency.EMERGENCY:
        out.print()
        out.print(Text("What may be contributing (not a diagnosis)", style="bold underline"))
        for finding in result.patterns:
            out.print(f" • {finding.label}: [bold]{finding.likelihood.value}[/bold]")
            for support in finding.supported_by:
                out.print(f"     – {support}", style="dim")
    if result.outlook is not None:
        outlook = result.outlook
        out.print()
        out.print(
            Text(f"Recovery outlook screen: {outlook.level} ({outlook.total} points)", style="bold")
        )
        for line in outlook.rationale:
            out.print(f" • {line}", style="dim")
    out.print()
    out.print(Text(content.disclaimer, style="italic"))


def render_catalogue(out: Console, content: ContentBundle) -> None:
    """Print every rule and pattern with its level and sources."""
    table = Table(title=f"Triage rules (content {content.version})", show_lines=True, expand=True)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Level", no_wrap=True)
    table.add_column("If unanswered", no_wrap=True)
    table.add_column("When")
    table.add_column("Sources", style="dim")
    ordered = sorted(content.rules, key=lambda r: (-r.level.rank, r.id))
    for rule in ordered:
        table.add_row(
            Group(Text(rule.id, style="bold"), Text(rule.title)),
            Text(rule.level.value, style=STYLE[rule.level]),
            rule.if_unanswered.value if rule.if_unanswered else "list as missing",
            rule.when.describe(),
            rule.source_text,
        )
    out.print(table)
    patterns = Table(title="Contributing patterns", show_lines=True, expand=True)
    patterns.add_column("Pattern", no_wrap=True)
    patterns.add_column("How it is weighed")
    patterns.add_column("Sources", style="dim")
    for p in content.patterns:
        patterns.add_row(
            Group(Text(p.id, style="bold"), Text(p.label)),
            p.description,
            "; ".join(s.citation for s in p.sources),
        )
    out.print(patterns)
    awaiting = sum(r.review.awaiting_clinical_check for r in content.rules)
    out.print(f"{len(content.rules)} rules; {awaiting} awaiting clinical sign-off.")
