"""One illustration as a standalone, accessible SVG string."""

from __future__ import annotations

import hashlib
import math

from backstride.illustration import scene
from backstride.illustration.figure import css_tracks, figure_svg
from backstride.illustration.kinematics import bounding_box
from backstride.illustration.model import Illustration, Prop
from backstride.illustration.motion import style_sheet
from backstride.illustration.props import props_svg
from backstride.illustration.shapes import attr, num


def render_svg(
    illustration: Illustration, *, animate: bool = True, title: str | None = None
) -> str:
    """The illustration as SVG: background, floor and props, and the posed figure.

    With ``animate`` the figure loops through its key positions (still under
    ``prefers-reduced-motion: reduce``, showing the first); without it, the first key
    position only, for print. ``title`` defaults to the exercise id in words. Class and id
    names carry a prefix unique to this illustration, so several SVGs can share a page.
    """
    prefix = _prefix(illustration, animate)
    tracks = css_tracks(illustration)
    moving = (
        frozenset(key for key, values in tracks.items() if len(set(values)) > 1)
        if animate
        else frozenset()
    )
    holds_s = [pose.hold_s for pose in illustration.poses]
    css = style_sheet(prefix, {k: tracks[k] for k in moving}, holds_s, illustration.loop_s)
    heading = title if title is not None else illustration.exercise.replace("_", " ").capitalize()
    top = view_top(illustration)
    width, height = num(scene.WIDTH), num(scene.HEIGHT - top)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {num(top)} {width} {height}" '
        f'role="img" aria-labelledby="{prefix}-title {prefix}-desc" class="{prefix}">'
        f'<title id="{prefix}-title">{attr(heading)}</title>'
        f'<desc id="{prefix}-desc">{attr(illustration.alt)}</desc>'
        f"<style>{css}</style>"
        f'<rect y="{num(top)}" width="{width}" height="{height}" rx="12" '
        f'fill="{scene.BACKGROUND}"/>'
        f"{props_svg(illustration)}"
        f"{figure_svg(illustration, prefix, moving)}"
        "</svg>"
    )


def view_top(illustration: Illustration) -> float:
    """The top of the viewBox: the scene is cropped to the figure (and chair) over every pose.

    Lying and kneeling figures get a low, wide picture instead of one mostly empty.
    The crop keeps ``scene.TOP_MARGIN`` above the highest point, in steps of 10 units.
    """
    highest = min(bounding_box(pose).top for pose in illustration.poses)
    if illustration.has(Prop.CHAIR):
        highest = min(highest, scene.FLOOR_Y - scene.CHAIR_BACK_HEIGHT)
    top = math.floor((highest - scene.TOP_MARGIN) / 10) * 10
    return float(max(0, min(top, scene.FLOOR_Y - scene.MIN_VIEW_HEIGHT)))


def _prefix(illustration: Illustration, animate: bool) -> str:
    """``bs-<exercise>-<hash>``: stable for the same drawing, different for another one."""
    digest = hashlib.sha256(repr((illustration, animate)).encode()).hexdigest()[:6]
    return f"bs-{illustration.exercise.replace('_', '-')}-{digest}"
