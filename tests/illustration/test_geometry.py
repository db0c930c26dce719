"""Forward kinematics and layout: figures stand on the ground and stay in the picture."""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest

from backstride.illustration import (
    Illustration,
    Joint,
    KeyPose,
    Prop,
    RootPlacement,
    render_svg,
    scene,
)
from backstride.illustration.kinematics import bounding_box, outline, placements

from . import ILLUSTRATIONS, each_illustration, load

STANDING = {"posture_check_walk", "interval_walk", "standing_back_extension", "hip_flexor_stretch"}
GROUND_TOLERANCE = 1.5


def _pose(**angles_deg: float) -> KeyPose:
    joints = {joint: angles_deg.get(joint.value, 0.0) for joint in Joint}
    return KeyPose("p", 1.0, RootPlacement(100.0, 100.0, 0.0), MappingProxyType(joints))


def _lowest_y(pose: KeyPose) -> float:
    return max(circle.bottom_y for circle in outline(pose))


def test_rest_pose_stands_upright_with_the_sole_below_the_pelvis() -> None:
    frames = placements(_pose())
    assert frames[Joint.NECK].origin.x == pytest.approx(100.0)
    assert frames[Joint.NECK].origin.y < frames[Joint.LUMBAR].origin.y < 100.0
    assert frames[Joint.ANKLE_NEAR].origin.y == pytest.approx(100.0 + 4 + 43 + 42)
    assert _lowest_y(_pose()) == pytest.approx(100.0 + 4 + 43 + 42 + 8)


def test_flexion_moves_each_segment_the_anatomical_way() -> None:
    """Figure faces +x: hip flexion brings the knee forward, knee flexion the foot back."""
    hip = placements(_pose(hip_near=90))[Joint.KNEE_NEAR].origin
    assert hip.x == pytest.approx(100.0 + 43)
    assert hip.y == pytest.approx(104.0)
    knee = placements(_pose(knee_near=90))[Joint.ANKLE_NEAR].origin
    assert knee.x == pytest.approx(100.0 - 42)
    trunk = placements(_pose(lumbar=90))[Joint.NECK].origin
    assert trunk.x > 140.0
    arm = placements(_pose(shoulder_near=90))[Joint.ELBOW_NEAR].origin
    assert arm.x == pytest.approx(100.0 + 29)


def test_root_angle_lies_the_figure_down() -> None:
    face_down = placements(KeyPose("p", 1, RootPlacement(100, 100, 90), _pose().joints_deg))
    assert face_down[Joint.NECK].origin.x > 140.0  # head to the right
    assert face_down[Joint.NECK].origin.y == pytest.approx(100.0)


@pytest.mark.parametrize("exercise", sorted(STANDING))
def test_standing_poses_have_their_feet_on_the_floor(exercise: str) -> None:
    illustration = load(ILLUSTRATIONS / f"{exercise}.yaml")
    for pose in illustration.poses:
        feet = [c for c in outline(pose) if c.part.startswith("foot")]
        assert max(c.bottom_y for c in feet) == pytest.approx(scene.FLOOR_Y, abs=GROUND_TOLERANCE)
        assert pose.root.angle_deg == pytest.approx(0, abs=10)


@each_illustration
def test_every_pose_rests_on_the_ground_and_not_below_it(illustration: Illustration) -> None:
    ground_y = scene.ground_y(illustration.has(Prop.MAT))
    for pose in illustration.poses:
        assert _lowest_y(pose) == pytest.approx(ground_y, abs=GROUND_TOLERANCE), pose.name


@each_illustration
def test_every_pose_is_inside_the_view_box(illustration: Illustration) -> None:
    svg = render_svg(illustration)
    match = re.search(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"', svg)
    assert match
    left, top, width, height = (float(v) for v in match.groups())
    for pose in illustration.poses:
        box = bounding_box(pose)
        assert left <= box.left <= box.right <= left + width, pose.name
        assert top <= box.top <= box.bottom <= top + height, pose.name


@each_illustration
def test_consecutive_poses_differ_visibly(illustration: Illustration) -> None:
    poses = illustration.poses
    for before, after in zip(poses, poses[1:] + poses[:1], strict=True):
        joint_change = max(abs(before.angle_deg(j) - after.angle_deg(j)) for j in Joint)
        root_change = max(
            abs(before.root.x - after.root.x),
            abs(before.root.y - after.root.y),
            abs(before.root.angle_deg - after.root.angle_deg),
        )
        assert max(joint_change, root_change) >= 5, (before.name, after.name)


@pytest.mark.parametrize("colour", [scene.BODY, scene.FAR_LIMB, scene.HAIR, scene.FLOOR])
def test_figure_contrasts_with_the_background(colour: str) -> None:
    assert scene.contrast_ratio(colour, scene.BACKGROUND) >= 3.0


def test_contrast_ratio_matches_wcag_extremes() -> None:
    assert scene.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert scene.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
