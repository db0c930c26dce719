"""Reads the content folder (and any content packs) into one validated ``ContentBundle``.

Everything is checked before anything is returned: file shapes, source ids, condition
vocabulary, unique and never-reused rule ids, and that every contract key has a question.
A problem raises ``ContentError`` naming the file, the item and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from backstride.content import schema
from backstride.content.errors import ContentError
from backstride.content.escalation_loader import load_escalation
from backstride.content.loader_support import Builder, parse, read_yaml, yaml_files
from backstride.content.programme_loader import load_programme
from backstride.domain.content import (
    Band,
    Choice,
    ContentBundle,
    Instrument,
    InstrumentItem,
    LevelAdvice,
    PatternRule,
    Question,
    Rule,
    Section,
    Source,
)
from backstride.domain.contract import (
    CONTRACT_PATTERN_IDS,
    CORE_FIELDS,
    FieldSpec,
    Kind,
    index_fields,
)
from backstride.domain.urgency import Urgency

DEFAULT_INSTRUMENT = "backstride_outlook"

#: Facts the engine derives before the rules run; rules may read them, people never send them.
OUTLOOK_RISK = FieldSpec(
    "outlook_risk",
    Kind.CHOICE,
    "band of the recovery-outlook screen (derived)",
    choices=("low", "medium", "high"),
)
DERIVED_FIELDS: tuple[FieldSpec, ...] = (OUTLOOK_RISK,)


def default_content_root() -> Traversable:
    """The built-in content shipped inside the package."""
    return resources.files("backstride") / "content_data"


def _instrument(f: schema.InstrumentFile, name: str, b: Builder) -> Instrument:
    items = tuple(
        InstrumentItem(
            key=i.key,
            text=" ".join(i.text.split()),
            minimum=i.minimum,
            maximum=i.maximum,
            positive_from=i.positive_from,
            subscales=tuple(i.subscales),
            plain=i.plain,
        )
        for i in f.items
    )
    subscales = {s for i in items for s in i.subscales}
    for band in f.bands:
        unknown = set(band.subscale_at_least) - subscales
        if unknown:
            raise ContentError(name, f.id, "bands", f"unknown subscales {sorted(unknown)}")
    if f.bands[-1].total_at_least or f.bands[-1].subscale_at_least:
        raise ContentError(name, f.id, "bands", "the last band must apply to every score")
    fields = tuple(
        FieldSpec(i.key, Kind.INT, i.plain, minimum=i.minimum, maximum=i.maximum)
        if i.is_scale
        else FieldSpec(i.key, Kind.BOOL, i.plain)
        for i in items
    )
    return Instrument(
        id=f.id,
        name=f.name,
        version=f.version,
        licence=f.licence,
        attribution=f.attribution,
        validated=f.validated,
        items=items,
        bands=tuple(
            Band(b_.level, b_.total_at_least, dict(b_.subscale_at_least), b_.meaning)
            for b_ in f.bands
        ),
        sources=b.cite(f.sources, name, f.id),
        review=b.review(f.review),
        file=name,
        fields=fields,
    )


def load_content(
    root: Traversable | Path | None = None,
    *,
    packs: Iterable[Path] = (),
    instrument: str = DEFAULT_INSTRUMENT,
) -> ContentBundle:
    """Load and validate the content at ``root`` (built-in by default) plus ``packs``.

    A pack is a folder with the same layout (``sources.yaml``, ``rules/``, ``instruments/``):
    the plug-in point where, for example, a clinic holding a licence adds a licensed
    recovery-outlook instrument and selects it with ``instrument``.
    """
    base: Traversable = root if root is not None else default_content_root()
    folders: list[Traversable] = [base, *packs]
    meta = parse(schema.MetaFile, read_yaml(base / "meta.yaml", "meta.yaml"), "meta.yaml")
    sources = _load_sources(folders)
    core = index_fields(CORE_FIELDS)
    chosen = _load_instrument(folders, instrument, Builder(sources, core))
    input_fields = (*CORE_FIELDS, *chosen.fields)
    builder = Builder(sources, index_fields((*input_fields, *DERIVED_FIELDS)))
    retired = frozenset(meta.retired_rule_ids)
    q_file = parse(
        schema.QuestionsFile,
        read_yaml(base / "questions.yaml", "questions.yaml"),
        "questions.yaml",
    )
    sections = tuple(Section(s.id, s.title) for s in q_file.sections)
    patterns = _load_patterns(base, builder)
    return ContentBundle(
        version=meta.content_version,
        disclaimer=" ".join(meta.disclaimer.split()),
        unanswered_template=" ".join(meta.unanswered_template.split()),
        missing_step=" ".join(meta.missing_step.split()),
        sources=sources,
        fields=input_fields,
        derived_fields=DERIVED_FIELDS,
        rules=_load_rules(folders, builder, retired),
        retired_rule_ids=retired,
        patterns=patterns,
        sections=sections,
        questions=_questions(q_file, builder, core, chosen, {s.id for s in sections}),
        advice=_load_advice(base, builder),
        instrument=chosen,
        programme=load_programme(base, builder, frozenset(p.id for p in patterns)),
        escalation=load_escalation(base, builder),
    )


def _load_sources(folders: list[Traversable]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for folder in folders:
        files = [(folder / "sources.yaml", "sources.yaml")]
        files += [(f, f"sources/{f.name}") for f in yaml_files(folder / "sources")]
        for sources_file, name in files:
            if not sources_file.is_file():
                continue
            parsed = parse(schema.SourcesFile, read_yaml(sources_file, name), name)
            for source_id, s in parsed.sources.items():
                if source_id in sources:
                    raise ContentError(name, source_id, None, "source id defined twice")
                sources[source_id] = Source(source_id, s.citation, s.title, s.year, s.kind, s.url)
    return sources


def _load_instrument(folders: list[Traversable], wanted: str, builder: Builder) -> Instrument:
    """The selected instrument; its items become answer keys, so they may not clash."""
    found: dict[str, tuple[schema.InstrumentFile, str]] = {}
    for folder in folders:
        for file in yaml_files(folder / "instruments"):
            name = f"instruments/{file.name}"
            parsed = parse(schema.InstrumentFile, read_yaml(file, name), name)
            if parsed.id in found:
                raise ContentError(name, parsed.id, "id", "instrument id defined twice")
            found[parsed.id] = (parsed, name)
    if wanted not in found:
        raise ContentError("instruments/", wanted, None, "no such instrument installed")
    chosen = _instrument(*found[wanted], builder)
    taken = set(builder.fields) | {d.key for d in DERIVED_FIELDS}
    clash = {f.key for f in chosen.fields} & taken
    if clash:
        raise ContentError(chosen.file, chosen.id, "items", f"keys already used: {sorted(clash)}")
    return chosen


def _load_rules(
    folders: list[Traversable], builder: Builder, retired: frozenset[str]
) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    for folder in folders:
        for file in yaml_files(folder / "rules"):
            name = f"rules/{file.name}"
            rules.append(builder.rule(parse(schema.RuleFile, read_yaml(file, name), name), name))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise ContentError(rule.file, rule.id, "id", "rule id used twice")
        if rule.id in retired:
            raise ContentError(rule.file, rule.id, "id", "rule id is retired and never reused")
        if rule.if_unanswered is not None and rule.if_unanswered > rule.level:
            raise ContentError(rule.file, rule.id, "if_unanswered", "cannot exceed the rule level")
        seen.add(rule.id)
    return tuple(rules)


def _load_patterns(base: Traversable, builder: Builder) -> tuple[PatternRule, ...]:
    patterns: list[PatternRule] = []
    for file in yaml_files(base / "patterns"):
        name = f"patterns/{file.name}"
        patterns.append(
            builder.pattern(parse(schema.PatternFile, read_yaml(file, name), name), name)
        )
    ids = [p.id for p in patterns]
    if len(set(ids)) != len(ids):
        raise ContentError("patterns/", None, "id", "pattern ids must be unique")
    absent = sorted(CONTRACT_PATTERN_IDS - set(ids))
    if absent:
        raise ContentError("patterns/", absent[0], "id", "a pattern the contract names is missing")
    return tuple(patterns)


def _load_advice(base: Traversable, builder: Builder) -> dict[Urgency, LevelAdvice]:
    advice_file = parse(
        schema.AdviceFile, read_yaml(base / "advice.yaml", "advice.yaml"), "advice.yaml"
    )
    return {
        Urgency(level): LevelAdvice(
            Urgency(level),
            a.headline,
            tuple(" ".join(s.split()) for s in a.steps),
            builder.cite(a.sources, "advice.yaml", level),
        )
        for level, a in advice_file.levels.items()
    }


def _questions(
    q_file: schema.QuestionsFile,
    builder: Builder,
    core: Mapping[str, FieldSpec],
    instrument: Instrument,
    section_ids: set[str],
) -> tuple[Question, ...]:
    name = "questions.yaml"
    questions: list[Question] = []
    for q in q_file.questions:
        spec = core.get(q.key)
        if spec is None:
            raise ContentError(name, q.key, "key", "not a key of the assessment contract")
        if q.section not in section_ids:
            raise ContentError(name, q.key, "section", f"unknown section {q.section!r}")
        labelled = tuple(c.value for c in q.choices)
        if spec.kind is Kind.CHOICE and sorted(labelled) != sorted(spec.choices):
            raise ContentError(name, q.key, "choices", f"must label exactly {list(spec.choices)}")
        if spec.kind is not Kind.CHOICE and q.choices:
            raise ContentError(name, q.key, "choices", "only choice questions have choices")
        questions.append(
            Question(
                key=q.key,
                section=q.section,
                text=" ".join(q.text.split()),
                help=" ".join(q.help.split()),
                red_flag=q.red_flag,
                ask_when=(
                    builder.condition(q.ask_when, name, q.key, "ask_when") if q.ask_when else None
                ),
                choices=tuple(Choice(c.value, c.label) for c in q.choices),
            )
        )
    keys = [q.key for q in questions]
    duplicated = sorted({k for k in keys if keys.count(k) > 1})
    if duplicated:
        raise ContentError(name, duplicated[0], "key", "asked twice")
    unasked = [k for k in core if k not in keys]
    if unasked:
        raise ContentError(name, unasked[0], "key", "contract key has no question")
    if "outlook" not in section_ids:
        raise ContentError(name, None, "sections", "needs an 'outlook' section")
    questions.extend(
        Question(item.key, "outlook", item.text, "", False, None, ()) for item in instrument.items
    )
    return tuple(questions)
