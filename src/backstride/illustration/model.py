"""An exercise illustration as immutable data: props, timing and key positions."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from backstride.illustration.skeleton import Joint


class Prop(enum.StrEnum):
    """Things drawn around the figure. The floor is always drawn."""

    FLOOR = "floor"
    MAT = "mat"
    CHAIR = "chair"
    WALL = "wall"
    STEP = "step"
    POLES = "poles"


@dataclass(frozen=True, slots=True)
class RootPlacement:
    """Where the pelvis is: scene units (x right, y down) and a rotation in degrees.

    ``angle_deg`` 0 is upright (standing or sitting); positive turns the whole figure
    clockwise on screen, so 90 is lying face down with the head to the right and -90 is
    lying on the back with the head to the left.
    """

    x: float
    y: float
    angle_deg: float


@dataclass(frozen=True, slots=True)
class KeyPose:
    """One key position: held for ``hold_s`` seconds in the loop.

    ``joints_deg`` has every joint (those the file leaves out are 0, the rest pose).
    """

    name: str
    hold_s: float
    root: RootPlacement
    joints_deg: Mapping[Joint, float]

    def angle_deg(self, joint: Joint) -> float:
        return self.joints_deg[joint]


@dataclass(frozen=True, slots=True)
class Illustration:
    """How one exercise is drawn: 2 to 4 key positions looped over ``loop_s`` seconds."""

    exercise: str
    alt: str
    props: tuple[Prop, ...]
    loop_s: float
    poses: tuple[KeyPose, ...]

    def has(self, prop: Prop) -> bool:
        return prop is Prop.FLOOR or prop in self.props
