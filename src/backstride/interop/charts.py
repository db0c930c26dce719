"""Small SVG charts of a person's diary for the doctor summary (matplotlib, no pyplot).

Each chart is returned as an SVG element ready to inline in an HTML page: no XML prolog,
no metadata, no links. Charts are accessible and printable in black and white:

- the ``<title>`` says the trend in words (``trend`` functions below give the same text);
- the ``<desc>`` adds what the chart plots, its units and the days without data;
- series differ by line style and marker, never by colour alone;
- text stays text (``svg.fonttype: none``) in DejaVu Sans, which ships with matplotlib and
  the system, so the PDF renders it offline.

Output is deterministic: the same data gives the same bytes (fixed hash salt, no date).
Gaps (``None``, or days missing from ``days``) break the line; every recorded day also has
a marker, so a single day between gaps still shows.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from html import escape
from typing import Any, Final

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator
from matplotlib.typing import RcKeyType

_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_FIGSIZE: Final = (3.6, 1.75)  # inches: about 91 x 44 mm, half the A4 text width
_INK: Final = "#111111"
_FIRST: Final = "#1f4e79"  # dark blue, solid line, circles
_SECOND: Final = "#a34700"  # dark orange, dashed line, triangles
_RC: Final[dict[RcKeyType, Any]] = {
    "svg.hashsalt": "backstride-report",
    "svg.fonttype": "none",
    "svg.image_inline": True,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.labelsize": 8,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "legend.fontsize": 7,
    "axes.edgecolor": "#444444",
    "axes.labelcolor": _INK,
    "text.color": _INK,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "path.simplify": False,
}
_PROLOG: Final = re.compile(r"\A.*?(?=<svg\b)", re.DOTALL)
_METADATA: Final = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
#: matplotlib's ``*{stroke-linejoin: round; ...}`` would style the whole HTML page once
#: inlined: dropped, and the same set once on the chart's root element instead.
_GLOBAL_STYLE: Final = re.compile(r"\s*<style type=\"text/css\">.*?</style>", re.DOTALL)
_ID: Final = re.compile(r'\bid="([^"]+)"')
_REF: Final = re.compile(r'(url\(#|xlink:href="#|href="#)')


#: How far (in the series' own units: pain points, minutes) a peak or trough must stand
#: beyond both ends before the trend sentence says the course turned. Two points is about
#: the smallest change in pain that people notice.
TURN: Final = 2.0


def short_date(day: date) -> str:
    """3 May (English month names whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def _known(days: Sequence[date], values: Sequence[float | None]) -> list[tuple[date, float]]:
    if len(days) != len(values):
        raise ValueError("a chart needs one value (or None) per day")
    return sorted((d, float(v)) for d, v in zip(days, values, strict=True) if v is not None)


def _span(first: date, last: date) -> str:
    count = (last - first).days
    return f"{count} day" + ("" if count == 1 else "s")


def _turning_point(known: Sequence[tuple[date, float]]) -> tuple[date, float] | None:
    """The peak or trough between the first and last values, when the course turned on it:
    at least ``TURN`` beyond both ends and beyond half the net change. The earliest wins."""
    first, last = known[0][1], known[-1][1]
    inner = known[1:-1]
    if not inner:
        return None
    margin = max(TURN, abs(last - first) / 2)
    peak = max(inner, key=lambda pair: pair[1])
    trough = min(inner, key=lambda pair: pair[1])
    rise = peak[1] - max(first, last)
    fall = min(first, last) - trough[1]
    if max(rise, fall) < margin:
        return None
    return peak if rise >= fall else trough


def series_trend(
    name: str, days: Sequence[date], values: Sequence[float | None], unit: str = ""
) -> str:
    """First recorded value against the last, e.g. "Pain now fell from 7 to 4 over 14 days",
    or with the turn when there was one: "... rose from 8 to 16 minutes by 8 May, then fell to
    6 by 12 May"."""
    known = _known(days, values)
    if not known:
        return f"{name}: not recorded"
    (first_day, first), (last_day, last) = known[0], known[-1]
    if first_day == last_day:
        return (
            f"{name} was {_number(first)}{unit} on {short_date(first_day)}, the only day recorded"
        )
    over = _span(first_day, last_day)
    turn = _turning_point(known)
    if turn is not None:
        turn_day, value = turn
        there, back = ("rose", "fell") if value > first else ("fell", "rose")
        return (
            f"{name} {there} from {_number(first)} to {_number(value)}{unit} by "
            f"{short_date(turn_day)}, then {back} to {_number(last)}{unit} by "
            f"{short_date(last_day)}"
        )
    if round(first, 1) == round(last, 1):
        return f"{name} stayed at {_number(first)}{unit} over {over}"
    verb = "fell" if last < first else "rose"
    return f"{name} {verb} from {_number(first)} to {_number(last)}{unit} over {over}"


def pain_trend(
    days: Sequence[date], pain_now: Sequence[float | None], pain_walking: Sequence[float | None]
) -> str:
    now = series_trend("Pain now", days, pain_now)
    walking = series_trend("pain when walking", days, pain_walking)
    return f"{now}; {walking} (0 to 10)."


def tolerance_trend(
    days: Sequence[date], tolerance: Sequence[float | None], no_limit_days: Sequence[date]
) -> str:
    text = series_trend("Walking tolerance", days, tolerance, " minutes")
    count = len(set(no_limit_days))
    if count:
        text += f"; pain did not stop walking on {count} day" + ("" if count == 1 else "s")
    return text + "."


def adherence_trend(days: Sequence[date], fraction: Sequence[float | None]) -> str:
    """Mean share of planned exercises done, and the first week against the last."""
    known = _known(days, fraction)
    if not known:
        return "Exercises done: not recorded."
    mean = round(100 * sum(v for _, v in known) / len(known))
    count = len(known)
    text = f"Exercises done averaged {mean}% of those planned over {count} logged day" + (
        "" if count == 1 else "s"
    )
    first_day, last_day = known[0][0], known[-1][0]
    if (last_day - first_day).days >= 13:
        first = [v for d, v in known if (d - first_day).days < 7]
        last = [v for d, v in known if (last_day - d).days < 7]
        text += (
            f", {round(100 * sum(first) / len(first))}% in the first week and "
            f"{round(100 * sum(last) / len(last))}% in the last"
        )
    return text + "."


def _missing_days(days: Sequence[date], values: Sequence[float | None]) -> int:
    return sum(1 for v in values if v is None)


def _xy(
    origin: date, days: Sequence[date], values: Sequence[float | None]
) -> tuple[list[float], list[float]]:
    """Day offsets and values, with NaN for unrecorded values and where points skip ahead
    more than the series' own step (1 day, or 7 for weekly averages), so lines never bridge
    a gap."""
    pairs = sorted(zip(days, values, strict=True), key=lambda pair: pair[0])
    gaps = [(b[0] - a[0]).days for a, b in itertools.pairwise(pairs)]
    step = min(gaps, default=1)
    xs: list[float] = []
    ys: list[float] = []
    previous: int | None = None
    for day, value in pairs:
        x = (day - origin).days
        if previous is not None and x - previous > step:
            xs.append(previous + 0.5)
            ys.append(math.nan)
        xs.append(float(x))
        ys.append(math.nan if value is None else float(value))
        previous = x
    return xs, ys


def _date_axis(axes: Axes, days: Sequence[date]) -> date:
    """Day offsets from the first day on x, labelled with dates; returns the first day."""
    if not days:
        axes.set_xlim(-0.5, 0.5)
        axes.xaxis.set_major_locator(FixedLocator([]))
        return date(2000, 1, 1)
    first, last = min(days), max(days)
    span = (last - first).days
    if span == 0:  # one day: centred, with room either side so a bar stays a bar
        axes.set_xlim(-3, 3)
    else:
        axes.set_xlim(-0.6, span + 0.6)
    # whole weeks between labels once past 10 days, and never more than about 8 labels
    step = 1 if span <= 5 else 2 if span <= 10 else 7 * max(1, math.ceil(span / 7 / MAX_X_LABELS))
    ticks = list(range(0, span + 1, step))
    axes.xaxis.set_major_locator(FixedLocator(ticks))
    axes.xaxis.set_minor_locator(MultipleLocator(1) if 0 < span <= 31 else FixedLocator([]))

    def label(x: float, _pos: int | None) -> str:
        return short_date(date.fromordinal(first.toordinal() + round(x)))

    axes.xaxis.set_major_formatter(FuncFormatter(label))
    axes.set_xlabel("Date")
    return first


def _no_data(axes: Axes) -> None:
    axes.text(
        0.5,
        0.5,
        "No data recorded",
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=8,
        color="#333333",
    )


@contextmanager
def _figure() -> Iterator[tuple[Figure, Axes]]:
    with mpl.rc_context(_RC):
        figure = Figure(figsize=_FIGSIZE, dpi=72)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        axes.grid(axis="y", color="#cccccc", linewidth=0.5)
        axes.set_axisbelow(True)
        yield figure, axes


def _svg(figure: Figure, prefix: str, title: str, desc: str) -> str:
    """The figure as an inline SVG element: ids prefixed, with a title and description."""
    # Fixed margins, fitted once to the longest labels these charts have: tight_layout would
    # draw every chart an extra time just to measure it.
    figure.subplots_adjust(**_MARGINS)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _METADATA.sub("", _PROLOG.sub("", buffer.getvalue(), count=1))
    svg = _GLOBAL_STYLE.sub("", svg, count=1)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{prefix}-", svg)
    opening_end = svg.index(">") + 1
    labelled = (
        f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc"'
        ' stroke-linejoin="round" stroke-linecap="butt"'
        f"{svg[len('<svg') : opening_end]}\n"
        f' <title id="{prefix}-title">{escape(title)}</title>\n'
        f' <desc id="{prefix}-desc">{escape(desc)}</desc>'
    )
    return labelled + svg[opening_end:].rstrip() + "\n"


def _range_words(days: Sequence[date]) -> str:
    if not days:
        return "No days in range."
    first, last = min(days), max(days)
    if first == last:
        return f"One day, {short_date(first)} {first.year}."
    return f"Days {short_date(first)} to {short_date(last)} {last.year}."


#: Beyond this many points, markers only clutter the chart (and slow the PDF): the lines'
#: styles still tell the series apart, and a value standing alone between gaps keeps its
#: marker so it still shows.
MARKERS_UP_TO = 40
_MARGINS = {"left": 0.16, "right": 0.97, "top": 0.84, "bottom": 0.27}
MAX_X_LABELS = 8


def _marks(values: Sequence[float | None]) -> list[int] | None:
    """Which points get a marker: all of a short series, the isolated ones of a long one."""
    if len(values) <= MARKERS_UP_TO:
        return None
    known = [v is not None for v in values]
    return [
        i
        for i, present in enumerate(known)
        if present and (i == 0 or not known[i - 1]) and (i == len(known) - 1 or not known[i + 1])
    ]


def pain_chart(
    days: Sequence[date],
    pain_now: Sequence[float | None],
    pain_walking: Sequence[float | None],
) -> str:
    """Pain now (solid line, circles) and pain when walking (dashed line, triangles), 0-10."""
    title = pain_trend(days, pain_now, pain_walking)
    with _figure() as (figure, axes):
        origin = _date_axis(axes, days)
        for values, label, colour, line, marker in (
            (pain_now, "Pain now", _FIRST, "-", "o"),
            (pain_walking, "Pain when walking", _SECOND, "--", "^"),
        ):
            xs, ys = _xy(origin, days, values)
            axes.plot(
                xs,
                ys,
                label=label,
                color=colour,
                linestyle=line,
                marker=marker,
                markevery=_marks(values),
                linewidth=1.4,
                markersize=3.5,
            )
        axes.set_ylim(-0.3, 10.3)
        axes.yaxis.set_major_locator(FixedLocator([0, 2, 4, 6, 8, 10]))
        axes.set_ylabel("Pain (0 to 10)")
        axes.set_title("Pain by day", loc="left")
        if not _known(days, pain_now) and not _known(days, pain_walking):
            _no_data(axes)
        else:  # above the plot, beside the title, so it never hides a point
            axes.legend(
                loc="lower right",
                bbox_to_anchor=(1.0, 1.0),
                ncols=2,
                frameon=False,
                borderaxespad=0.1,
                handlelength=2.6,
                columnspacing=1.0,
            )
        desc = (
            "Line chart of daily pain on a 0 to 10 scale: pain now as a solid line with "
            "circles, pain when walking as a dashed line with triangles. "
            f"{_range_words(days)} Not recorded on {_missing_days(days, pain_now)} of "
            f"{len(days)} days."
        )
        return _svg(figure, "pain", title, desc)


def tolerance_chart(
    days: Sequence[date],
    tolerance: Sequence[float | None],
    no_limit_days: Sequence[date],
) -> str:
    """Minutes walked before pain stopped the walk (solid line, circles, no legend: the axis
    says it); days on which pain did not stop the walk as open triangles along the top,
    labelled "no limit"."""
    title = tolerance_trend(days, tolerance, no_limit_days)
    known = [v for _, v in _known(days, tolerance)]
    top = max([*known, 10.0]) * 1.25
    with _figure() as (figure, axes):
        origin = _date_axis(axes, [*days, *no_limit_days])
        xs, ys = _xy(origin, days, tolerance)
        axes.plot(
            xs,
            ys,
            color=_FIRST,
            linestyle="-",
            marker="o",
            markevery=_marks(tolerance),
            linewidth=1.4,
            markersize=3.5,
        )
        free = sorted({(d - origin).days for d in no_limit_days})
        if free:
            axes.plot(
                free,
                [top * 0.92] * len(free),
                linestyle="none",
                marker="v",
                markersize=5,
                markerfacecolor="white",
                markeredgecolor=_SECOND,
                markeredgewidth=1.2,
            )
            on_left = free[-1] < 0.75 * axes.get_xlim()[1]
            axes.annotate(
                "no limit",
                (free[-1] if on_left else free[0], top * 0.92),
                xytext=(5 if on_left else -5, -1),
                textcoords="offset points",
                va="center",
                ha="left" if on_left else "right",
                fontsize=7,
                color=_INK,
            )
        axes.set_ylim(0, top)
        axes.set_ylabel("Minutes walked")
        axes.set_title("Walking tolerance by day", loc="left")
        if not known and not no_limit_days:
            _no_data(axes)
        desc = (
            "Line chart of the minutes walked each day before pain made the person stop, "
            "solid line with circles; open triangles along the top mark days on which pain "
            f"did not stop the walk. {_range_words(days)} Not recorded on "
            f"{_missing_days(days, tolerance)} of {len(days)} days."
        )
        return _svg(figure, "tolerance", title, desc)


def adherence_chart(days: Sequence[date], fraction: Sequence[float | None]) -> str:
    """Share of the day's planned exercises done, as a percentage (bars; a dash marks 0 %,
    nothing marks a day not logged)."""
    title = adherence_trend(days, fraction)
    with _figure() as (figure, axes):
        origin = _date_axis(axes, days)
        pairs = [
            ((d - origin).days, 100 * v)
            for d, v in zip(days, fraction, strict=True)
            if v is not None
        ]
        if pairs:
            axes.bar(
                [x for x, _ in pairs],
                [y for _, y in pairs],
                width=0.7,
                color="#9fb7cf",
                edgecolor=_FIRST,
                linewidth=0.7,
                label="Share of planned exercises done",
            )
            zeros = [x for x, y in pairs if y == 0]
            if zeros:
                axes.plot(
                    zeros,
                    [1.5] * len(zeros),
                    linestyle="none",
                    marker="_",
                    markersize=7,
                    markeredgewidth=1.5,
                    color=_INK,
                )
        else:
            _no_data(axes)
        axes.set_ylim(0, 105)
        axes.yaxis.set_major_locator(FixedLocator([0, 25, 50, 75, 100]))
        axes.set_ylabel("% of planned done")
        axes.set_title("Exercises done by day", loc="left")
        desc = (
            "Bar chart of the share of the day's planned exercises that were done, in per cent; "
            "a short dash marks a day with none done, and a day with no bar or dash was not "
            f"logged. {_range_words(days)} Not logged on {_missing_days(days, fraction)} of "
            f"{len(days)} days."
        )
        return _svg(figure, "adherence", title, desc)
