"""Drawing geometry of the side-view figure: joints, where they sit, and the body's shapes.

This is drawing geometry, not clinical data. Lengths are scene units (roughly 1 cm of an
adult about 1.76 m tall), chosen so the figure reads well at phone size.

Coordinates are SVG user space: x to the right, **y down**. The figure faces +x (right).
In the *rest pose* (every angle 0) the figure stands upright: trunk and head up, arms
hanging, legs straight, feet flat and pointing forward. Every joint frame is then a pure
translation of the pelvis frame, so a joint's ``offset`` is simply where it sits relative
to its parent joint when standing, and a shape's points are given in its joint's frame.

Joint angles are anatomical, in degrees, **flexion positive** and extension negative (see
``JointSpec.flexion`` for what that means at each joint). ``screen_sign`` turns a joint
angle into a screen rotation: +1 when flexion turns the segment clockwise on screen, the
sense of SVG/CSS ``rotate()`` with y down.

"Near" limbs are on the viewer's side and drawn in front of the trunk; "far" limbs are
drawn behind it, in a lighter tone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final


class Joint(enum.StrEnum):
    """A posable joint. The pelvis is the root and is placed by ``RootPlacement`` instead."""

    LUMBAR = "lumbar"
    THORACIC = "thoracic"
    NECK = "neck"
    SHOULDER_NEAR = "shoulder_near"
    ELBOW_NEAR = "elbow_near"
    SHOULDER_FAR = "shoulder_far"
    ELBOW_FAR = "elbow_far"
    HIP_NEAR = "hip_near"
    KNEE_NEAR = "knee_near"
    ANKLE_NEAR = "ankle_near"
    HIP_FAR = "hip_far"
    KNEE_FAR = "knee_far"
    ANKLE_FAR = "ankle_far"


class Tone(enum.Enum):
    """Which colour a shape is filled with."""

    BODY = "body"  # trunk, head and near limbs
    FAR = "far"  # limbs on the far side, behind the trunk
    HAIR = "hair"


@dataclass(frozen=True, slots=True)
class Point:
    """A point in scene units (x right, y down)."""

    x: float
    y: float


@dataclass(frozen=True, slots=True)
class JointSpec:
    """One joint: its parent (None for the pelvis), rest offset, sign and plausible range."""

    joint: Joint
    parent: Joint | None
    offset: Point
    screen_sign: int
    range_deg: tuple[float, float]
    flexion: str


@dataclass(frozen=True, slots=True)
class Capsule:
    """A rounded, tapered limb shape between two circles, drawn in one joint's frame.

    ``frame`` None means the pelvis frame. Radii are scene units.
    """

    part: str
    frame: Joint | None
    start: Point
    end: Point
    start_r: float
    end_r: float
    tone: Tone


@dataclass(frozen=True, slots=True)
class Disc:
    """A filled circle drawn in one joint's frame (the head, the hair behind it)."""

    part: str
    frame: Joint
    centre: Point
    r: float
    tone: Tone


_SPINE_RANGE_DEG: Final = (-40.0, 70.0)

# Rest offsets (standing): pelvis at (0, 0); hips just below it; spine straight up.
_SHOULDER: Final = Point(0.0, -23.0)
_HIP: Final = Point(0.0, 4.0)
_ELBOW: Final = Point(0.0, 29.0)
_KNEE: Final = Point(0.0, 43.0)
_ANKLE: Final = Point(0.0, 42.0)

JOINTS: Final[tuple[JointSpec, ...]] = (
    JointSpec(
        Joint.LUMBAR, None, Point(0.0, -4.0), 1, _SPINE_RANGE_DEG, "lower back bends forward"
    ),
    JointSpec(
        Joint.THORACIC,
        Joint.LUMBAR,
        Point(0.0, -22.0),
        1,
        (-30.0, 50.0),
        "upper back rounds forward",
    ),
    JointSpec(Joint.NECK, Joint.THORACIC, Point(0.0, -27.0), 1, (-50.0, 60.0), "chin drops"),
    JointSpec(
        Joint.SHOULDER_NEAR, Joint.THORACIC, _SHOULDER, -1, (-70.0, 185.0), "arm raises forward"
    ),
    JointSpec(Joint.ELBOW_NEAR, Joint.SHOULDER_NEAR, _ELBOW, -1, (0.0, 150.0), "elbow bends"),
    JointSpec(
        Joint.SHOULDER_FAR, Joint.THORACIC, _SHOULDER, -1, (-70.0, 185.0), "arm raises forward"
    ),
    JointSpec(Joint.ELBOW_FAR, Joint.SHOULDER_FAR, _ELBOW, -1, (0.0, 150.0), "elbow bends"),
    JointSpec(Joint.HIP_NEAR, None, _HIP, -1, (-35.0, 145.0), "thigh comes forward"),
    JointSpec(Joint.KNEE_NEAR, Joint.HIP_NEAR, _KNEE, 1, (0.0, 160.0), "knee bends"),
    JointSpec(
        Joint.ANKLE_NEAR, Joint.KNEE_NEAR, _ANKLE, -1, (-80.0, 35.0), "toes come up to the shin"
    ),
    JointSpec(Joint.HIP_FAR, None, _HIP, -1, (-35.0, 145.0), "thigh comes forward"),
    JointSpec(Joint.KNEE_FAR, Joint.HIP_FAR, _KNEE, 1, (0.0, 160.0), "knee bends"),
    JointSpec(
        Joint.ANKLE_FAR, Joint.KNEE_FAR, _ANKLE, -1, (-80.0, 35.0), "toes come up to the shin"
    ),
)
"""Every joint, parents before children."""

SPECS: Final[dict[Joint, JointSpec]] = {spec.joint: spec for spec in JOINTS}

SOLE_BELOW_ANKLE: Final = 8.0
"""How far the sole of a flat foot is below the ankle joint, scene units."""


def _arm(side: str, shoulder: Joint, elbow: Joint, tone: Tone) -> tuple[Capsule, ...]:
    return (
        Capsule(f"upper_arm_{side}", shoulder, Point(0, 0), Point(0, 27), 5.6, 4.6, tone),
        Capsule(f"forearm_{side}", elbow, Point(0, 0), Point(0, 23), 4.6, 3.6, tone),
        Capsule(f"hand_{side}", elbow, Point(0, 24.5), Point(0.6, 30.5), 4.3, 3.4, tone),
    )


def _leg(side: str, hip: Joint, knee: Joint, ankle: Joint, tone: Tone) -> tuple[Capsule, ...]:
    return (
        Capsule(f"thigh_{side}", hip, Point(0, 0), Point(0, 43), 8.6, 6.0, tone),
        Capsule(f"shank_{side}", knee, Point(0, 0), Point(0, 41), 6.0, 4.0, tone),
        Capsule(f"foot_{side}", ankle, Point(-2.0, 3.5), Point(15.0, 5.0), 4.5, 3.0, tone),
    )


TORSO: Final[tuple[Capsule, ...]] = (
    Capsule("pelvis", None, Point(-2.0, -1.0), Point(1.5, 1.5), 12.0, 11.5, Tone.BODY),
    Capsule("abdomen", Joint.LUMBAR, Point(0, 0), Point(0, -22), 11.5, 12.0, Tone.BODY),
    Capsule("chest", Joint.THORACIC, Point(0, 0), Point(0, -16.5), 12.0, 12.5, Tone.BODY),
    Capsule("neck", Joint.NECK, Point(0, 0), Point(0.5, -9), 4.6, 4.4, Tone.BODY),
)
HEAD: Final[tuple[Disc, ...]] = (
    Disc("hair", Joint.NECK, Point(-1.2, -17.8), 11.0, Tone.HAIR),
    Disc("face", Joint.NECK, Point(1.4, -16.0), 10.0, Tone.BODY),
)
ARM_NEAR: Final = _arm("near", Joint.SHOULDER_NEAR, Joint.ELBOW_NEAR, Tone.BODY)
ARM_FAR: Final = _arm("far", Joint.SHOULDER_FAR, Joint.ELBOW_FAR, Tone.FAR)
LEG_NEAR: Final = _leg("near", Joint.HIP_NEAR, Joint.KNEE_NEAR, Joint.ANKLE_NEAR, Tone.BODY)
LEG_FAR: Final = _leg("far", Joint.HIP_FAR, Joint.KNEE_FAR, Joint.ANKLE_FAR, Tone.FAR)

HAND_TIP: Final = Point(0.6, 30.5)
"""The hand's end in the elbow frame (where a pole is held)."""


def chain(joint: Joint) -> tuple[Joint, ...]:
    """The joints from the pelvis down to ``joint``, outermost first."""
    joints: list[Joint] = []
    current: Joint | None = joint
    while current is not None:
        joints.append(current)
        current = SPECS[current].parent
    return tuple(reversed(joints))
