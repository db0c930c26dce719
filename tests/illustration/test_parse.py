"""Illustration files: every exercise has one, each parses, and broken data names its field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backstride.illustration import Illustration, IllustrationError, Joint, parse_illustration

from . import FILES, each_illustration, load

EXERCISE_IDS = {
    "seated_forward_bend", "cat_camel", "childs_pose", "plank", "bird_dog", "russian_twist",
    "bridge", "knee_to_chest", "pelvic_tilt", "side_plank", "dead_bug", "hip_flexor_stretch",
    "hamstring_stretch", "figure_four_stretch", "prone_press_up", "posture_check_walk",
    "interval_walk", "mcgill_curl_up", "standing_back_extension", "clamshell",
}  # fmt: skip

VALID: dict[str, Any] = {
    "exercise": "test_move",
    "alt": "A person stands, then bends one knee and straightens it again.",
    "props": ["floor"],
    "loop_s": 4,
    "poses": [
        {"name": "standing", "hold_s": 1, "root": {"x": 170, "y": 125, "angle_deg": 0}},
        {
            "name": "knee bent",
            "hold_s": 1,
            "root": {"x": 170, "y": 125},
            "joints": {"hip_near": 40, "knee_near": 60},
        },
    ],
}


def _with(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _error(data: object) -> IllustrationError:
    with pytest.raises(IllustrationError) as caught:
        parse_illustration(data, "test.yaml")
    return caught.value


def test_every_exercise_has_exactly_one_illustration() -> None:
    assert {f.stem for f in FILES} == EXERCISE_IDS


@each_illustration
def test_file_names_match_their_exercise(illustration: Illustration) -> None:
    assert illustration.exercise in EXERCISE_IDS
    assert load(next(f for f in FILES if f.stem == illustration.exercise)) == illustration


@each_illustration
def test_every_file_has_two_to_four_poses_and_plain_alt_text(illustration: Illustration) -> None:
    assert 2 <= len(illustration.poses) <= 4
    assert len(illustration.alt.split()) >= 12
    assert sum(p.hold_s for p in illustration.poses) < illustration.loop_s


def test_valid_data_builds_frozen_illustration_with_every_joint() -> None:
    result = parse_illustration(VALID, "test.yaml")
    assert result.poses[1].angle_deg(Joint.KNEE_NEAR) == 60
    assert result.poses[0].angle_deg(Joint.KNEE_NEAR) == 0  # left out: rest pose
    assert set(result.poses[0].joints_deg) == set(Joint)
    with pytest.raises(AttributeError):
        result.loop_s = 9  # type: ignore[misc]


def test_unknown_joint_names_the_field() -> None:
    error = _error(_with(("poses", 1, "joints"), {"knee_nar": 10}))
    assert error.path == "poses[1].joints.knee_nar"
    assert "unknown joint" in str(error)
    assert str(error).startswith("test.yaml: poses[1].joints.knee_nar")


def test_implausible_angle_names_the_field_and_range() -> None:
    error = _error(_with(("poses", 0, "joints"), {"knee_far": -30}))
    assert error.path == "poses[0].joints.knee_far"
    assert "plausible range 0 to 160" in error.message


@pytest.mark.parametrize(
    ("path", "value", "expected_path"),
    [
        (("poses", 1, "root", "angle"), 5, "poses[1].root.angle"),
        (("poses", 0, "hold_s"), "long", "poses[0].hold_s"),
        (("props",), ["sofa"], "props[0]"),
        (("alt",), "short", "alt"),
        (("poses",), [VALID["poses"][0]], "poses"),
        (("loop_s",), 2.5, "loop_s"),
        (("poses", 1, "root", "x"), 900, "poses[1].root"),
    ],
)
def test_bad_fields_are_named(
    path: tuple[str | int, ...], value: object, expected_path: str
) -> None:
    assert _error(_with(path, value)).path == expected_path


def test_a_pose_equal_to_the_one_before_is_refused() -> None:
    error = _error(_with(("poses", 1), {**VALID["poses"][0], "name": "again"}))
    assert error.path == "poses[1]"
    assert "nothing moves" in error.message


def test_duplicate_pose_names_are_refused() -> None:
    assert _error(_with(("poses", 1, "name"), "standing")).path == "poses[1].name"


def test_not_a_mapping_is_an_illustration_error() -> None:
    assert isinstance(_error(["not", "a", "mapping"]), ValueError)
