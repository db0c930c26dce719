"""Small SVG building blocks: number formatting, escaping, and the tapered capsule path."""

from __future__ import annotations

import math
from html import escape

from backstride.illustration.skeleton import Point


def num(value: float) -> str:
    """A number for SVG/CSS: at most two decimals, no trailing zeros, no ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def attr(text: str) -> str:
    """Text escaped for an XML attribute or element."""
    return escape(text, quote=True)


def capsule_path(start: Point, end: Point, start_r: float, end_r: float) -> str:
    """An SVG path for a tapered capsule: two circles joined by their outer tangents.

    Traced as: start circle's tangent point, straight to the end circle, round the end
    cap, straight back, round the start cap.
    """
    dx, dy = end.x - start.x, end.y - start.y
    length = math.hypot(dx, dy)
    if length <= abs(start_r - end_r):
        centre, r = (start, start_r) if start_r >= end_r else (end, end_r)
        return circle_path(centre, r)
    ux, uy = dx / length, dy / length  # along the axis
    nx, ny = -uy, ux  # across it
    s = (start_r - end_r) / length
    c = math.sqrt(1 - s * s)
    plus = (s * ux + c * nx, s * uy + c * ny)
    minus = (s * ux - c * nx, s * uy - c * ny)

    def at(centre: Point, r: float, w: tuple[float, float]) -> str:
        return f"{num(centre.x + r * w[0])} {num(centre.y + r * w[1])}"

    return (
        f"M{at(start, start_r, plus)}L{at(end, end_r, plus)}"
        f"A{num(end_r)} {num(end_r)} 0 0 0 {at(end, end_r, minus)}"
        f"L{at(start, start_r, minus)}"
        f"A{num(start_r)} {num(start_r)} 0 1 0 {at(start, start_r, plus)}Z"
    )


def circle_path(centre: Point, r: float) -> str:
    """A full circle as a path (two half arcs)."""
    return (
        f"M{num(centre.x - r)} {num(centre.y)}"
        f"a{num(r)} {num(r)} 0 1 0 {num(2 * r)} 0"
        f"a{num(r)} {num(r)} 0 1 0 {num(-2 * r)} 0Z"
    )
