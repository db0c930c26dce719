"""Broken programme content is refused as a whole, naming the file, item and field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from backstride.content import ContentError, load_content
from tests.content.conftest import edit_yaml

Edit = Callable[[Path], None]


def exercise(change: Callable[[dict[str, Any]], None], exercise_id: str = "bird_dog") -> Edit:
    return lambda root: edit_yaml(root / "exercises" / f"{exercise_id}.yaml", change)


def in_file(name: str, change: Callable[[Any], None]) -> Edit:
    return lambda root: edit_yaml(root / name, change)


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda d: d.__setitem__(key, value)


def _copy(folder: str, source: str, target: str) -> Edit:
    def edit(root: Path) -> None:
        shutil.copy(root / folder / source, root / folder / target)

    return edit


def _rename(folder: str, source: str, target: str) -> Edit:
    def edit(root: Path) -> None:
        (root / folder / source).rename(root / folder / target)

    return edit


def _page(text: str, name: str = "zz.md") -> Edit:
    def edit(root: Path) -> None:
        (root / "education" / name).write_text(text, encoding="utf-8")

    return edit


def _drop(folder: str) -> Edit:
    return lambda root: shutil.rmtree(root / folder)


FRONT = (
    "---\nid: {id}\ntitle: A page\nsummary: A page about backs.\ntopics: [causes]\n"
    "sources: [nice-ng59]\nreview: {{authored_by: x, checked_by: null, "
    "date_reviewed: 2026-01-01, next_review: 2027-01-01}}\n---\n"
)
LONG_BODY = "Walking is good for most backs. " * 12


def _drop_walking_default(d: dict[str, Any]) -> None:
    d["rest_positions"] = [p for p in d["rest_positions"] if p["pattern"] is not None]


def _drop_gate(d: dict[str, Any]) -> None:
    d["gates"].pop("soon")


def _no_zero_band(d: dict[str, Any]) -> None:
    d["pain_bands"] = [b for b in d["pain_bands"] if b["min_pain"] != 0]


def _duplicate_rule(d: dict[str, Any]) -> None:
    d["rules"].append(dict(d["rules"][0]))


def _unsorted_footwear(d: dict[str, Any]) -> None:
    d["bands"] = list(reversed(d["bands"]))


def _dose_without_reps_or_hold(d: dict[str, Any]) -> None:
    d["dose"] = {"sets": 1, "rest_s": 0, "times_per_day": 1}


CASES: list[tuple[str, Edit, str]] = [
    (
        "exercise id twice",
        _copy("exercises", "bird_dog.yaml", "zz_bird_dog.yaml"),
        "exercise id used twice",
    ),
    (
        "exercise file name",
        _rename("exercises", "clamshell.yaml", "clam.yaml"),
        "named after the id",
    ),
    (
        "unknown pattern avoided",
        exercise(_set("avoid_for", [{"pattern": "gout", "why": "not a pattern we know"}])),
        "avoid_for: unknown pattern",
    ),
    ("unknown pattern suited", exercise(_set("suits", ["gout"])), "suits: unknown pattern"),
    (
        "ladder to nowhere",
        exercise(_set("progressions", ["moon_walk"])),
        "progressions: no exercise 'moon_walk'",
    ),
    (
        "ladder to itself",
        exercise(_set("regressions", ["bird_dog"])),
        "regressions: no exercise 'bird_dog'",
    ),
    (
        "dose with neither reps nor hold",
        exercise(_dose_without_reps_or_hold),
        "reps, hold_s or both",
    ),
    ("no front matter", _page("Just text.\n"), "must start with a '---' line"),
    ("front matter not closed", _page("---\nid: x\n"), "no closing '---' line"),
    ("front matter not YAML", _page("---\nid: [x\n---\nbody\n"), "front matter: not valid YAML"),
    ("page too short", _page(FRONT.format(id="short") + "Too short.\n"), "at least 50 words"),
    (
        "page id twice",
        _page(FRONT.format(id="muscle_strain") + LONG_BODY),
        "page ids must be unique",
    ),
    ("no education folder", _drop("education"), "education/: folder is missing"),
    (
        "walking rest pattern",
        in_file(
            "walking.yaml",
            lambda d: d["rest_positions"].append(
                {"pattern": "gout", "position": "Sit down and rest."}
            ),
        ),
        "unknown pattern 'gout'",
    ),
    ("walking default rest", in_file("walking.yaml", _drop_walking_default), "needs a default"),
    (
        "walking cue",
        in_file("walking.yaml", _set("weekly_cues", ["stand_on_head"])),
        "no posture cue 'stand_on_head'",
    ),
    (
        "walking start days",
        in_file("walking.yaml", _set("start_days_per_week", 6)),
        "cannot exceed the target days",
    ),
    (
        "progression rule twice",
        in_file("progression.yaml", _duplicate_rule),
        "rule ids must be unique",
    ),
    (
        "progression condition",
        in_file("progression.yaml", lambda d: d["rules"][0].__setitem__("when", {"pain_now": 3})),
        "unknown answer key 'pain_now'",
    ),
    ("gate missing", in_file("programme.yaml", _drop_gate), "missing levels ['soon']"),
    (
        "pain bands from 0",
        in_file("programme.yaml", _no_zero_band),
        "the lowest band must start at 0",
    ),
    (
        "footwear bands",
        in_file("footwear.yaml", _unsorted_footwear),
        "bands must run from the highest",
    ),
    (
        "lifestyle condition",
        in_file("lifestyle.yaml", lambda d: d["tips"][0].__setitem__("when", {"shoe_size": 9})),
        "lifestyle.yaml",
    ),
    (
        "illustration pose",
        lambda r: edit_yaml(
            r / "illustrations" / "bridge.yaml",
            lambda d: d["poses"][0]["joints"].__setitem__("knee_nar", 3),
        ),
        "illustrations/bridge.yaml",
    ),
    (
        "illustration for no exercise",
        _copy("illustrations", "bridge.yaml", "bridges.yaml"),
        "no exercise of that id",
    ),
    (
        "exercise without drawing",
        lambda r: (r / "illustrations" / "bridge.yaml").unlink(),
        "exercise has no illustration",
    ),
]


@pytest.mark.parametrize(("name", "edit", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_broken_programme_content_is_refused(
    content: Path,
    name: str,
    edit: Edit,
    fragment: str,
) -> None:
    edit(content)
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert fragment in str(caught.value), name
