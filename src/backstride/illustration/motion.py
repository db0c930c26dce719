"""The loop between key positions as CSS keyframes.

Each moving group gets one ``@keyframes`` rule. The timeline of a loop of ``loop_s``
seconds holds pose 0 for its ``hold_s``, moves to pose 1, holds it, ..., and moves from the
last pose back to pose 0, which is where 100% lands so the loop is seamless. The time not
spent holding is shared equally by the moves; ``ease-in-out`` per keyframe interval makes
each move start and stop gently (holds are flat, so their easing is invisible).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from backstride.illustration.shapes import num


def hold_windows_pct(holds_s: Sequence[float], loop_s: float) -> tuple[tuple[float, float], ...]:
    """For each pose, when its hold starts and ends, as percentages of the loop."""
    move_s = (loop_s - sum(holds_s)) / len(holds_s)
    windows: list[tuple[float, float]] = []
    t_s = 0.0
    for hold_s in holds_s:
        windows.append((100 * t_s / loop_s, 100 * (t_s + hold_s) / loop_s))
        t_s += hold_s + move_s
    return tuple(windows)


def keyframes(name: str, values: Sequence[str], windows: Sequence[tuple[float, float]]) -> str:
    """One ``@keyframes`` rule setting ``transform`` to ``values[i]`` during hold ``i``."""
    rules = []
    for i, (value, (start, end)) in enumerate(zip(values, windows, strict=True)):
        stops = dict.fromkeys([f"{num(start)}%", f"{num(end)}%"])
        if i == 0:
            stops["100%"] = None
        rules.append(f"{','.join(stops)}{{transform:{value}}}")
    return f"@keyframes {name}{{{''.join(rules)}}}"


def style_sheet(
    prefix: str, tracks: Mapping[str, Sequence[str]], holds_s: Sequence[float], loop_s: float
) -> str:
    """CSS for one SVG: joint groups rotate about their own origin (the joint).

    ``tracks`` maps a group key to its CSS transform at each pose; only groups that move
    are animated. Under ``prefers-reduced-motion: reduce`` nothing is animated and each
    group's ``transform`` attribute, the first pose, shows.
    """
    css = [f".{prefix}-j{{transform-box:view-box;transform-origin:0 0}}"]
    moving = {key: values for key, values in tracks.items() if len(set(values)) > 1}
    if moving:
        windows = hold_windows_pct(holds_s, loop_s)
        css.append(
            f".{prefix}-a{{animation-duration:{num(loop_s)}s;"
            "animation-timing-function:ease-in-out;animation-iteration-count:infinite}"
        )
        for key, values in moving.items():
            css.append(f".{prefix}-{key}{{animation-name:{prefix}-k-{key}}}")
            css.append(keyframes(f"{prefix}-k-{key}", values, windows))
        css.append(
            f"@media (prefers-reduced-motion: reduce){{.{prefix}-a{{animation:none!important}}}}"
        )
    return "".join(css)
