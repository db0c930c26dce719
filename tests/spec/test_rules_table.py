"""Spec tables for the triage rules and the contributing patterns.

Each row starts from one complete, benign answer set (``BASELINE``: every core question
answered, nothing worrying) and changes only the answers it is about, so that a row tests
exactly one thing. ``UNANSWERED`` removes a key, to test how an unanswered question is
treated (three-valued logic: unanswered is unknown, never "no").

A changed expected urgency in these tables is a clinical change: record it in the hazard
log and the changelog. A new rule without a row here fails ``test_every_rule_has_a_row``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import pytest

from backstride.domain.content import Likelihood
from backstride.domain.contract import CONTRACT_PATTERN_IDS
from backstride.domain.urgency import Urgency
from backstride.services.assessments import default_service

UNANSWERED: Final = object()

#: Every core contract key answered, benign: a recent, improving, back-only episode.
BASELINE: Final[Mapping[str, Any]] = {
    "age": 45,
    "sex": "female",
    "duration_days": 3,
    "trend": "improving",
    "onset": "gradual",
    "pain_now": 3,
    "pain_walking": 4,
    "walking_tolerance_min": None,
    "previous_episodes": True,
    "major_trauma": False,
    "minor_trauma": False,
    "leg_pain": "none",
    "leg_pain_sides": "none",
    "leg_pain_worse_than_back": False,
    "leg_numbness_tingling": "none",
    "leg_weakness": "none",
    "weakness_progressing": False,
    "leg_symptoms_recent_change": False,
    "saddle_numbness": False,
    "bladder_change": "none",
    "bowel_incontinence": False,
    "sexual_dysfunction_new": False,
    "fever": False,
    "unexplained_weight_loss": False,
    "cancer_history": False,
    "immunosuppressed": False,
    "iv_drug_use": False,
    "recent_infection_or_spinal_procedure": False,
    "osteoporosis": False,
    "long_term_steroids": False,
    "night_pain_unrelieved": False,
    "constant_progressive_pain": False,
    "abdominal_pulsation_or_tearing_pain": False,
    "feeling_unwell": False,
    "relief_sitting_or_bending_forward": False,
    "worse_standing_or_downhill": False,
    "calf_pain_relieved_by_standing_still": False,
    "morning_stiffness_over_30_min": False,
    "improves_with_movement": False,
    "onset_before_40_insidious": False,
    "sitting_hours_per_day": 6,
    "active_minutes_per_week": 150,
    "stress": 3,
}

#: Outlook-screen answers that reach the "high" band (four distress items positive).
OUTLOOK_HIGH: Final[Mapping[str, Any]] = {
    "outlook_bothersome": 4,
    "outlook_walking_limited": True,
    "outlook_fear_of_movement": True,
    "outlook_worry": True,
    "outlook_hopeless": True,
    "outlook_low_mood": True,
}
OUTLOOK_LOW: Final[Mapping[str, Any]] = {
    "outlook_bothersome": 1,
    "outlook_walking_limited": False,
    "outlook_fear_of_movement": False,
    "outlook_worry": False,
    "outlook_hopeless": False,
    "outlook_low_mood": False,
}


def answers(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The baseline with ``changes`` applied; a value of ``UNANSWERED`` removes the key."""
    result = dict(BASELINE)
    for key, value in changes.items():
        if value is UNANSWERED:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def row(
    name: str,
    changes: Mapping[str, Any],
    urgency: str,
    fires: Sequence[str] = (),
    missing: Sequence[str] = (),
) -> Any:
    """One table row: answers (as changes to the baseline) -> urgency, rules, missing keys."""
    return pytest.param(dict(changes), urgency, tuple(fires), tuple(missing), id=name)


# ------------------------------------------------------------------------------------------
# Table 1: one or more rows per rule.
# ------------------------------------------------------------------------------------------
RULE_ROWS = [
    row("baseline is self-care", {}, "self_care"),
    # cauda equina: any single sign is enough
    row("saddle numbness", {"saddle_numbness": True}, "emergency", ["ces.saddle_numbness"]),
    row("bladder retention", {"bladder_change": "retention"}, "emergency", ["ces.bladder_change"]),
    row(
        "bladder incontinence",
        {"bladder_change": "incontinence"},
        "emergency",
        ["ces.bladder_change"],
    ),
    row(
        "bladder reduced sensation",
        {"bladder_change": "reduced_sensation"},
        "emergency",
        ["ces.bladder_change"],
    ),
    row(
        "bowel incontinence",
        {"bowel_incontinence": True},
        "emergency",
        ["ces.bowel_incontinence"],
    ),
    row(
        "new sexual dysfunction",
        {"sexual_dysfunction_new": True},
        "emergency",
        ["ces.sexual_dysfunction"],
    ),
    row(
        "numbness both legs, recent",
        {"leg_numbness_tingling": "both", "leg_symptoms_recent_change": True},
        "emergency",
        ["ces.both_legs_new"],
    ),
    row(
        "weakness both legs, recent",
        {"leg_weakness": "both", "leg_symptoms_recent_change": True},
        "emergency",
        ["ces.both_legs_new"],
    ),
    row(
        "numbness both legs, long-standing",
        {"leg_numbness_tingling": "both", "leg_symptoms_recent_change": False},
        "soon",
        ["neuro.both_legs_longstanding"],
    ),
    row(
        "weakness both legs, long-standing",
        {"leg_weakness": "both", "leg_symptoms_recent_change": False},
        "soon",
        ["neuro.both_legs_longstanding"],
    ),
    row(
        "both legs long-standing but progressing",
        {
            "leg_weakness": "both",
            "leg_symptoms_recent_change": False,
            "weakness_progressing": True,
        },
        "emergency",
        ["ces.both_legs_progressing", "neuro.progressive_deficit"],
    ),
    row(
        "below-knee pain both legs, new episode",
        {"leg_pain": "below_knee", "leg_pain_sides": "both"},
        "emergency",
        ["ces.both_legs_sciatica_new"],
    ),
    row(
        "below-knee pain both legs, long and worsening",
        {
            "leg_pain": "below_knee",
            "leg_pain_sides": "both",
            "duration_days": 60,
            "trend": "worsening",
        },
        "emergency",
        ["ces.both_legs_sciatica_new"],
    ),
    row(
        "below-knee pain both legs, long and stable",
        {
            "leg_pain": "below_knee",
            "leg_pain_sides": "both",
            "duration_days": 60,
            "trend": "unchanged",
        },
        "soon",
        ["radicular.one_leg_numbness_or_below_knee", "course.over_7_days_not_improving"],
    ),
    # aneurysm, trauma
    row(
        "tearing pain or pulsation",
        {"abdominal_pulsation_or_tearing_pain": True},
        "emergency",
        ["aaa.pulsation_or_tearing"],
    ),
    row("major trauma", {"major_trauma": True}, "emergency", ["trauma.major"]),
    # infection
    row("fever", {"fever": True}, "urgent", ["infection.fever"]),
    row("feeling unwell", {"feeling_unwell": True}, "urgent", ["infection.feeling_unwell"]),
    row("IV drug use", {"iv_drug_use": True}, "urgent", ["infection.risk_factor"]),
    row("immunosuppressed", {"immunosuppressed": True}, "urgent", ["infection.risk_factor"]),
    row(
        "recent infection or spinal procedure",
        {"recent_infection_or_spinal_procedure": True},
        "urgent",
        ["infection.risk_factor"],
    ),
    row(
        "fever with new one-leg weakness",
        {"fever": True, "leg_weakness": "one", "leg_symptoms_recent_change": True},
        "emergency",
        ["infection.with_neuro_deficit", "infection.fever", "neuro.one_leg_weakness_new"],
    ),
    row(
        "feeling unwell with progressing deficit",
        {"feeling_unwell": True, "weakness_progressing": True},
        "emergency",
        ["infection.with_neuro_deficit"],
    ),
    row(
        "fever with long-standing one-leg weakness stays urgent",
        {"fever": True, "leg_weakness": "one", "leg_symptoms_recent_change": False},
        "urgent",
        ["infection.fever", "neuro.one_leg_weakness_longstanding"],
    ),
    # malignancy
    row("cancer history alone", {"cancer_history": True}, "soon", ["malignancy.cancer_history"]),
    row(
        "cancer history, aged 50",
        {"cancer_history": True, "age": 50},
        "urgent",
        ["malignancy.cancer_over_50_or_night_or_constant"],
    ),
    row(
        "cancer history, night pain",
        {"cancer_history": True, "night_pain_unrelieved": True},
        "urgent",
        ["malignancy.cancer_over_50_or_night_or_constant", "serious.non_mechanical_pain"],
    ),
    row(
        "cancer history, constant progressive pain",
        {"cancer_history": True, "constant_progressive_pain": True},
        "urgent",
        ["malignancy.cancer_over_50_or_night_or_constant"],
    ),
    row(
        "cancer history, first episode",
        {"cancer_history": True, "previous_episodes": False},
        "urgent",
        ["malignancy.cancer_new_pain"],
    ),
    row(
        "cancer history, new numbness one leg",
        {
            "cancer_history": True,
            "leg_numbness_tingling": "one",
            "leg_symptoms_recent_change": True,
        },
        "emergency",
        ["malignancy.cancer_with_new_neuro"],
    ),
    row(
        "cancer history, progressing weakness",
        {"cancer_history": True, "leg_weakness": "one", "weakness_progressing": True},
        "emergency",
        ["malignancy.cancer_with_new_neuro", "neuro.progressive_deficit"],
    ),
    row(
        "cancer history, long-standing numbness one leg",
        {
            "cancer_history": True,
            "leg_numbness_tingling": "one",
            "leg_symptoms_recent_change": False,
        },
        "urgent",
        ["malignancy.cancer_with_neuro"],
    ),
    row(
        "unexplained weight loss",
        {"unexplained_weight_loss": True},
        "urgent",
        ["malignancy.weight_loss"],
    ),
    row(
        "first episode at 55",
        {"age": 55, "previous_episodes": False},
        "soon",
        ["malignancy.new_pain_over_50_or_under_20"],
    ),
    row(
        "first episode at 18",
        {"age": 18, "previous_episodes": False},
        "soon",
        ["malignancy.new_pain_over_50_or_under_20"],
    ),
    row("recurrent episode at 55 is self-care", {"age": 55}, "self_care"),
    row(
        "aged 65, pain for 5 weeks though improving",
        {"age": 65, "duration_days": 35},
        "soon",
        ["malignancy.persistent_pain_over_60"],
    ),
    row(
        "night pain unrelieved",
        {"night_pain_unrelieved": True},
        "soon",
        ["serious.non_mechanical_pain"],
    ),
    row(
        "constant progressive pain",
        {"constant_progressive_pain": True},
        "soon",
        ["serious.non_mechanical_pain"],
    ),
    # neurological deficit
    row(
        "weakness progressing",
        {"leg_weakness": "one", "weakness_progressing": True},
        "urgent",
        ["neuro.progressive_deficit"],
    ),
    row(
        "weakness one leg, recent",
        {"leg_weakness": "one", "leg_symptoms_recent_change": True},
        "urgent",
        ["neuro.one_leg_weakness_new"],
    ),
    row(
        "weakness one leg, long-standing",
        {"leg_weakness": "one", "leg_symptoms_recent_change": False},
        "soon",
        ["neuro.one_leg_weakness_longstanding"],
    ),
    # radicular, course
    row(
        "numbness one leg, 10 days, improving",
        {"leg_numbness_tingling": "one", "duration_days": 10},
        "soon",
        ["radicular.one_leg_numbness_or_below_knee"],
    ),
    row(
        "pain below knee, 3 days, unchanged",
        {"leg_pain": "below_knee", "leg_pain_sides": "one", "trend": "unchanged"},
        "soon",
        ["radicular.one_leg_numbness_or_below_knee"],
    ),
    row(
        "over 7 days, unchanged",
        {"duration_days": 10, "trend": "unchanged"},
        "soon",
        ["course.over_7_days_not_improving"],
    ),
    row(
        "over 7 days, worsening",
        {"duration_days": 10, "trend": "worsening"},
        "soon",
        ["course.over_7_days_not_improving", "course.worsening"],
    ),
    row(
        "worsening at 2 days",
        {"duration_days": 2, "trend": "worsening"},
        "soon",
        ["course.worsening"],
    ),
    # fracture
    row(
        "minor fall with osteoporosis",
        {"minor_trauma": True, "osteoporosis": True},
        "soon",
        ["fracture.fragility"],
    ),
    row(
        "minor strain on long-term steroids",
        {"minor_trauma": True, "long_term_steroids": True},
        "soon",
        ["fracture.fragility"],
    ),
    row(
        "minor fall, man aged 70",
        {"minor_trauma": True, "age": 70, "sex": "male"},
        "soon",
        ["fracture.fragility"],
    ),
    row(
        "minor fall, woman aged 76",
        {"minor_trauma": True, "age": 76},
        "soon",
        ["fracture.fragility"],
    ),
    row("minor fall, woman aged 70", {"minor_trauma": True, "age": 70}, "self_care"),
    row(
        "minor fall with osteoporosis, severe pain",
        {"minor_trauma": True, "osteoporosis": True, "pain_now": 8},
        "urgent",
        ["fracture.fragility_severe", "fracture.fragility"],
    ),
    row(
        "minor strain on steroids, severe pain walking",
        {"minor_trauma": True, "long_term_steroids": True, "pain_walking": 7},
        "urgent",
        ["fracture.fragility_severe"],
    ),
    # inflammatory, walking patterns
    row(
        "ASAS: early insidious onset, better with movement, 4 months",
        {"duration_days": 120, "onset_before_40_insidious": True, "improves_with_movement": True},
        "soon",
        ["inflammatory.asas_features"],
    ),
    row(
        "inflammatory: early onset with morning stiffness, 4 months",
        {
            "duration_days": 120,
            "onset_before_40_insidious": True,
            "morning_stiffness_over_30_min": True,
        },
        "soon",
        ["inflammatory.asas_features"],
    ),
    row(
        "inflammatory features but under 3 months",
        {"duration_days": 60, "onset_before_40_insidious": True, "improves_with_movement": True},
        "self_care",
    ),
    row(
        "calf pain eased by standing still",
        {"calf_pain_relieved_by_standing_still": True},
        "soon",
        ["vascular.claudication"],
    ),
    row(
        "leg pain eased by sitting, stops walking within 5 minutes",
        {
            "leg_pain": "above_knee",
            "leg_pain_sides": "one",
            "relief_sitting_or_bending_forward": True,
            "walking_tolerance_min": 5,
        },
        "soon",
        ["stenosis.walking_limited"],
    ),
    row(
        "leg pain eased by sitting, walks 30 minutes",
        {
            "leg_pain": "above_knee",
            "leg_pain_sides": "one",
            "relief_sitting_or_bending_forward": True,
            "walking_tolerance_min": 30,
        },
        "self_care",
    ),
    # scope, outlook
    row("aged 14", {"age": 14}, "soon", ["scope.under_16"]),
    row("aged 16 is in scope", {"age": 16}, "self_care"),
    row("outlook high", OUTLOOK_HIGH, "soon", ["outlook.high_risk"]),
    row("outlook low", OUTLOOK_LOW, "self_care"),
]

# ------------------------------------------------------------------------------------------
# Table 2: the contract's product floors, including each "unless" and unanswered questions.
# ------------------------------------------------------------------------------------------
FLOOR_ROWS = [
    # CES signs: emergency; unanswered is treated as positive and listed as missing
    row(
        "CES: saddle unanswered",
        {"saddle_numbness": UNANSWERED},
        "emergency",
        ["ces.saddle_numbness"],
        ["saddle_numbness"],
    ),
    row(
        "CES: bladder unanswered",
        {"bladder_change": UNANSWERED},
        "emergency",
        ["ces.bladder_change"],
        ["bladder_change"],
    ),
    row(
        "CES: bowel unanswered",
        {"bowel_incontinence": UNANSWERED},
        "emergency",
        ["ces.bowel_incontinence"],
        ["bowel_incontinence"],
    ),
    row(
        "CES: sexual function unanswered",
        {"sexual_dysfunction_new": UNANSWERED},
        "emergency",
        ["ces.sexual_dysfunction"],
        ["sexual_dysfunction_new"],
    ),
    row(
        "both legs: change unanswered means emergency",
        {"leg_numbness_tingling": "both", "leg_symptoms_recent_change": UNANSWERED},
        "emergency",
        ["ces.both_legs_new"],
        ["leg_symptoms_recent_change"],
    ),
    row(
        "both legs: numbness question unanswered",
        {"leg_numbness_tingling": UNANSWERED, "leg_symptoms_recent_change": True},
        "emergency",
        ["ces.both_legs_new"],
        ["leg_numbness_tingling"],
    ),
    row(
        "both legs: long-standing weakness unless false -> at least soon",
        {"leg_weakness": "both", "leg_symptoms_recent_change": False},
        "soon",
        ["neuro.both_legs_longstanding"],
    ),
    # aneurysm
    row(
        "AAA: unanswered",
        {"abdominal_pulsation_or_tearing_pain": UNANSWERED},
        "emergency",
        ["aaa.pulsation_or_tearing"],
        ["abdominal_pulsation_or_tearing_pain"],
    ),
    # at least urgent
    row(
        "major trauma: unanswered (emergency item)",
        {"major_trauma": UNANSWERED},
        "emergency",
        ["trauma.major"],
        ["major_trauma"],
    ),
    row(
        "fever: unanswered is treated as positive (urgent) and listed",
        {"fever": UNANSWERED},
        "urgent",
        ["infection.fever"],
        ["fever"],
    ),
    row(
        "progressing: unanswered with numbness is treated as positive (urgent) and listed",
        {
            "weakness_progressing": UNANSWERED,
            "leg_numbness_tingling": "one",
            "leg_symptoms_recent_change": True,
        },
        "urgent",
        ["neuro.progressive_deficit"],
        ["weakness_progressing"],
    ),
    row(
        "progressing: a follow-up that does not apply (no numbness or weakness) is not missing",
        {"weakness_progressing": UNANSWERED, "leg_symptoms_recent_change": UNANSWERED},
        "self_care",
        [],
        [],
    ),
    row(
        "calf question does not apply without leg pain: not missing",
        {"calf_pain_relieved_by_standing_still": UNANSWERED},
        "self_care",
        [],
        [],
    ),
    row(
        "progressing with no leg weakness answered is still urgent",
        {"weakness_progressing": True},
        "urgent",
        ["neuro.progressive_deficit"],
    ),
    row(
        "weight loss: unanswered is treated as positive (urgent) and listed",
        {"unexplained_weight_loss": UNANSWERED},
        "urgent",
        ["malignancy.weight_loss"],
        ["unexplained_weight_loss"],
    ),
    row(
        "cancer + age over 50 (aged 51)",
        {"cancer_history": True, "age": 51},
        "urgent",
        ["malignancy.cancer_over_50_or_night_or_constant"],
    ),
    row(
        "cancer + night pain: cancer unanswered is treated as positive (urgent) and listed",
        {"cancer_history": UNANSWERED, "night_pain_unrelieved": True},
        "urgent",
        ["malignancy.cancer_over_50_or_night_or_constant"],
        ["cancer_history"],
    ),
    row(
        "cancer + new neuro: cancer unanswered is treated as positive",
        {
            "cancer_history": UNANSWERED,
            "leg_numbness_tingling": "one",
            "leg_symptoms_recent_change": True,
        },
        "emergency",
        ["malignancy.cancer_with_new_neuro"],
        ["cancer_history"],
    ),
    # duration and trend
    row(
        "pain 7 days unchanged is not yet over 7 days",
        {"duration_days": 7, "trend": "unchanged"},
        "self_care",
    ),
    row(
        "pain 8 days unchanged",
        {"duration_days": 8, "trend": "unchanged"},
        "soon",
        ["course.over_7_days_not_improving"],
    ),
    row("pain 30 days but improving", {"duration_days": 30}, "self_care"),
    row(
        "duration unanswered, unchanged: listed, not raised",
        {"duration_days": UNANSWERED, "trend": "unchanged"},
        "self_care",
        (),
        ["duration_days"],
    ),
    # one-leg numbness or below-knee pain: soon unless <= 7 days AND improving
    row(
        "numbness one leg, 3 days improving (exception)",
        {"leg_numbness_tingling": "one"},
        "self_care",
    ),
    row(
        "numbness one leg, 7 days improving (exception boundary)",
        {"leg_numbness_tingling": "one", "duration_days": 7},
        "self_care",
    ),
    row(
        "numbness one leg, 8 days improving",
        {"leg_numbness_tingling": "one", "duration_days": 8},
        "soon",
        ["radicular.one_leg_numbness_or_below_knee"],
    ),
    row(
        "numbness one leg, 3 days unchanged",
        {"leg_numbness_tingling": "one", "trend": "unchanged"},
        "soon",
        ["radicular.one_leg_numbness_or_below_knee"],
    ),
    row(
        "below knee one leg, 5 days improving (exception)",
        {"leg_pain": "below_knee", "leg_pain_sides": "one", "duration_days": 5},
        "self_care",
    ),
    row(
        "below knee one leg, 5 days worsening",
        {
            "leg_pain": "below_knee",
            "leg_pain_sides": "one",
            "duration_days": 5,
            "trend": "worsening",
        },
        "soon",
        ["radicular.one_leg_numbness_or_below_knee", "course.worsening"],
    ),
    row(
        "numbness one leg, duration unanswered: exception unproven",
        {"leg_numbness_tingling": "one", "duration_days": UNANSWERED},
        "soon",
        ["radicular.one_leg_numbness_or_below_knee"],
        ["duration_days"],
    ),
    row(
        "numbness one leg, trend unanswered: exception unproven",
        {"leg_numbness_tingling": "one", "trend": UNANSWERED},
        "soon",
        ["radicular.one_leg_numbness_or_below_knee"],
        ["trend"],
    ),
    # weakness in one leg: urgent unless the change question is answered false
    row(
        "weakness one leg, change unanswered stays urgent",
        {"leg_weakness": "one", "leg_symptoms_recent_change": UNANSWERED},
        "urgent",
        ["neuro.one_leg_weakness_new"],
        ["leg_symptoms_recent_change"],
    ),
    row(
        "weakness one leg, long-standing: at least soon",
        {"leg_weakness": "one", "leg_symptoms_recent_change": False},
        "soon",
        ["neuro.one_leg_weakness_longstanding"],
    ),
    # under 16
    row("under 16: aged 10", {"age": 10}, "soon", ["scope.under_16"]),
    row("under 16: aged 15", {"age": 15}, "soon", ["scope.under_16"]),
    row("under 16: age unanswered", {"age": UNANSWERED}, "soon", ["scope.under_16"], ["age"]),
]


def _assess(changes: Mapping[str, Any]) -> Any:
    return default_service().assess(answers(changes))


@pytest.mark.parametrize(("changes", "urgency", "fires", "missing"), RULE_ROWS + FLOOR_ROWS)
def test_rules_table(
    changes: Mapping[str, Any],
    urgency: str,
    fires: tuple[str, ...],
    missing: tuple[str, ...],
) -> None:
    result = _assess(changes)
    assert result.urgency is Urgency(urgency), result.fired_rules
    assert set(fires) <= set(result.fired_rules)
    assert set(missing) <= set(result.missing)
    if not missing and all(v is not UNANSWERED for v in changes.values()):
        assert result.missing == ()  # every core question answered: nothing is missing


#: Follow-up questions skipped because the other answers show they do not apply are not
#: missing and raise nothing; with the parent unanswered they apply again.
NOT_APPLICABLE_ROWS = [
    pytest.param(
        {"weakness_progressing": UNANSWERED, "leg_symptoms_recent_change": UNANSWERED},
        ("weakness_progressing", "leg_symptoms_recent_change"),
        "self_care",
        id="no numbness or weakness: progression and change questions do not apply",
    ),
    pytest.param(
        {"calf_pain_relieved_by_standing_still": UNANSWERED},
        ("calf_pain_relieved_by_standing_still",),
        "self_care",
        id="no leg pain: the calf question does not apply",
    ),
]


@pytest.mark.parametrize(("changes", "keys", "urgency"), NOT_APPLICABLE_ROWS)
def test_follow_ups_that_do_not_apply_are_not_missing(
    changes: Mapping[str, Any], keys: tuple[str, ...], urgency: str
) -> None:
    result = _assess(changes)
    assert result.urgency is Urgency(urgency)
    assert not set(keys) & set(result.missing)
    assert result.reasons == ()


def test_a_follow_up_applies_again_when_its_parent_is_unanswered() -> None:
    result = _assess({"weakness_progressing": UNANSWERED, "leg_weakness": UNANSWERED})
    assert "weakness_progressing" in result.missing
    assert "leg_weakness" in result.missing


def test_baseline_fires_nothing() -> None:
    result = _assess({})
    assert result.fired_rules == ()
    assert result.urgency is Urgency.SELF_CARE


def test_no_answers_at_all_is_emergency_and_lists_the_red_flags() -> None:
    result = default_service().assess({})
    assert result.urgency is Urgency.EMERGENCY
    for key in (
        "saddle_numbness",
        "bladder_change",
        "bowel_incontinence",
        "sexual_dysfunction_new",
    ):
        assert key in result.missing


def test_unanswered_reason_names_the_questions() -> None:
    result = _assess({"saddle_numbness": UNANSWERED})
    (reason,) = [r for r in result.reasons if r.rule == "ces.saddle_numbness"]
    assert reason.unanswered == ("saddle_numbness",)
    assert reason.level is Urgency.EMERGENCY


def test_every_rule_has_a_row() -> None:
    content_ids = {rule.id for rule in default_service().content.rules}
    in_tables = {rule_id for p in RULE_ROWS + FLOOR_ROWS for rule_id in p.values[2]}
    assert content_ids - in_tables == set(), "rules without a spec-table row"
    assert in_tables - content_ids == set(), "spec-table rows name rules that do not exist"


# Unanswered policy: emergency rules -> emergency; urgent -> soon; soon -> only listed.
# Exceptions, each required by a contract floor (see the rule's rationale).
_UNANSWERED_EXCEPTIONS = {
    "radicular.one_leg_numbness_or_below_knee": "soon",  # floor: escape needs both answers
    "scope.under_16": "soon",  # unknown age could be a child
}
#: Red-flag rules (emergency, urgent) treat an unanswered question as positive at their own
#: level; lower rules only list it as missing.
_POLICY = {"emergency": "emergency", "urgent": "urgent", "soon": None}


def test_unanswered_policy() -> None:
    for rule in default_service().content.rules:
        got = rule.if_unanswered.value if rule.if_unanswered else None
        expected = _UNANSWERED_EXCEPTIONS.get(rule.id, _POLICY[rule.level.value])
        assert got == expected, rule.id


def test_rule_file_names_follow_ids() -> None:
    for rule in default_service().content.rules:
        assert rule.file == "rules/" + rule.id.replace(".", "_") + ".yaml"


def test_rules_await_clinician_sign_off_honestly() -> None:
    for rule in default_service().content.rules:
        assert rule.review.authored_by
        assert rule.review.checked_by is None  # no clinician has signed these off yet


# ------------------------------------------------------------------------------------------
# Table 3: patterns. None = the pattern is not reported.
# ------------------------------------------------------------------------------------------
def prow(name: str, changes: Mapping[str, Any], pattern: str, likelihood: str | None) -> Any:
    return pytest.param(dict(changes), pattern, likelihood, id=name)


_STENOSIS_OLD = {
    "age": 72,
    "leg_pain": "above_knee",
    "leg_pain_sides": "both",
    "relief_sitting_or_bending_forward": True,
    "worse_standing_or_downhill": True,
    "duration_days": 200,
    "trend": "unchanged",
}
_SCIATICA = {
    "leg_pain": "below_knee",
    "leg_pain_sides": "one",
    "leg_pain_worse_than_back": True,
    "leg_numbness_tingling": "one",
    "duration_days": 10,
}

PATTERN_ROWS = [
    prow("back-only baseline", {}, "nonspecific_mechanical", "likely"),
    prow(
        "tingling in one leg",
        {"leg_numbness_tingling": "one"},
        "nonspecific_mechanical",
        "possible",
    ),
    prow("leg-dominant sciatica", _SCIATICA, "nonspecific_mechanical", None),
    prow("sudden strain", {"minor_trauma": True, "onset": "sudden"}, "muscle_strain", "likely"),
    prow("gradual after strain", {"minor_trauma": True}, "muscle_strain", "possible"),
    prow("no strain", {}, "muscle_strain", None),
    prow("leg-dominant sciatica", _SCIATICA, "radicular", "likely"),
    prow("tingling one leg only", {"leg_numbness_tingling": "one"}, "radicular", "possible"),
    prow("no leg symptoms", {}, "radicular", None),
    prow("older, both legs, eased sitting", _STENOSIS_OLD, "neurogenic_claudication", "likely"),
    prow(
        "aged 62, one leg, eased sitting",
        {**_STENOSIS_OLD, "age": 62, "leg_pain_sides": "one"},
        "neurogenic_claudication",
        "possible",
    ),
    prow(
        "stenosis features but not worse standing",
        {**_STENOSIS_OLD, "worse_standing_or_downhill": False, "leg_pain_sides": "one"},
        "neurogenic_claudication",
        None,
    ),
    prow("young sciatica", _SCIATICA, "neurogenic_claudication", None),
    prow("no leg symptoms", {}, "neurogenic_claudication", None),
    prow(
        "calf pain eased standing",
        {
            "leg_pain": "below_knee",
            "leg_pain_sides": "one",
            "calf_pain_relieved_by_standing_still": True,
        },
        "vascular_claudication",
        "likely",
    ),
    prow("leg pain without calf sign", _SCIATICA, "vascular_claudication", None),
    prow(
        "ASAS equivalent",
        {"duration_days": 120, "onset_before_40_insidious": True, "improves_with_movement": True},
        "inflammatory",
        "likely",
    ),
    prow(
        "early onset and morning stiffness",
        {
            "duration_days": 120,
            "onset_before_40_insidious": True,
            "morning_stiffness_over_30_min": True,
        },
        "inflammatory",
        "possible",
    ),
    prow(
        "features but under 3 months",
        {"duration_days": 60, "onset_before_40_insidious": True, "improves_with_movement": True},
        "inflammatory",
        None,
    ),
    prow(
        "long sitting, low activity",
        {"sitting_hours_per_day": 9, "active_minutes_per_week": 60},
        "postural",
        "likely",
    ),
    prow("long sitting only", {"sitting_hours_per_day": 9}, "postural", "possible"),
    prow("active, short sitting", {}, "postural", None),
    prow("aged 60, recurrent", {"age": 60}, "degenerative", "possible"),
    prow(
        "aged 70, recurrent, gradual: never more than possible",
        {"age": 70, "onset": "gradual"},
        "degenerative",
        "possible",
    ),
    prow("aged 45", {}, "degenerative", None),
]


@pytest.mark.parametrize(("changes", "pattern", "likelihood"), PATTERN_ROWS)
def test_patterns_table(changes: Mapping[str, Any], pattern: str, likelihood: str | None) -> None:
    found = {p.id: p.likelihood for p in _assess(changes).patterns}
    if likelihood is None:
        assert pattern not in found
    else:
        assert found.get(pattern) is Likelihood(likelihood)


def test_every_pattern_has_rows() -> None:
    content_ids = {p.id for p in default_service().content.patterns}
    counts = dict.fromkeys(content_ids, 0)
    for p in PATTERN_ROWS:
        counts[p.values[1]] += 1
    assert {pid for pid, n in counts.items() if n < 2} == set()


def test_contract_pattern_ids_are_present() -> None:
    content_ids = {p.id for p in default_service().content.patterns}
    assert content_ids >= CONTRACT_PATTERN_IDS
