"""The floor and the props, drawn behind the figure and fitted to it.

The mat spans the figure over all its key positions; the chair and step are placed by the
pelvis in the first key position (a chair's seat is under it, a step in front of it).
"""

from __future__ import annotations

from backstride.illustration import scene
from backstride.illustration.kinematics import bounding_box
from backstride.illustration.model import Illustration, Prop
from backstride.illustration.shapes import num

_MAT_MARGIN = 10.0


def props_svg(illustration: Illustration) -> str:
    """Wall, floor, step, mat and chair, as far as the illustration uses them."""
    parts = []
    if illustration.has(Prop.WALL):
        parts.append(_wall())
    parts.append(_floor())
    if illustration.has(Prop.STEP):
        parts.append(_step(illustration.poses[0].root.x))
    if illustration.has(Prop.MAT):
        parts.append(_mat(illustration))
    if illustration.has(Prop.CHAIR):
        parts.append(_chair(illustration.poses[0].root.x))
    return "".join(parts)


def _floor() -> str:
    return (
        f'<rect x="0" y="{num(scene.FLOOR_Y)}" width="{num(scene.WIDTH)}" '
        f'height="{num(scene.HEIGHT - scene.FLOOR_Y)}" fill="{scene.WALL}"/>'
        f'<path d="M0 {num(scene.FLOOR_Y)}H{num(scene.WIDTH)}" stroke="{scene.FLOOR}" '
        'stroke-width="2.5"/>'
    )


def _wall() -> str:
    return (
        f'<rect x="0" y="0" width="{num(scene.WALL_X)}" height="{num(scene.FLOOR_Y)}" '
        f'fill="{scene.WALL}"/><path d="M{num(scene.WALL_X)} 0V{num(scene.FLOOR_Y)}" '
        f'stroke="{scene.FLOOR}" stroke-width="2"/>'
    )


def _mat(illustration: Illustration) -> str:
    boxes = [bounding_box(pose) for pose in illustration.poses]
    left = max(min(b.left for b in boxes) - _MAT_MARGIN, 4.0)
    right = min(max(b.right for b in boxes) + _MAT_MARGIN, scene.WIDTH - 4.0)
    top = scene.FLOOR_Y - scene.MAT_THICKNESS
    return (
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(right - left)}" '
        f'height="{num(scene.MAT_THICKNESS + 1)}" rx="2" fill="{scene.MAT}" '
        f'stroke="{scene.MAT_EDGE}" stroke-width="1.2"/>'
    )


def _chair(pelvis_x: float) -> str:
    """A plain side-view chair whose seat is under the pelvis, backrest behind it."""
    seat_y = scene.FLOOR_Y - scene.CHAIR_SEAT_HEIGHT
    back_x, front_x = pelvis_x - 18.0, pelvis_x + 24.0
    legs = (
        f"M{num(back_x + 3)} {num(seat_y + 3)}V{num(scene.FLOOR_Y)}"
        f"M{num(front_x - 3)} {num(seat_y + 3)}V{num(scene.FLOOR_Y)}"
    )
    far_legs = (
        f"M{num(back_x + 8)} {num(seat_y + 3)}V{num(scene.FLOOR_Y - 1)}"
        f"M{num(front_x + 2)} {num(seat_y + 3)}V{num(scene.FLOOR_Y - 1)}"
    )
    backrest_top = scene.FLOOR_Y - scene.CHAIR_BACK_HEIGHT
    backrest = f"M{num(back_x + 1)} {num(seat_y)}L{num(back_x - 4)} {num(backrest_top)}"
    return (
        f'<g stroke-linecap="round" fill="none">'
        f'<path d="{far_legs}" stroke="{scene.FURNITURE_LIGHT}" stroke-width="3.5"/>'
        f'<path d="{legs}{backrest}" stroke="{scene.FURNITURE}" stroke-width="4.5"/>'
        f'<path d="M{num(back_x - 1)} {num(seat_y + 1.5)}H{num(front_x + 2)}" '
        f'stroke="{scene.FURNITURE}" stroke-width="5"/></g>'
    )


def _step(pelvis_x: float) -> str:
    left = pelvis_x + 30.0
    top = scene.FLOOR_Y - scene.STEP_HEIGHT
    return (
        f'<rect x="{num(left)}" y="{num(top)}" width="60" height="{num(scene.STEP_HEIGHT)}" '
        f'rx="2" fill="{scene.FURNITURE_LIGHT}" stroke="{scene.FURNITURE}" stroke-width="2"/>'
    )
