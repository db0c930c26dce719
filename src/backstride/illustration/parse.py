"""From a loaded illustration file to an ``Illustration``, or an error naming the field."""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Final

from pydantic import ValidationError

from backstride.illustration import scene
from backstride.illustration.errors import IllustrationError
from backstride.illustration.model import Illustration, KeyPose, Prop, RootPlacement
from backstride.illustration.schema import IllustrationFile, PoseFile
from backstride.illustration.skeleton import JOINTS, SPECS, Joint

MIN_TRANSITION_S: Final = 0.4
"""The shortest move between two key positions: quicker than this reads as a jump."""


def parse_illustration(data: object, name: str) -> Illustration:
    """Check ``data`` (as read from YAML) and build the illustration.

    ``name`` is where the data came from (a file name), used in error messages. Raises
    ``IllustrationError`` whose ``path`` names the field, e.g. ``poses[1].joints.knee_nar``.
    """
    try:
        file = IllustrationFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise IllustrationError(_path(first["loc"]), first["msg"], source=name) from None
    poses = tuple(_pose(pose, f"poses[{i}]", name) for i, pose in enumerate(file.poses))
    _check_names(poses, name)
    _check_timing(file.loop_s, poses, name)
    _check_something_moves(poses, name)
    props = tuple(dict.fromkeys(Prop(p) for p in file.props))
    return Illustration(file.exercise, file.alt.strip(), props, file.loop_s, poses)


def _path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path or "(file)"


def _pose(pose: PoseFile, path: str, source: str) -> KeyPose:
    root = pose.root
    if not (0 <= root.x <= scene.WIDTH and 0 <= root.y <= scene.HEIGHT):
        raise IllustrationError(
            f"{path}.root",
            f"the pelvis at ({root.x}, {root.y}) is outside the "
            f"{scene.WIDTH:g} x {scene.HEIGHT:g} scene",
            source=source,
        )
    angles: dict[Joint, float] = {spec.joint: 0.0 for spec in JOINTS}
    for key, angle_deg in pose.joints.items():
        field = f"{path}.joints.{key}"
        try:
            joint = Joint(key)
        except ValueError:
            known = ", ".join(j.value for j in Joint)
            raise IllustrationError(
                field, f"unknown joint (known: {known})", source=source
            ) from None
        low, high = SPECS[joint].range_deg
        if not (math.isfinite(angle_deg) and low <= angle_deg <= high):
            raise IllustrationError(
                field,
                f"{angle_deg:g} degrees is outside the plausible range {low:g} to {high:g} "
                f"(positive: {SPECS[joint].flexion})",
                source=source,
            )
        angles[joint] = float(angle_deg)
    return KeyPose(
        pose.name,
        pose.hold_s,
        RootPlacement(root.x, root.y, root.angle_deg),
        MappingProxyType(angles),
    )


def _check_names(poses: tuple[KeyPose, ...], source: str) -> None:
    seen: set[str] = set()
    for i, pose in enumerate(poses):
        if pose.name in seen:
            raise IllustrationError(
                f"poses[{i}].name", f"{pose.name!r} names an earlier pose too", source=source
            )
        seen.add(pose.name)


def _check_timing(loop_s: float, poses: tuple[KeyPose, ...], source: str) -> None:
    needed_s = sum(p.hold_s for p in poses) + MIN_TRANSITION_S * len(poses)
    if loop_s < needed_s:
        raise IllustrationError(
            "loop_s",
            f"{loop_s:g} s leaves too little time to move: the holds plus "
            f"{MIN_TRANSITION_S:g} s per move need {needed_s:g} s",
            source=source,
        )


def _check_something_moves(poses: tuple[KeyPose, ...], source: str) -> None:
    """Each key position must differ from the one before it (the last from the first)."""
    for i in (*range(1, len(poses)), 0):
        pose, before = poses[i], poses[i - 1]
        if pose.root == before.root and pose.joints_deg == before.joints_deg:
            j = (i - 1) % len(poses)
            raise IllustrationError(
                f"poses[{i}]",
                f"is the same position as poses[{j}] ({before.name!r}): nothing moves",
                source=source,
            )
