"""Loads ``escalation.yaml``, the diary's escalation rules, into ``EscalationRules``.

Each rule is parsed strictly on its own, so an error names the file, the rule id and the
field. The file must hold exactly one rule of each kind, with unique ids, known sources, and
(for the trend rules) a level no lower than the contract's floor for them.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from typing import Any

import pydantic

from backstride.content import escalation_schema as es
from backstride.content.errors import ContentError
from backstride.content.loader_support import Builder, read_yaml
from backstride.domain.escalation_rules import (
    EscalationRule,
    EscalationRules,
    MissingCheckInsRule,
    NoImprovementRule,
    PainMeasure,
    RedFlagRule,
    RuleKind,
    RuleText,
    SustainedWorseningRule,
    ToleranceFallRule,
)
from backstride.domain.urgency import Urgency

FILE = "escalation.yaml"

#: The assessment contract's product floor for pain not improving or getting worse.
TREND_FLOOR = Urgency.SOON

_RULE: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(es.RuleFile)


def load_escalation(base: Traversable, builder: Builder) -> EscalationRules:
    """The escalation rules under ``base``, validated; a problem raises ``ContentError``."""
    data = read_yaml(base / FILE, FILE)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ContentError(FILE, None, "rules", "must be a list of rules")
    found: dict[RuleKind, Any] = {}
    ids: set[str] = set()
    for index, raw in enumerate(data["rules"]):
        rule = _build(_parse_rule(raw, index), builder)
        kind = _kind(rule)
        if rule.text.id in ids:
            raise ContentError(FILE, rule.text.id, "id", "rule id used twice")
        if kind in found:
            raise ContentError(FILE, rule.text.id, "kind", f"a second {kind.value!r} rule")
        ids.add(rule.text.id)
        found[kind] = rule
    absent = [k.value for k in RuleKind if k not in found]
    if absent:
        raise ContentError(FILE, None, "rules", f"no rule of kind {absent}")
    return EscalationRules(
        no_improvement=found[RuleKind.NO_IMPROVEMENT],
        sustained_worsening=found[RuleKind.SUSTAINED_WORSENING],
        tolerance_fall=found[RuleKind.TOLERANCE_FALL],
        red_flag=found[RuleKind.RED_FLAG],
        missing_check_ins=found[RuleKind.MISSING_CHECK_INS],
    )


def _parse_rule(raw: object, index: int) -> Any:
    item = raw.get("id") if isinstance(raw, dict) else None
    name = item if isinstance(item, str) else f"rules[{index}]"
    try:
        return _RULE.validate_python(raw)
    except pydantic.ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        loc = [str(p) for p in first["loc"]]
        if loc and isinstance(raw, dict) and loc[0] == raw.get("kind"):
            loc = loc[1:]  # the union's tag, not a field
        if first["type"].startswith("union_tag"):
            loc = ["kind"]
        raise ContentError(FILE, name, ".".join(loc) or None, first["msg"]) from None


def _kind(rule: EscalationRule) -> RuleKind:
    kinds: dict[type, RuleKind] = {
        NoImprovementRule: RuleKind.NO_IMPROVEMENT,
        SustainedWorseningRule: RuleKind.SUSTAINED_WORSENING,
        ToleranceFallRule: RuleKind.TOLERANCE_FALL,
        RedFlagRule: RuleKind.RED_FLAG,
        MissingCheckInsRule: RuleKind.MISSING_CHECK_INS,
    }
    return kinds[type(rule)]


def _text(s: str) -> str:
    return " ".join(s.split())


def _trend_level(level: str, rule_id: str) -> Urgency:
    parsed = Urgency(level)
    if parsed < TREND_FLOOR:
        raise ContentError(FILE, rule_id, "level", f"must be at least {TREND_FLOOR.value}")
    return parsed


def _build(
    f: es.NoImprovementFile
    | es.SustainedWorseningFile
    | es.ToleranceFallFile
    | es.RedFlagFile
    | es.MissingCheckInsFile,
    builder: Builder,
) -> EscalationRule:
    text = RuleText(
        id=f.id,
        title=f.title,
        rationale=_text(f.rationale),
        sources=builder.cite(f.sources, FILE, f.id),
        review=builder.review(f.review),
        file=FILE,
    )
    if isinstance(f, es.NoImprovementFile):
        return NoImprovementRule(
            text=text,
            level=_trend_level(f.level, f.id),
            message=_text(f.message),
            measure=PainMeasure(f.measure),
            min_days=f.min_days,
            points=f.points,
            fraction=f.fraction,
            recovered_at_most=f.recovered_at_most,
        )
    if isinstance(f, es.SustainedWorseningFile):
        return SustainedWorseningRule(
            text=text,
            level=_trend_level(f.level, f.id),
            message=_text(f.message),
            measures=tuple(PainMeasure(m) for m in f.measures),
            points=f.points,
            consecutive_entries=f.consecutive_entries,
        )
    if isinstance(f, es.ToleranceFallFile):
        return ToleranceFallRule(
            text=text,
            level=_trend_level(f.level, f.id),
            message=_text(f.message),
            window_days=f.window_days,
            fraction=f.fraction,
        )
    if isinstance(f, es.RedFlagFile):
        return RedFlagRule(
            text=text,
            level_when_not_assessed=Urgency(f.level_when_not_assessed),
            messages={Urgency(k): _text(v) for k, v in f.messages.model_dump().items()},
        )
    return MissingCheckInsRule(
        text=text,
        after_days=f.after_days,
        message=_text(f.message),
        start_message=_text(f.start_message),
    )
