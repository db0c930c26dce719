"""Shared pieces of the content loaders: reading YAML, strict parsing, sources, conditions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

import pydantic
import yaml

from backstride.content import schema
from backstride.content.conditions import ConditionError, parse_condition
from backstride.content.errors import ContentError
from backstride.domain.content import (
    CriteriaScoring,
    Evidence,
    PatternRule,
    RatioScoring,
    Review,
    Rule,
    Source,
)
from backstride.domain.contract import FieldSpec
from backstride.domain.expressions import Expr
from backstride.domain.urgency import Urgency

Model = TypeVar("Model", bound=pydantic.BaseModel)
YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(file: Traversable, name: str) -> Any:
    if not file.is_file():
        raise ContentError(name, None, None, "file is missing")
    try:
        return yaml.load(file.read_text(encoding="utf-8"), Loader=YAML_LOADER)  # noqa: S506 (safe loader)
    except yaml.YAMLError as exc:
        raise ContentError(name, None, None, f"not valid YAML ({exc})") from None


def parse(model: type[Model], data: Any, name: str) -> Model:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        item = data.get("id") if isinstance(data, dict) else None
        field = ".".join(str(p) for p in first["loc"]) or None
        raise ContentError(
            name, item if isinstance(item, str) else None, field, first["msg"]
        ) from None


def yaml_files(folder: Traversable) -> list[Traversable]:
    if not folder.is_dir():
        return []
    return sorted(
        (f for f in folder.iterdir() if f.is_file() and f.name.endswith((".yaml", ".yml"))),
        key=lambda f: f.name,
    )


class Builder:
    """Turns parsed files into domain objects, resolving sources and conditions."""

    def __init__(self, sources: Mapping[str, Source], fields: Mapping[str, FieldSpec]) -> None:
        self.sources = sources
        self.fields = fields

    def condition(self, node: Mapping[str, Any], name: str, item: str, field: str) -> Expr:
        try:
            return parse_condition(dict(node), self.fields, field)
        except ConditionError as exc:
            raise ContentError(name, item, exc.path, str(exc)) from None

    def cite(self, ids: Iterable[str], name: str, item: str) -> tuple[Source, ...]:
        found = []
        for source_id in ids:
            if source_id not in self.sources:
                raise ContentError(name, item, "sources", f"unknown source id {source_id!r}")
            found.append(self.sources[source_id])
        return tuple(found)

    @staticmethod
    def review(r: schema.ReviewFile) -> Review:
        return Review(r.authored_by, r.checked_by, r.date_reviewed, r.next_review)

    def rule(self, f: schema.RuleFile, name: str) -> Rule:
        return Rule(
            id=f.id,
            title=f.title,
            level=Urgency(f.level),
            message=" ".join(f.message.split()),
            rationale=" ".join(f.rationale.split()),
            when=self.condition(f.when, name, f.id, "when"),
            if_unanswered=Urgency(f.if_unanswered) if f.if_unanswered else None,
            sources=self.cite(f.sources, name, f.id),
            next_steps=tuple(" ".join(s.split()) for s in f.next_steps),
            review=self.review(f.review),
            file=name,
        )

    def pattern(self, f: schema.PatternFile, name: str) -> PatternRule:
        scoring: RatioScoring | CriteriaScoring
        if isinstance(f.scoring, schema.RatioScoringFile):
            scoring = RatioScoring(
                f.scoring.pretest_probability, f.scoring.likely_from, f.scoring.possible_from
            )
        else:
            likely = f.scoring.likely_when
            scoring = CriteriaScoring(
                likely_when=(
                    self.condition(likely, name, f.id, "scoring.likely_when") if likely else None
                ),
                possible_when=self.condition(
                    f.scoring.possible_when, name, f.id, "scoring.possible_when"
                ),
            )
        evidence = tuple(
            Evidence(
                id=e.id,
                when=self.condition(e.when, name, f.id, f"evidence.{e.id}.when"),
                supports=" ".join(e.supports.split()),
                lr_present=e.lr_present,
                lr_absent=e.lr_absent,
            )
            for e in f.evidence
        )
        if len({e.id for e in evidence}) != len(evidence):
            raise ContentError(name, f.id, "evidence", "evidence ids must be unique")
        return PatternRule(
            id=f.id,
            label=f.label,
            description=" ".join(f.description.split()),
            gate=self.condition(f.gate, name, f.id, "gate") if f.gate else None,
            scoring=scoring,
            evidence=evidence,
            sources=self.cite(f.sources, name, f.id),
            review=self.review(f.review),
            file=name,
        )
