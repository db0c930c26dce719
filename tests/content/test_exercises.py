"""The built-in exercise library: coverage, ladders, safety wording, doses and clinical choices.

Loaded through the real service, so these tests read exactly what the programme generator reads.
The clinical choices follow shared/reference/clinical-facts.md sections 4 and 5.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from backstride.domain.programme import Category, Direction, Exercise
from backstride.services.assessments import default_service

STENOSIS = "neurogenic_claudication"
RADICULAR = "radicular"
VASCULAR = "vascular_claudication"
INFLAMMATORY = "inflammatory"
NONSPECIFIC = "nonspecific_mechanical"

REQUIRED_IDS = [
    "seated_forward_bend",
    "cat_camel",
    "childs_pose",
    "plank",
    "bird_dog",
    "russian_twist",
    "bridge",
    "knee_to_chest",
    "pelvic_tilt",
    "side_plank",
    "dead_bug",
    "hip_flexor_stretch",
    "hamstring_stretch",
    "figure_four_stretch",
    "prone_press_up",
    "posture_check_walk",
    "interval_walk",
    "mcgill_curl_up",
    "standing_back_extension",
    "clamshell",
]

# (exercise, how it relates to the pattern, pattern): the clinical choices of fact base 4.3-4.5
# and 5.2, one row each. "suits" means listed in suits; the others name the note lists.
CLINICAL_CHOICES = [
    # Stenosis: flexion favoured, extension avoided, bridge and walks adapted (4.4, 5.2).
    ("seated_forward_bend", "suits", STENOSIS),
    ("knee_to_chest", "suits", STENOSIS),
    ("childs_pose", "suits", STENOSIS),
    ("pelvic_tilt", "suits", STENOSIS),
    ("prone_press_up", "avoid_for", STENOSIS),
    ("standing_back_extension", "avoid_for", STENOSIS),
    ("bridge", "modified_for", STENOSIS),
    ("interval_walk", "modified_for", STENOSIS),
    ("posture_check_walk", "modified_for", STENOSIS),
    # Acute radicular / disc pattern: no loaded twisting; forward bends with care (4.5).
    ("russian_twist", "avoid_for", RADICULAR),
    ("seated_forward_bend", "modified_for", RADICULAR),
    ("childs_pose", "modified_for", RADICULAR),
    # Neutral-spine endurance work suits the radicular pattern (4.5).
    ("bird_dog", "suits", RADICULAR),
    ("side_plank", "suits", RADICULAR),
    ("mcgill_curl_up", "suits", RADICULAR),
    # Vascular claudication: walking is adapted, never avoided (2.2).
    ("interval_walk", "modified_for", VASCULAR),
    ("posture_check_walk", "modified_for", VASCULAR),
    # Inflammatory back pain: movement and regular exercise suit it.
    ("cat_camel", "suits", INFLAMMATORY),
    ("interval_walk", "suits", INFLAMMATORY),
    ("posture_check_walk", "suits", INFLAMMATORY),
]

PERIPHERALISATION = re.compile(
    r"\b(spread|spreads|further down)\b.*\blegs?\b|\blegs?\b.*\b(spread|spreads|further down)\b",
    re.IGNORECASE,
)
PAIN_CEILING = re.compile(r"\babove 5 out of 10\b", re.IGNORECASE)
NEXT_MORNING = re.compile(r"\bnext morning\b", re.IGNORECASE)
OWN_NUMBER = re.compile(r"^\s*(\d+|step \d+)\s*[.):-]", re.IGNORECASE)
MAX_BOUT_S = 5 * 60


@pytest.fixture(scope="module")
def exercises() -> Mapping[str, Exercise]:
    return default_service().content.programme.exercises


def _patterns(exercise: Exercise, relation: str) -> set[str]:
    if relation == "suits":
        return set(exercise.suits)
    notes = exercise.modified_for if relation == "modified_for" else exercise.avoid_for
    return {note.pattern for note in notes}


def test_the_library_holds_at_least_18_exercises(exercises: Mapping[str, Exercise]) -> None:
    assert len(exercises) >= 18


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_required_exercise_exists(exercises: Mapping[str, Exercise], exercise_id: str) -> None:
    assert exercise_id in exercises
    assert exercises[exercise_id].id == exercise_id


def test_every_category_appears(exercises: Mapping[str, Exercise]) -> None:
    assert {e.category for e in exercises.values()} == set(Category)


@pytest.mark.parametrize("category", [Category.STRETCH, Category.MOBILITY, Category.WALKING])
def test_each_gentle_category_has_an_option_off_the_floor(
    exercises: Mapping[str, Exercise], category: Category
) -> None:
    assert any(e.category is category and not e.needs_floor for e in exercises.values())


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_ladders_point_to_other_existing_exercises(
    exercises: Mapping[str, Exercise], exercise_id: str
) -> None:
    exercise = exercises[exercise_id]
    for other in (*exercise.progressions, *exercise.regressions):
        assert other in exercises, f"{exercise_id} points to unknown {other!r}"
        assert other != exercise_id, f"{exercise_id} points to itself"
    overlap = set(exercise.progressions) & set(exercise.regressions)
    assert not overlap, f"{exercise_id} lists {overlap} as both harder and easier"


@pytest.mark.parametrize("field", ["progressions", "regressions"])
def test_a_ladder_never_loops_back(exercises: Mapping[str, Exercise], field: str) -> None:
    def visit(exercise_id: str, path: tuple[str, ...]) -> None:
        assert exercise_id not in path, f"{field} loop: {' -> '.join((*path, exercise_id))}"
        for nxt in getattr(exercises[exercise_id], field):
            visit(nxt, (*path, exercise_id))

    for exercise_id in exercises:
        visit(exercise_id, ())


@pytest.mark.parametrize(
    ("easier", "harder"),
    [
        ("pelvic_tilt", "dead_bug"),
        ("dead_bug", "bird_dog"),
        ("mcgill_curl_up", "plank"),
        ("knee_to_chest", "childs_pose"),
        ("standing_back_extension", "prone_press_up"),
        ("interval_walk", "posture_check_walk"),
    ],
)
def test_ladder_steps_run_both_ways(
    exercises: Mapping[str, Exercise], easier: str, harder: str
) -> None:
    assert harder in exercises[easier].progressions
    assert easier in exercises[harder].regressions


def test_childs_pose_has_a_regression_for_people_who_cannot_kneel(
    exercises: Mapping[str, Exercise],
) -> None:
    regressions = exercises["childs_pose"].regressions
    assert regressions
    assert any(not exercises[r].needs_floor for r in regressions)


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_stop_rules_cover_leg_symptoms_and_pain_monitoring(
    exercises: Mapping[str, Exercise], exercise_id: str
) -> None:
    rules = exercises[exercise_id].stop_rules
    assert any(PERIPHERALISATION.search(rule) for rule in rules), "no peripheralisation rule"
    assert any(PAIN_CEILING.search(rule) for rule in rules), "no 5/10 ceiling"
    assert any(NEXT_MORNING.search(rule) for rule in rules), "no next-morning rule"


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_one_bout_takes_under_five_minutes(
    exercises: Mapping[str, Exercise], exercise_id: str
) -> None:
    assert 0 < exercises[exercise_id].dose.seconds() < MAX_BOUT_S


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_steps_are_four_to_seven_plain_lines(
    exercises: Mapping[str, Exercise], exercise_id: str
) -> None:
    steps = exercises[exercise_id].steps
    assert 4 <= len(steps) <= 7
    # The list order is the numbering; the renderer adds "1.", "2.", ... itself.
    assert not [s for s in steps if OWN_NUMBER.match(s)], "a step carries its own number"
    assert all(s and s[0].isupper() for s in steps)


@pytest.mark.parametrize(("exercise_id", "relation", "pattern"), CLINICAL_CHOICES)
def test_clinical_choice(
    exercises: Mapping[str, Exercise], exercise_id: str, relation: str, pattern: str
) -> None:
    assert pattern in _patterns(exercises[exercise_id], relation)


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_no_pattern_is_both_suited_and_avoided(
    exercises: Mapping[str, Exercise], exercise_id: str
) -> None:
    exercise = exercises[exercise_id]
    assert not _patterns(exercise, "suits") & _patterns(exercise, "avoid_for")


def test_extension_exercises_suit_only_an_extension_preference(
    exercises: Mapping[str, Exercise],
) -> None:
    extension = [e for e in exercises.values() if e.direction is Direction.EXTENSION]
    assert {e.id for e in extension} >= {"prone_press_up", "standing_back_extension"}
    for exercise in extension:
        assert exercise.suits == (NONSPECIFIC,), exercise.id
        assert STENOSIS in _patterns(exercise, "avoid_for"), exercise.id
        assert "only" in exercise.purpose, exercise.id
        assert "backwards" in exercise.purpose, exercise.id


def test_flexion_exercises_all_suit_stenosis(exercises: Mapping[str, Exercise]) -> None:
    flexion = [e.id for e in exercises.values() if e.direction is Direction.FLEXION]
    assert flexion
    assert [i for i in flexion if STENOSIS not in exercises[i].suits] == []


def test_no_stenosis_exercise_is_extension_biased(exercises: Mapping[str, Exercise]) -> None:
    suited = [e for e in exercises.values() if STENOSIS in e.suits]
    assert [e.id for e in suited if e.direction is Direction.EXTENSION] == []


def test_russian_twist_is_kept_from_radicular_pain_as_expert_opinion(
    exercises: Mapping[str, Exercise],
) -> None:
    twist = exercises["russian_twist"]
    assert RADICULAR not in twist.suits
    (note,) = [n for n in twist.avoid_for if n.pattern == RADICULAR]
    assert "expert opinion" in note.why.lower()
    assert "McGill" in note.why
    assert "mcgill-low-back-disorders" in {s.id for s in twist.sources}


def test_loaded_rotation_is_never_offered_for_radicular_pain(
    exercises: Mapping[str, Exercise],
) -> None:
    rotation = [e for e in exercises.values() if e.direction is Direction.ROTATION]
    assert [e.id for e in rotation if RADICULAR in e.suits] == []


def test_walking_is_adapted_not_withheld(exercises: Mapping[str, Exercise]) -> None:
    walks = [e for e in exercises.values() if e.category is Category.WALKING]
    assert len(walks) >= 2
    for walk in walks:
        assert walk.avoid_for == (), walk.id
        assert {STENOSIS, VASCULAR} <= set(walk.suits), walk.id
        (vascular,) = [n for n in walk.modified_for if n.pattern == VASCULAR]
        assert "stand still" in vascular.how, walk.id
        assert "GP" in vascular.how, walk.id
        (stenosis,) = [n for n in walk.modified_for if n.pattern == STENOSIS]
        assert "sit" in stenosis.how, walk.id
        assert "lean forward" in stenosis.how, walk.id


def test_nothing_is_withheld_from_inflammatory_back_pain(
    exercises: Mapping[str, Exercise],
) -> None:
    assert [e.id for e in exercises.values() if INFLAMMATORY in _patterns(e, "avoid_for")] == []
    mobility = [e for e in exercises.values() if e.category is Category.MOBILITY]
    assert any(INFLAMMATORY in e.suits for e in mobility)


@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_every_exercise_cites_a_source_and_carries_review_dates(
    exercises: Mapping[str, Exercise], exercise_id: str
) -> None:
    exercise = exercises[exercise_id]
    assert exercise.sources
    assert exercise.review.date_reviewed < exercise.review.next_review
