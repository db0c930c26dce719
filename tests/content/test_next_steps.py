"""What to do now: every step a result can list says something the others do not.

A person reading an emergency result is frightened and often on a phone. Before content
2026.11.1 an emergency listed eight steps, three of them the level's own steps again in other
words ("Call your local emergency number now" beside "Go to an emergency department now, or
call your local emergency number"), and urgent results repeated their safety net inside a
rule's step. These tests look at every step that can appear together in one result.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from backstride.domain.content import ContentBundle
from backstride.domain.expressions import Value
from backstride.domain.urgency import Urgency
from backstride.services.assessments import default_service

SERVICE = default_service()
VIGNETTES = Path(__file__).parents[1] / "vignettes" / "vignettes.yaml"

#: Two steps that share this share of the shorter one's words (of four letters or more) say
#: the same thing twice. The built-in content's closest pair shares 0.56; the repeated
#: emergency steps removed in 2026.11.1 shared 0.8 to 1.0.
SAME_THING = 0.6


def _words(step: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", step.lower()) if len(w) >= 4}


def _steps_that_can_meet(content: ContentBundle, level: Urgency) -> list[str]:
    """Every step a result at ``level`` can list: the level's, those of each rule that can
    fire beside it, and the request to answer skipped questions."""
    rules = [
        rule
        for rule in content.rules
        if rule.level <= level and (level is not Urgency.EMERGENCY or rule.level is level)
    ]
    steps = [*content.advice[level].steps, *(s for r in rules for s in r.next_steps)]
    return list(dict.fromkeys([*steps, content.missing_step]))


@pytest.mark.parametrize("level", list(Urgency), ids=lambda u: u.value)
def test_no_two_steps_of_one_result_say_the_same_thing(level: Urgency) -> None:
    repeats = [
        (a, b)
        for a, b in itertools.combinations(_steps_that_can_meet(SERVICE.content, level), 2)
        if len(_words(a) & _words(b)) / min(len(_words(a)), len(_words(b))) >= SAME_THING
    ]
    assert not repeats


def test_the_check_catches_a_step_said_twice() -> None:
    said_twice = (
        "Go to an emergency department now, or call your local emergency number.",
        "Call your local emergency number now.",
    )
    a, b = (_words(s) for s in said_twice)
    assert len(a & b) / min(len(a), len(b)) >= SAME_THING


#: No warning signs: vignette v060, a self-care result with every question answered.
CALM: dict[str, Value] = next(
    {k: v for k, v in vignette["answers"].items() if v is not None}
    for vignette in yaml.safe_load(VIGNETTES.read_text(encoding="utf-8"))
    if vignette["id"] == "v060"
)

FEVER_STEP = next(r for r in SERVICE.content.rules if r.id == "infection.fever").next_steps[0]


def test_an_urgent_result_keeps_the_steps_of_its_own_rules() -> None:
    assert SERVICE.assess(CALM).urgency is Urgency.SELF_CARE
    result = SERVICE.assess({**CALM, "fever": True})
    assert result.urgency is Urgency.URGENT
    assert FEVER_STEP in result.next_steps


def test_an_emergency_lists_only_what_to_do_now() -> None:
    """With a fever and numbness between the legs, "with a fever, go to hospital if a leg gets
    weak" is moot: the person is already told to go now."""
    result = SERVICE.assess({**CALM, "fever": True, "saddle_numbness": True})
    assert result.urgency is Urgency.EMERGENCY
    assert "infection.fever" in {r.rule for r in result.reasons}, "the reason is still given"
    assert FEVER_STEP not in result.next_steps
    assert result.next_steps[: len(SERVICE.content.advice[Urgency.EMERGENCY].steps)] == (
        SERVICE.content.advice[Urgency.EMERGENCY].steps
    )


def test_an_emergency_keeps_its_own_rules_steps() -> None:
    result = SERVICE.assess({**CALM, "abdominal_pulsation_or_tearing_pain": True})
    assert result.urgency is Urgency.EMERGENCY
    assert "If you feel faint, lie down while you wait for help." in result.next_steps
