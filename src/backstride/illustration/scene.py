"""The stage every illustration shares: its size, the floor, the props' sizes, the colours.

Scene units, x right and y down, origin at the top left of the viewBox.
"""

from __future__ import annotations

from typing import Final

WIDTH: Final = 340.0
HEIGHT: Final = 240.0
FLOOR_Y: Final = 222.0
"""The floor line: feet of a standing figure rest here."""

MAT_THICKNESS: Final = 4.0
CHAIR_SEAT_HEIGHT: Final = 42.0
"""Seat top above the floor: a seated figure's thighs rest on it with feet flat."""
CHAIR_BACK_HEIGHT: Final = 88.0
"""Top of the chair's backrest above the floor."""
TOP_MARGIN: Final = 14.0
"""Space kept above the figure's highest point when the picture is cropped."""
MIN_VIEW_HEIGHT: Final = 110.0
"""The lowest picture: floor line to top of the viewBox, scene units."""
STEP_HEIGHT: Final = 18.0
WALL_X: Final = 12.0


def ground_y(on_mat: bool) -> float:
    """Where a figure lying or kneeling rests: the mat's top, or the floor."""
    return FLOOR_Y - MAT_THICKNESS if on_mat else FLOOR_Y


# Colours: a flat, calm palette that prints well on white paper. The SVG paints its own
# background, so it looks the same on a dark page. Contrast is checked by the tests.
BACKGROUND: Final = "#fbfaf7"
BODY: Final = "#2b5c86"
FAR_LIMB: Final = "#6b8fb3"
HAIR: Final = "#1d3a55"
OUTLINE: Final = BACKGROUND
FLOOR: Final = "#4a5560"
MAT: Final = "#9cc9b4"
MAT_EDGE: Final = "#5e9c80"
FURNITURE: Final = "#8a6a4f"
FURNITURE_LIGHT: Final = "#c9ad8f"
WALL: Final = "#e4e0d8"
POLE: Final = "#56606a"


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)))[::-1]
    return (lighter + 0.05) / (darker + 0.05)
