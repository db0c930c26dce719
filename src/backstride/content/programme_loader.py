"""Loads the programme's content: exercises, education pages, advice, walking and progression."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources.abc import Traversable
from typing import Any

import yaml

from backstride.content import programme_schema as ps
from backstride.content.errors import ContentError
from backstride.content.loader_support import YAML_LOADER, Builder, parse, read_yaml, yaml_files
from backstride.domain.contract import index_fields
from backstride.domain.programme import (
    WEEK_FIELDS,
    Category,
    Direction,
    Dose,
    EducationPage,
    Exercise,
    Footwear,
    FootwearBand,
    FootwearItem,
    LifestyleTip,
    Operation,
    PainDoseBand,
    PatternNote,
    PostureCue,
    ProgrammeContent,
    ProgrammeRules,
    ProgressionRule,
    RestPosition,
    StepTarget,
    UrgencyGate,
    WalkingRules,
)
from backstride.domain.urgency import Urgency
from backstride.illustration import IllustrationError, parse_illustration
from backstride.illustration.model import Illustration

_FRONT = "---"


def load_programme(
    base: Traversable, builder: Builder, pattern_ids: frozenset[str]
) -> ProgrammeContent:
    """Every programme file under ``base``, cross-checked (ids, patterns, sources, cues)."""
    exercises = _exercises(base, builder, pattern_ids)
    posture_file = parse(
        ps.PostureFile, read_yaml(base / "posture.yaml", "posture.yaml"), "posture.yaml"
    )
    posture = tuple(
        PostureCue(
            c.id, c.area, _text(c.cue), _text(c.why), builder.cite(c.sources, "posture.yaml", c.id)
        )
        for c in posture_file.cues
    )
    walking = _walking(base, builder, pattern_ids, {c.id for c in posture})
    return ProgrammeContent(
        exercises=exercises,
        education=_education(base, builder),
        posture=posture,
        footwear=_footwear(base, builder),
        lifestyle=_lifestyle(base, builder),
        walking=walking,
        progression=_progression(base, builder),
        rules=_rules(base, builder),
        illustrations=_illustrations(base, frozenset(exercises)),
    )


def _illustrations(base: Traversable, exercise_ids: frozenset[str]) -> dict[str, Illustration]:
    """One drawing per exercise, named after it; pose errors name the file and field."""
    found: dict[str, Illustration] = {}
    for file in yaml_files(base / "illustrations"):
        name = f"illustrations/{file.name}"
        try:
            drawing = parse_illustration(read_yaml(file, name), name)
        except IllustrationError as exc:
            raise ContentError(name, None, exc.path, str(exc)) from None
        if file.name != f"{drawing.exercise}.yaml" or drawing.exercise not in exercise_ids:
            raise ContentError(name, drawing.exercise, "exercise", "no exercise of that id")
        found[drawing.exercise] = drawing
    undrawn = sorted(exercise_ids - set(found))
    if undrawn:
        raise ContentError("illustrations/", undrawn[0], None, "exercise has no illustration")
    return found


def _text(value: str) -> str:
    return " ".join(value.split())


def _exercises(
    base: Traversable, builder: Builder, pattern_ids: frozenset[str]
) -> dict[str, Exercise]:
    found: dict[str, Exercise] = {}
    for file in yaml_files(base / "exercises"):
        name = f"exercises/{file.name}"
        f = parse(ps.ExerciseFile, read_yaml(file, name), name)
        if f.id in found:
            raise ContentError(name, f.id, "id", "exercise id used twice")
        if file.name != f"{f.id}.yaml":
            raise ContentError(name, f.id, "id", "the file must be named after the id")
        notes = {"modified_for": f.modified_for, "avoid_for": f.avoid_for}
        for field, items in notes.items():
            for note in items:
                if note.pattern not in pattern_ids:
                    raise ContentError(name, f.id, field, f"unknown pattern {note.pattern!r}")
        for pattern in f.suits:
            if pattern not in pattern_ids:
                raise ContentError(name, f.id, "suits", f"unknown pattern {pattern!r}")
        d = f.dose
        found[f.id] = Exercise(
            id=f.id,
            name=f.name,
            category=Category(f.category),
            direction=Direction(f.direction),
            purpose=_text(f.purpose),
            steps=tuple(_text(s) for s in f.steps),
            form_cues=tuple(_text(s) for s in f.form_cues),
            common_mistakes=tuple(_text(s) for s in f.common_mistakes),
            dose=Dose(d.sets, d.reps, d.hold_s, d.rest_s, d.times_per_day, d.per_side, d.rep_s),
            intensity=f.intensity,
            needs_floor=f.needs_floor,
            equipment=tuple(f.equipment),
            progressions=tuple(f.progressions),
            regressions=tuple(f.regressions),
            suits=tuple(f.suits),
            modified_for=tuple(
                PatternNote(n.pattern, _text(n.why), _text(n.how)) for n in f.modified_for
            ),
            avoid_for=tuple(
                PatternNote(n.pattern, _text(n.why), _text(n.how)) for n in f.avoid_for
            ),
            stop_rules=tuple(_text(s) for s in f.stop_rules),
            sources=builder.cite(f.sources, name, f.id),
            review=builder.review(f.review),
            file=name,
        )
    for exercise in found.values():
        for field in ("progressions", "regressions"):
            for other in getattr(exercise, field):
                if other not in found or other == exercise.id:
                    raise ContentError(exercise.file, exercise.id, field, f"no exercise {other!r}")
    return found


def split_front_matter(text: str, name: str) -> tuple[Any, str]:
    """The YAML between the opening ``---`` lines, and the Markdown body after them."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FRONT:
        raise ContentError(name, None, "front matter", "must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FRONT)
    except StopIteration:
        raise ContentError(name, None, "front matter", "no closing '---' line") from None
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=YAML_LOADER)  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        raise ContentError(name, None, "front matter", f"not valid YAML ({exc})") from None
    return data, "\n".join(lines[end + 1 :]).strip() + "\n"


def _education(base: Traversable, builder: Builder) -> tuple[EducationPage, ...]:
    folder = base / "education"
    if not folder.is_dir():
        raise ContentError("education/", None, None, "folder is missing")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".md")), key=lambda f: f.name)
    pages: list[EducationPage] = []
    for file in files:
        name = f"education/{file.name}"
        data, body = split_front_matter(file.read_text(encoding="utf-8"), name)
        f = parse(ps.EducationFrontMatter, data, name)
        if len(body.split()) < 50:
            raise ContentError(name, f.id, "body", "a page needs at least 50 words")
        pages.append(
            EducationPage(
                id=f.id,
                title=f.title,
                summary=_text(f.summary),
                topics=tuple(f.topics),
                body=body,
                sources=builder.cite(f.sources, name, f.id),
                review=builder.review(f.review),
                file=name,
            )
        )
    ids = [p.id for p in pages]
    if len(set(ids)) != len(ids):
        raise ContentError("education/", None, "id", "page ids must be unique")
    return tuple(pages)


def _footwear(base: Traversable, builder: Builder) -> Footwear:
    name = "footwear.yaml"
    f = parse(ps.FootwearFile, read_yaml(base / name, name), name)
    return Footwear(
        items=tuple(
            FootwearItem(i.id, _text(i.question), _text(i.advice), i.weight) for i in f.items
        ),
        bands=tuple(FootwearBand(b.min_score, _text(b.verdict)) for b in f.bands),
        evidence_note=_text(f.evidence_note),
        sources=builder.cite(f.sources, name, "footwear"),
    )


def _lifestyle(base: Traversable, builder: Builder) -> tuple[LifestyleTip, ...]:
    name = "lifestyle.yaml"
    f = parse(ps.LifestyleFile, read_yaml(base / name, name), name)
    return tuple(
        LifestyleTip(
            id=t.id,
            title=t.title,
            advice=_text(t.advice),
            when=builder.condition(t.when, name, t.id, "when") if t.when else None,
            priority=t.priority,
            sources=builder.cite(t.sources, name, t.id),
        )
        for t in sorted(f.tips, key=lambda t: (t.priority, t.id))
    )


def _walking(
    base: Traversable, builder: Builder, pattern_ids: frozenset[str], cue_ids: set[str]
) -> WalkingRules:
    name = "walking.yaml"
    f = parse(ps.WalkingFile, read_yaml(base / name, name), name)
    for position in f.rest_positions:
        if position.pattern is not None and position.pattern not in pattern_ids:
            raise ContentError(
                name, "rest_positions", "pattern", f"unknown pattern {position.pattern!r}"
            )
    if not any(p.pattern is None for p in f.rest_positions):
        raise ContentError(name, "rest_positions", "pattern", "needs a default (pattern: null)")
    for cue in f.weekly_cues:
        if cue not in cue_ids:
            raise ContentError(name, "weekly_cues", None, f"no posture cue {cue!r}")
    if f.start_days_per_week > f.target_days_per_week:
        raise ContentError(name, None, "start_days_per_week", "cannot exceed the target days")
    return WalkingRules(
        target_minutes_per_session=f.target_minutes_per_session,
        target_days_per_week=f.target_days_per_week,
        start_days_per_week=f.start_days_per_week,
        bout_fraction_of_tolerance=f.bout_fraction_of_tolerance,
        min_bout_minutes=f.min_bout_minutes,
        no_limit_start_minutes=f.no_limit_start_minutes,
        unknown_tolerance_minutes=f.unknown_tolerance_minutes,
        start_bouts=f.start_bouts,
        weekly_increase=f.weekly_increase,
        max_weeks=f.max_weeks,
        rest_minutes=f.rest_minutes,
        rest_positions=tuple(RestPosition(p.pattern, _text(p.position)) for p in f.rest_positions),
        weekly_cues=tuple(f.weekly_cues),
        step_targets=tuple(
            StepTarget(t.min_age, t.max_age, t.plateau_low, t.plateau_high) for t in f.step_targets
        ),
        step_first_goal_increase=f.step_first_goal_increase,
        sources=builder.cite(f.sources, name, "walking"),
    )


def _progression(base: Traversable, builder: Builder) -> tuple[ProgressionRule, ...]:
    name = "progression.yaml"
    f = parse(ps.ProgressionFile, read_yaml(base / name, name), name)
    week = Builder(builder.sources, index_fields(WEEK_FIELDS))
    rules = tuple(
        ProgressionRule(
            id=r.id,
            applies_to=r.applies_to,
            when=week.condition(r.when, name, r.id, "when"),
            operation=Operation(r.operation),
            step=r.step,
            cap=r.cap,
            needs_logged_session=r.needs_logged_session,
            message=_text(r.message),
            sources=builder.cite(r.sources, name, r.id),
        )
        for r in f.rules
    )
    if len({r.id for r in rules}) != len(rules):
        raise ContentError(name, None, "rules", "rule ids must be unique")
    return rules


def _rules(base: Traversable, builder: Builder) -> ProgrammeRules:
    name = "programme.yaml"
    f = parse(ps.ProgrammeFile, read_yaml(base / name, name), name)
    absent = {"emergency", "urgent", "soon", "self_care"} - set(f.gates)
    if absent:
        raise ContentError(name, "gates", None, f"missing levels {sorted(absent)}")
    bands = sorted(f.pain_bands, key=lambda b: -b.min_pain)
    if bands[-1].min_pain != 0:
        raise ContentError(name, "pain_bands", "min_pain", "the lowest band must start at 0")
    gates: Mapping[Urgency, UrgencyGate] = {
        Urgency(level): UrgencyGate(
            Urgency(level),
            g.exercises,
            g.walking,
            g.max_intensity,
            tuple(_text(s) for s in g.safety),
        )
        for level, g in f.gates.items()
    }
    return ProgrammeRules(
        default_minutes_per_day=f.default_minutes_per_day,
        min_minutes_per_day=f.min_minutes_per_day,
        max_exercises=f.max_exercises,
        exercise_share=f.exercise_share,
        category_order=tuple(Category(c) for c in f.category_order),
        gates=gates,
        pain_bands=tuple(
            PainDoseBand(b.min_pain, b.sets_factor, b.hold_factor, b.prefer_regression)
            for b in bands
        ),
        fitness_intensity={str(k): v for k, v in f.fitness_intensity.items()},
        sources=builder.cite(f.sources, name, "programme"),
    )
