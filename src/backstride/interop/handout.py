"""The printable programme handout: the plan contract as one self-contained HTML page, and
that page as a PDF (WeasyPrint).

The input is the plan's JSON contract (``docs/reference/plan.md``), produced with still
illustrations. The page carries everything inline (style sheet and SVG drawings) so it can
be saved, e-mailed or printed without a network.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from functools import cache
from typing import Any, Final

from jinja2 import Environment
from markupsafe import Markup

from backstride.interop import templating

#: What the urgency box says above the safety lines. The level is always written in words,
#: so its meaning never rests on the box's colour alone. Kept in step with the headlines of
#: ``content_data/advice.yaml``, which the plan contract does not carry.
#: The level's name as printed beside its colour (the colour never carries meaning alone).
LEVEL_LABEL: Final[Mapping[str, str]] = {
    "emergency": "Emergency",
    "urgent": "Urgent: today",
    "soon": "Soon: within 1 to 2 weeks",
    "self_care": "Self-care",
}

POSTURE_AREAS: Final[Mapping[str, str]] = {
    "walking": "When you walk",
    "standing": "When you stand",
    "sitting": "When you sit",
    "lifting": "When you lift",
    "sleeping": "When you sleep",
}

_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_TIMES_A_DAY: Final[Mapping[int, str]] = {1: "once a day", 2: "twice a day"}
_WEASYPRINT_LOGGERS: Final = ("weasyprint", "weasyprint.progress", "fontTools")


def _number(value: float) -> str:
    """2.0 → "2", 2.5 → "2.5"."""
    return f"{value:g}"


def _plural(count: float, word: str) -> str:
    return f"{_number(count)} {word}" + ("" if count == 1 else "s")


def dose_amount(dose: Mapping[str, Any]) -> str:
    """How much of an exercise in one go, e.g. "2 sets of 5 on each side, holding each for
    6 seconds; rest 30 seconds between sets"."""
    sets: int = dose["sets"]
    reps: int | None = dose["reps"]
    hold_s: int | None = dose["hold_s"]
    side = " on each side" if dose["per_side"] else ""
    if reps is not None:
        text = (_plural(reps, "time") if sets == 1 else f"{sets} sets of {reps}") + side
        if hold_s:
            text += f", holding each for {_plural(hold_s, 'second')}"
    else:
        text = f"Hold for {_plural(hold_s or 0, 'second')}, " + (
            "once" if sets == 1 else f"{sets} times"
        )
        text += side
    if sets > 1 and dose["rest_s"]:
        text += f"; rest {_plural(dose['rest_s'], 'second')} between " + (
            "sets" if reps is not None else "holds"
        )
    return text[:1].upper() + text[1:]


def dose_frequency(dose: Mapping[str, Any]) -> str:
    """How often a day, e.g. "Twice a day"."""
    times: int = dose["times_per_day"]
    text = _TIMES_A_DAY.get(times, f"{times} times a day")
    return text[:1].upper() + text[1:]


def describe_dose(dose: Mapping[str, Any]) -> str:
    """A contract dose in plain words: amount, then how often."""
    return f"{dose_amount(dose)}. {dose_frequency(dose)}."


def _minutes(value: float) -> str:
    """Minutes as people say them: "7", "7½", or "about 6" for 5.7."""
    if value == int(value):
        return _plural(int(value), "minute")
    if value * 2 == int(value * 2):
        return f"{int(value)}½ minutes"
    return "about " + _plural(max(1, round(value)), "minute")


def walk_in_words(intervals: Sequence[Mapping[str, Any]]) -> str:
    """A week's walk, e.g. "One walk" or "3 walks of 4 minutes, with 2 minutes' rest between"."""
    if len(intervals) == 1:
        return "One walk"
    first = intervals[0]
    walks = ", then ".join(_minutes(i["walk_min"]) for i in intervals)
    if all(i["walk_min"] == first["walk_min"] for i in intervals):
        walks = f"{len(intervals)} walks of {_minutes(first['walk_min'])}"
    else:
        walks = "Walks of " + walks
    rests = [i["rest_min"] for i in intervals[:-1]]
    if not any(rests):
        return walks
    if all(r == rests[0] for r in rests):
        return f"{walks}, resting {_minutes(rests[0])} between"
    return f"{walks}, with a short rest between"


def about_minutes(minutes: float) -> str:
    """Rounded for people, never below 1: "about 2 minutes"."""
    return "about " + _plural(max(1, round(minutes)), "minute")


def long_date(day: date) -> str:
    """12 May 2025 (English month names whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


@cache
def _environment() -> Environment:
    return templating.environment(
        dose_amount=dose_amount,
        dose_frequency=dose_frequency,
        walk_in_words=walk_in_words,
        about_minutes=about_minutes,
        thousands=lambda n: f"{n:,}",
    )


def _trusted_svg(svg: str) -> Markup | None:
    """The inline SVG as markup; ``None`` for a path to one (the page embeds, never links)."""
    if not svg.lstrip().startswith("<svg"):
        return None
    # The illustrations are SVG documents built by ``backstride.illustration.render_svg``
    # from our own reviewed content (every text in them is attribute-escaped there), not
    # from the person's answers, so they are inserted as markup rather than escaped.
    # Anything else in the plan stays escaped by the template's autoescape.
    return Markup(svg)  # noqa: S704 - trusted, see above


def _posture_groups(posture: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for advice in posture:
        groups.setdefault(advice["area"], []).append(advice["text"])
    return [
        (POSTURE_AREAS.get(area, area.replace("_", " ").capitalize()), texts)
        for area, texts in groups.items()
    ]


def _common_stop_rules(exercises: Sequence[Mapping[str, Any]]) -> list[str]:
    """The stop rules every exercise shares, said once before the cards (two or more)."""
    if len(exercises) < 2:
        return []
    rules: list[str] = exercises[0]["stop_rules"]
    return [rule for rule in rules if all(rule in e["stop_rules"] for e in exercises[1:])]


def render_handout_html(plan: Mapping[str, Any], *, generated_on: date) -> str:
    """The plan (its JSON contract, still illustrations inline) as a printable HTML5 page.

    For an emergency or urgent plan (no exercises, no walking) the page holds only the
    urgency, the safety lines and the disclaimer.
    """
    common = _common_stop_rules(plan["exercises"])
    exercises = [
        {
            **exercise,
            "illustration": _trusted_svg(exercise["illustration"]),
            "own_stop_rules": [r for r in exercise["stop_rules"] if r not in common],
        }
        for exercise in plan["exercises"]
    ]
    walking = plan["walking"]
    if walking is not None:
        walking = {**walking, "illustration": _trusted_svg(walking["illustration"])}
    level, headline = LEVEL_LABEL[plan["urgency"]], plan["headline"]
    template = _environment().get_template("handout.html.j2")
    return template.render(
        plan=plan,
        urgency=plan["urgency"],
        level=level,
        headline=headline,
        programme=bool(exercises) or walking is not None,
        exercises=exercises,
        common_stop_rules=common,
        exercise_minutes=sum(e["minutes_per_day"] for e in exercises),
        walking=walking,
        posture=_posture_groups(plan["posture"]),
        generated_on=long_date(generated_on),
    )


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint and fontTools log warnings that can quote the page's text: silence them
    for the call, and put the loggers back as they were."""
    saved = []
    for name in _WEASYPRINT_LOGGERS:
        logger = logging.getLogger(name)
        saved.append((logger, logger.propagate, logger.disabled))
        logger.disabled = True
        logger.propagate = False
    try:
        yield
    finally:
        for logger, propagate, disabled in saved:
            logger.propagate = propagate
            logger.disabled = disabled


def _fetch_nothing(url: str) -> dict[str, Any]:
    """The handout is self-contained: any link to a resource is a mistake, not a fetch."""
    raise ValueError(f"the handout fetches nothing ({url.split(':', 1)[0]} link)")


def html_to_pdf(html: str) -> bytes:
    """The handout page as PDF bytes. Fetches nothing: the page is self-contained."""
    import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415 - slow; PDF only

    with _quiet_weasyprint():
        pdf = weasyprint.HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
    if pdf is None:  # pragma: no cover - only without a target, never here
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
