"""SVG and gallery output: well-formed, accessible, self-contained, animated as asked."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from backstride.illustration import Illustration, gallery_html, render_svg
from backstride.illustration.motion import hold_windows_pct, keyframes

from . import FILES, each_illustration, load

SVG = "{http://www.w3.org/2000/svg}"
EXTERNAL = re.compile(r"href\s*=\s*[\"']?\s*(https?:|//)|url\(\s*[\"']?(https?:|//)|@import", re.I)


def _xml(text: str) -> ET.Element:
    """Parse markup this package generated itself (not untrusted input)."""
    return ET.fromstring(text)  # noqa: S314


def _css(root: ET.Element) -> str:
    style = root.find(f"{SVG}style")
    assert style is not None
    return style.text or ""


@each_illustration
def test_svg_is_well_formed_and_accessible(illustration: Illustration) -> None:
    root = _xml(render_svg(illustration, title="Cat & camel <test>"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 [\d.]+ [\d.]+ [\d.]+", root.get("viewBox", ""))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Cat & camel <test>"
    assert desc is not None
    assert desc.text == illustration.alt
    assert (root.get("aria-labelledby") or "").split() == [title.get("id"), desc.get("id")]


@each_illustration
def test_svg_has_no_external_references(illustration: Illustration) -> None:
    for animate in (True, False):
        svg = render_svg(illustration, animate=animate)
        assert not EXTERNAL.search(svg)
        assert "<image" not in svg
        assert "font-face" not in svg


@each_illustration
def test_animated_svg_loops_and_stops_for_reduced_motion(illustration: Illustration) -> None:
    root = _xml(render_svg(illustration))
    css = _css(root)
    prefix = root.get("class")
    assert prefix is not None
    assert "@keyframes" in css
    assert "infinite" in css
    assert (
        f"@media (prefers-reduced-motion: reduce){{.{prefix}-a{{animation:none!important}}}}" in css
    )
    animated = [g for g in root.iter(f"{SVG}g") if f"{prefix}-a" in (g.get("class") or "")]
    assert animated
    names = set(re.findall(r"@keyframes ([\w-]+)", css))
    for group in animated:
        key = (group.get("class") or "").split()[-1]
        assert f".{key}{{animation-name:{prefix}-k-{key.removeprefix(prefix + '-')}}}" in css
        assert f"{prefix}-k-{key.removeprefix(prefix + '-')}" in names


@each_illustration
def test_still_svg_has_no_animation_and_shows_the_first_pose(illustration: Illustration) -> None:
    still = render_svg(illustration, animate=False)
    root = _xml(still)
    assert "@keyframes" not in _css(root)
    assert "animation" not in _css(root)
    first = illustration.poses[0].root
    root_group = root.find(f".//{SVG}g[@class='{root.get('class')}-j']")
    assert root_group is not None
    assert root_group.get("transform", "").startswith(f"translate({first.x:g} {first.y:g})")


@each_illustration
def test_static_transforms_are_the_first_pose_when_animated(illustration: Illustration) -> None:
    """With the animation off by reduced motion, the attributes alone must pose the figure."""
    animated = re.sub(r' class="[^"]*"', "", render_svg(illustration))
    still = re.sub(r' class="[^"]*"', "", render_svg(illustration, animate=False))
    body = re.compile(r"</style>(.*)</svg>", re.S)
    animated_body, still_body = body.search(animated), body.search(still)
    assert animated_body
    assert still_body
    assert animated_body.group(1) == still_body.group(1)


def test_each_svg_has_its_own_prefix() -> None:
    svgs = [render_svg(load(path)) for path in FILES]
    prefixes = [_xml(svg).get("class") for svg in svgs]
    assert len(set(prefixes)) == len(FILES)
    ids = [i for svg in svgs for i in re.findall(r' id="([^"]+)"', svg)]
    assert len(ids) == len(set(ids))


def test_reordered_poses_get_a_different_prefix() -> None:
    illustration = load(FILES[0])
    turned = replace(illustration, poses=illustration.poses[1:] + illustration.poses[:1])
    assert _xml(render_svg(turned)).get("class") != _xml(render_svg(illustration)).get("class")


def test_hold_windows_share_the_moving_time_equally() -> None:
    assert hold_windows_pct([1.0, 1.0], 4.0) == ((0.0, 25.0), (50.0, 75.0))
    assert hold_windows_pct([2.0, 0.0, 0.0], 5.0) == ((0.0, 40.0), (60.0, 60.0), (80.0, 80.0))


def test_keyframes_return_to_the_first_pose_at_the_end() -> None:
    rule = keyframes("k", ["rotate(0deg)", "rotate(30deg)"], [(0.0, 25.0), (50.0, 75.0)])
    assert (
        rule == "@keyframes k{0%,25%,100%{transform:rotate(0deg)}50%,75%{transform:rotate(30deg)}}"
    )


def test_gallery_is_well_formed_with_one_figure_per_item() -> None:
    illustrations = [load(path) for path in FILES]
    items = [(i.exercise, i.exercise.replace("_", " "), render_svg(i)) for i in illustrations]
    page = gallery_html(items)
    assert page.startswith("<!DOCTYPE html>")
    root = _xml(page.removeprefix("<!DOCTYPE html>"))
    assert root.get("lang") == "en"
    assert root.findtext("head/title")
    assert len(root.findall(".//h1")) == 1
    figures = root.findall(".//figure")
    assert len(figures) == len(items)
    for figure, (exercise_id, name, _) in zip(figures, items, strict=True):
        assert figure.get("id") == exercise_id
        assert figure.find(f"{SVG}svg") is not None
        assert figure.findtext("figcaption/h2") == name


@pytest.mark.parametrize("text", ["<b>&", "a \"quoted\" 'name'"])
def test_gallery_escapes_names(text: str) -> None:
    page = gallery_html([("x", text, "<svg xmlns='http://www.w3.org/2000/svg'/>")])
    root = _xml(page.removeprefix("<!DOCTYPE html>"))
    assert root.findtext(".//figcaption/h2") == text
