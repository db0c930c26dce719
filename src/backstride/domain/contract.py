"""The input side of assessment contract v1: every key, its type and its allowed values.

This is the machine form of ``shared/spec/assessment-contract.md``. It holds no clinical
judgement: only the shape of an answer. Question wording lives in the content files.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

CONTRACT_VERSION = 1

#: Pattern ids the contract names; content may add more, never fewer.
CONTRACT_PATTERN_IDS: frozenset[str] = frozenset(
    {
        "nonspecific_mechanical",
        "muscle_strain",
        "radicular",
        "neurogenic_claudication",
        "vascular_claudication",
        "inflammatory",
    }
)


class Kind(enum.Enum):
    """The JSON type of an answer."""

    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    CHOICE = "choice"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One key of the contract input."""

    key: str
    kind: Kind
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    nullable: bool = False
    null_meaning: str = ""

    def describe_type(self) -> str:
        """The type in the words the contract uses, for error messages and docs."""
        if self.kind is Kind.CHOICE:
            text = "one of " + ", ".join(f'"{c}"' for c in self.choices)
        elif self.kind is Kind.BOOL:
            text = "true or false"
        else:
            noun = "a whole number" if self.kind is Kind.INT else "a number"
            if self.minimum is not None and self.maximum is not None:
                text = f"{noun} from {_fmt(self.minimum)} to {_fmt(self.maximum)}"
            elif self.minimum is not None:
                text = f"{noun} of at least {_fmt(self.minimum)}"
            else:
                text = noun
        if self.nullable:
            text += f", or null ({self.null_meaning})"
        return text


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _bool(key: str, meaning: str) -> FieldSpec:
    return FieldSpec(key, Kind.BOOL, meaning)


def _choice(key: str, meaning: str, *choices: str) -> FieldSpec:
    return FieldSpec(key, Kind.CHOICE, meaning, choices=choices)


_SIDES = ("none", "one", "both")

#: The contract's input keys, in the order of the contract table.
CORE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("age", Kind.INT, "age in years", minimum=0, maximum=120),
    _choice("sex", "sex", "female", "male", "other"),
    FieldSpec("duration_days", Kind.INT, "how long this episode has lasted, in days", minimum=0),
    _choice("trend", "course over the last days", "improving", "unchanged", "worsening"),
    _choice("onset", "how the pain started", "sudden", "gradual"),
    FieldSpec("pain_now", Kind.INT, "back pain now, 0 to 10", minimum=0, maximum=10),
    FieldSpec("pain_walking", Kind.INT, "worst back pain while walking, 0 to 10", 0, 10),
    FieldSpec(
        "walking_tolerance_min",
        Kind.NUMBER,
        "minutes of walking before pain makes them stop",
        minimum=0,
        nullable=True,
        null_meaning="no limit",
    ),
    _bool("previous_episodes", "has had episodes like this before"),
    _bool("major_trauma", "recent major trauma"),
    _bool("minor_trauma", "recent minor fall or strain, lifting, twisting"),
    _choice(
        "leg_pain", "furthest that pain spreads down a leg", "none", "above_knee", "below_knee"
    ),
    _choice("leg_pain_sides", "legs with pain", *_SIDES),
    _bool("leg_pain_worse_than_back", "leg pain worse than back pain"),
    _choice("leg_numbness_tingling", "legs with numbness or tingling", *_SIDES),
    _choice("leg_weakness", "legs with weakness", *_SIDES),
    _bool("weakness_progressing", "weakness or numbness getting worse over hours or days"),
    _bool(
        "leg_symptoms_recent_change",
        "leg numbness, tingling or weakness began or changed in the last 2 weeks",
    ),
    _bool("saddle_numbness", "numbness around the back passage, genitals or inner thighs"),
    _choice(
        "bladder_change",
        "new change in bladder control or feeling",
        "none",
        "retention",
        "incontinence",
        "reduced_sensation",
    ),
    _bool("bowel_incontinence", "new loss of bowel control"),
    _bool("sexual_dysfunction_new", "new loss of sexual function or genital sensation"),
    _bool("fever", "fever or chills with the back pain"),
    _bool("unexplained_weight_loss", "weight lost without trying"),
    _bool("cancer_history", "has ever had cancer"),
    _bool(
        "immunosuppressed", "immunosuppressing drugs, long-term oral steroids, HIV, chemotherapy"
    ),
    _bool("iv_drug_use", "injects drugs"),
    _bool("recent_infection_or_spinal_procedure", "recent infection or spinal injection/surgery"),
    _bool("osteoporosis", "known osteoporosis"),
    _bool("long_term_steroids", "oral corticosteroids for 3 months or more"),
    _bool("night_pain_unrelieved", "pain at night not eased by any position or rest"),
    _bool("constant_progressive_pain", "constant, not changed by movement, getting worse"),
    _bool(
        "abdominal_pulsation_or_tearing_pain",
        "pulsating feeling in the belly, or sudden severe tearing pain to the back",
    ),
    _bool("feeling_unwell", "systemically unwell"),
    _bool("relief_sitting_or_bending_forward", "symptoms ease when sitting or leaning forward"),
    _bool("worse_standing_or_downhill", "worse standing still or walking downhill"),
    _bool(
        "calf_pain_relieved_by_standing_still",
        "cramping calf pain on walking that eases by standing still, without sitting",
    ),
    _bool("morning_stiffness_over_30_min", "morning stiffness lasting more than 30 minutes"),
    _bool("improves_with_movement", "better with exercise, not better with rest"),
    _bool("onset_before_40_insidious", "back pain began before age 40, gradually"),
    FieldSpec("sitting_hours_per_day", Kind.NUMBER, "hours sitting per day", minimum=0, maximum=24),
    FieldSpec(
        "active_minutes_per_week", Kind.NUMBER, "active minutes per week", minimum=0, maximum=10080
    ),
    FieldSpec("stress", Kind.INT, "stress, 0 to 10", minimum=0, maximum=10),
)


def index_fields(fields: tuple[FieldSpec, ...]) -> Mapping[str, FieldSpec]:
    """Fields by key; raises ``ValueError`` when two fields share a key."""
    by_key: dict[str, FieldSpec] = {}
    for spec in fields:
        if spec.key in by_key:
            raise ValueError(f"duplicate contract key {spec.key!r}")
        by_key[spec.key] = spec
    return by_key
