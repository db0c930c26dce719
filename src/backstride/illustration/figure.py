"""The figure as nested SVG groups, one per joint, each rotating about its joint.

Each joint is a pair of groups: an outer ``translate`` puts the joint's origin where the
joint sits in its parent's frame (fixed), and an inner group rotates about that origin by
the joint's angle (the only thing that changes between key positions). The inner group
carries the first pose as its ``transform`` attribute, so with animation off the figure is
right; CSS animates the same groups by class.

Draw order is back to front: far arm, far leg, trunk and head, near leg, near arm. Each
limb is its own chain from the pelvis, repeating the trunk's (invisible) groups, which share
the trunk's classes and so move with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from backstride.illustration import scene
from backstride.illustration.kinematics import placements, screen_angle_deg
from backstride.illustration.model import Illustration, KeyPose, Prop
from backstride.illustration.shapes import capsule_path, circle_path, num
from backstride.illustration.skeleton import (
    ARM_FAR,
    ARM_NEAR,
    HAND_TIP,
    HEAD,
    LEG_FAR,
    LEG_NEAR,
    SPECS,
    TORSO,
    Capsule,
    Disc,
    Joint,
    Tone,
    chain,
)

ROOT_KEY = "root"
POLE_TILT_DEG = 12.0
"""A held pole leans back from the hand by this much (clockwise on screen)."""

_FILL = {Tone.BODY: scene.BODY, Tone.FAR: scene.FAR_LIMB, Tone.HAIR: scene.HAIR}
_HALO_WIDTH = 3.0
_POLE_OF = {Joint.ELBOW_NEAR: "pole_near", Joint.ELBOW_FAR: "pole_far"}


def css_tracks(illustration: Illustration) -> dict[str, tuple[str, ...]]:
    """Each group's CSS ``transform`` at each key position, keyed by group name."""
    tracks = {
        ROOT_KEY: tuple(
            f"translate({num(p.root.x)}px,{num(p.root.y)}px) rotate({num(p.root.angle_deg)}deg)"
            for p in illustration.poses
        )
    }
    for joint in Joint:
        tracks[joint.value] = tuple(
            f"rotate({num(screen_angle_deg(joint, p.angle_deg(joint)))}deg)"
            for p in illustration.poses
        )
    if illustration.has(Prop.POLES):
        for elbow, key in _POLE_OF.items():
            tracks[key] = tuple(
                f"rotate({num(_pole_deg(p, elbow))}deg)" for p in illustration.poses
            )
    return tracks


def figure_svg(illustration: Illustration, prefix: str, moving: frozenset[str]) -> str:
    """The figure in its first key position, with classes on the groups in ``moving``."""
    drawing = _Drawing(illustration, prefix, moving)
    return f'<g class="{prefix}-figure">{"".join(drawing.chain(*layer) for layer in _LAYERS)}</g>'


_Layer = tuple[Joint, tuple[Capsule, ...], bool]
_LAYERS: tuple[_Layer, ...] = (
    (Joint.ELBOW_FAR, ARM_FAR, False),
    (Joint.ANKLE_FAR, LEG_FAR, False),
    (Joint.NECK, TORSO, False),
    (Joint.ANKLE_NEAR, LEG_NEAR, True),
    (Joint.ANKLE_NEAR, LEG_NEAR, False),
    (Joint.ELBOW_NEAR, ARM_NEAR, True),
    (Joint.ELBOW_NEAR, ARM_NEAR, False),
)
"""Back to front: (last joint of the chain, its shapes, halo pass?).

A near limb is drawn twice: first a halo (its shapes in the background colour, widened),
then its shapes. The halo parts it from the trunk behind it, and the second pass covers
the halo inside the limb, so the limb reads as one smooth shape without seams.
"""


@dataclass(frozen=True, slots=True)
class _Drawing:
    illustration: Illustration
    prefix: str
    moving: frozenset[str]

    def chain(self, last: Joint, shapes: tuple[Capsule, ...], halo: bool) -> str:
        """Nested groups from the pelvis to ``last``, drawing ``shapes`` in their frames."""
        pose = self.illustration.poses[0]
        root = pose.root
        opening = [
            self.open(
                ROOT_KEY,
                f"translate({num(root.x)} {num(root.y)}) rotate({num(root.angle_deg)})",
            )
            + _shapes(shapes, None, halo)
        ]
        closing = ["</g>"]
        for joint in chain(last):
            offset = SPECS[joint].offset
            angle = screen_angle_deg(joint, pose.angle_deg(joint))
            inner = _shapes(shapes, joint, halo)
            if joint is Joint.NECK:
                inner += "".join(_disc(disc) for disc in HEAD)
            if joint in _POLE_OF and self.illustration.has(Prop.POLES) and not halo:
                inner += self.pole(pose, joint)
            opening.append(
                f'<g transform="translate({num(offset.x)} {num(offset.y)})">'
                + self.open(joint.value, f"rotate({num(angle)})")
                + inner
            )
            closing.append("</g></g>")
        return "".join(opening) + "".join(reversed(closing))

    def open(self, key: str, transform: str) -> str:
        prefix = self.prefix
        classes = f"{prefix}-j {prefix}-a {prefix}-{key}" if key in self.moving else f"{prefix}-j"
        return f'<g class="{classes}" transform="{transform}">'

    def pole(self, pose: KeyPose, elbow: Joint) -> str:
        """A walking pole held in the hand, long enough to reach the floor in the first pose."""
        hand = placements(pose)[elbow].apply(HAND_TIP)
        length = max(scene.FLOOR_Y - hand.y, 20.0) / math.cos(math.radians(POLE_TILT_DEG))
        colour = scene.POLE if elbow is Joint.ELBOW_NEAR else scene.FAR_LIMB
        return (
            f'<g transform="translate({num(HAND_TIP.x)} {num(HAND_TIP.y - 3)})">'
            + self.open(_POLE_OF[elbow], f"rotate({num(_pole_deg(pose, elbow))})")
            + f'<path d="M0 -6V{num(length)}" stroke="{colour}" stroke-width="2.4" '
            'stroke-linecap="round"/></g></g>'
        )


def _shapes(shapes: Sequence[Capsule], frame: Joint | None, halo: bool) -> str:
    drawn = []
    for shape in shapes:
        if shape.frame is not frame:
            continue
        path = capsule_path(shape.start, shape.end, shape.start_r, shape.end_r)
        paint = (
            f'fill="{scene.OUTLINE}" stroke="{scene.OUTLINE}" stroke-width="{_HALO_WIDTH}"'
            if halo
            else f'fill="{_FILL[shape.tone]}"'
        )
        drawn.append(f'<path d="{path}" {paint}/>')
    return "".join(drawn)


def _disc(disc: Disc) -> str:
    return f'<path d="{circle_path(disc.centre, disc.r)}" fill="{_FILL[disc.tone]}"/>'


def _pole_deg(pose: KeyPose, elbow: Joint) -> float:
    """Turn the pole's group so it hangs down from the hand whatever the arm does."""
    return POLE_TILT_DEG - placements(pose)[elbow].angle_deg
