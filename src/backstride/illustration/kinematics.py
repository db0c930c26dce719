"""Forward kinematics: where each joint frame and each body shape lands in the scene.

A *placement* maps a frame's local point ``p`` to the scene as ``origin + R(angle) p``,
where ``R`` turns clockwise on screen (y down) by ``angle_deg``: the same as nesting SVG
groups ``translate(origin) rotate(angle)``. The renderer nests groups; this module
computes the same thing in numbers, for layout (mat, poles) and for checks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backstride.illustration.model import KeyPose
from backstride.illustration.skeleton import (
    ARM_FAR,
    ARM_NEAR,
    HEAD,
    JOINTS,
    LEG_FAR,
    LEG_NEAR,
    TORSO,
    Joint,
    Point,
)


@dataclass(frozen=True, slots=True)
class Placement:
    """A frame in the scene: its origin and its total clockwise rotation in degrees."""

    origin: Point
    angle_deg: float

    def apply(self, local: Point) -> Point:
        a = math.radians(self.angle_deg)
        cos_a, sin_a = math.cos(a), math.sin(a)
        return Point(
            self.origin.x + cos_a * local.x - sin_a * local.y,
            self.origin.y + sin_a * local.x + cos_a * local.y,
        )


@dataclass(frozen=True, slots=True)
class Circle:
    """A scene-space circle covering part of the figure (a shape's end or the head)."""

    part: str
    centre: Point
    r: float

    @property
    def bottom_y(self) -> float:
        return self.centre.y + self.r


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned bounding box in scene units."""

    left: float
    top: float
    right: float
    bottom: float


def screen_angle_deg(joint: Joint, angle_deg: float) -> float:
    """The clockwise screen rotation of a joint's segment for an anatomical angle."""
    return _SIGNS[joint] * angle_deg


def placements(pose: KeyPose) -> dict[Joint | None, Placement]:
    """Every frame of the pose in the scene; the key None is the pelvis."""
    root = Placement(Point(pose.root.x, pose.root.y), pose.root.angle_deg)
    frames: dict[Joint | None, Placement] = {None: root}
    for spec in JOINTS:
        parent = frames[spec.parent]
        frames[spec.joint] = Placement(
            parent.apply(spec.offset),
            parent.angle_deg + screen_angle_deg(spec.joint, pose.angle_deg(spec.joint)),
        )
    return frames


def outline(pose: KeyPose) -> tuple[Circle, ...]:
    """Circles whose union's hull covers the whole figure in this pose.

    Each tapered capsule lies within the hull of its two end circles, so the end circles
    plus the head bound every shape drawn.
    """
    frames = placements(pose)
    circles: list[Circle] = []
    for capsule in (*TORSO, *ARM_FAR, *ARM_NEAR, *LEG_FAR, *LEG_NEAR):
        frame = frames[capsule.frame]
        circles.append(Circle(capsule.part, frame.apply(capsule.start), capsule.start_r))
        circles.append(Circle(capsule.part, frame.apply(capsule.end), capsule.end_r))
    for disc in HEAD:
        circles.append(Circle(disc.part, frames[disc.frame].apply(disc.centre), disc.r))
    return tuple(circles)


def bounding_box(pose: KeyPose) -> Box:
    """The smallest box holding the whole figure in this pose."""
    circles = outline(pose)
    return Box(
        min(c.centre.x - c.r for c in circles),
        min(c.centre.y - c.r for c in circles),
        max(c.centre.x + c.r for c in circles),
        max(c.centre.y + c.r for c in circles),
    )


_SIGNS = {spec.joint: spec.screen_sign for spec in JOINTS}
