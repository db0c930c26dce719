"""The printable handout: a complete, accessible, self-contained page, and its PDF."""

from __future__ import annotations

import copy
import json
import re
import zlib
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from backstride.interop.handout import describe_dose, html_to_pdf, render_handout_html
from backstride.programme.model import Preferences
from backstride.services.assessments import default_service
from backstride.services.plans import PlanService

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
DAY = date(2025, 5, 12)
HEADING = re.compile(r"h([1-6])")
HIDDEN = frozenset({"title", "style", "desc"})  # not part of the page's visible text


class Page(HTMLParser):
    """Every start tag with its attributes, the visible text, the headings in order, the
    SVGs in each exercise card and the rows of the walking table."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.headings: list[int] = []
        self.svgs_in_card: dict[str, int] = {}
        self.week_rows = 0
        self._card: str | None = None
        self._card_depth = 0
        self._in_weeks_body = False
        self._hidden = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        if tag == "article" and "card" in classes:
            self._card = attributes.get("id") or "?"
            self.svgs_in_card[self._card] = 0
        if tag == "article" and self._card is not None:
            self._card_depth += 1
        if tag == "svg" and self._card is not None:
            self.svgs_in_card[self._card] += 1
        if tag == "table" and "weeks" in classes:
            self._in_weeks_body = True
        if tag == "tr" and self._in_weeks_body and self._weeks_body_open:
            self.week_rows += 1
        if tag == "tbody" and self._in_weeks_body:
            self._weeks_body_open = True
        if (match := HEADING.fullmatch(tag)) is not None:
            self.headings.append(int(match.group(1)))
        if tag in HIDDEN:
            self._hidden += 1

    _weeks_body_open = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._card is not None:
            self._card_depth -= 1
            if self._card_depth == 0:
                self._card = None
        if tag == "table":
            self._in_weeks_body = self._weeks_body_open = False
        if tag in HIDDEN:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)

    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


@pytest.fixture(scope="module")
def service() -> PlanService:
    return PlanService(default_service())


def contract(service: PlanService, example: str) -> dict[str, Any]:
    plan = service.plan_file(EXAMPLES / example, Preferences())
    return service.to_contract(plan, animate=False)


@pytest.fixture(scope="module")
def self_care(service: PlanService) -> dict[str, Any]:
    data = contract(service, "acute-strain.json")
    assert data["urgency"] == "self_care"
    assert data["exercises"]
    assert data["walking"] is not None
    return data


@pytest.fixture(scope="module")
def emergency(service: PlanService) -> dict[str, Any]:
    data = contract(service, "saddle-numbness.json")
    assert data["urgency"] == "emergency"
    assert not data["exercises"]
    assert data["walking"] is None
    return data


@pytest.fixture(scope="module")
def self_care_html(self_care: dict[str, Any]) -> str:
    return render_handout_html(self_care, generated_on=DAY)


def test_page_is_a_complete_html5_document(self_care_html: str) -> None:
    assert self_care_html.lstrip().lower().startswith("<!doctype html>")
    page = Page(self_care_html)
    html_tags = [attrs for tag, attrs in page.tags if tag == "html"]
    assert html_tags == [{"lang": "en"}]
    assert page.count("h1") == 1
    assert page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings


def test_page_is_self_contained(self_care_html: str) -> None:
    page = Page(self_care_html)
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*https?:", value, re.IGNORECASE), (tag, name, value)
    for tag in ("script", "link", "img", "iframe", "object"):
        assert page.count(tag) == 0, tag
    assert page.count("style") >= 1
    assert "@import" not in self_care_html
    assert "url(" not in self_care_html


def test_every_exercise_has_a_card_with_one_illustration(
    self_care: dict[str, Any], self_care_html: str
) -> None:
    page = Page(self_care_html)
    text = page.visible()
    assert len(page.svgs_in_card) == len(self_care["exercises"])
    for exercise in self_care["exercises"]:
        assert exercise["name"] in text
        assert page.svgs_in_card[f"ex-{exercise['id']}"] == 1
        assert describe_dose(exercise["dose"]).split(".")[0] in text
        for line in (exercise["why"], *exercise["steps"], *exercise["stop_rules"]):
            assert " ".join(line.split()) in text
    assert page.count("svg") == len(self_care["exercises"]) + 1  # and the walking figure


def test_sections_in_order(self_care: dict[str, Any], self_care_html: str) -> None:
    text = Page(self_care_html).visible()
    order = [
        "What to do now",
        "Safety first",
        "Your daily exercises",
        "Your walking plan",
        "Posture",
        "Your shoes: a checklist",
        "Everyday habits",
        "Further reading",
        "Sources",
        self_care["disclaimer"],
        "Generated on 12 May 2025, content version " + self_care["content_version"],
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    for line in self_care["safety"]:
        assert line in text
    for page in self_care["education"]:
        assert page["title"] in text


def test_walking_table_has_one_row_per_week(self_care: dict[str, Any], self_care_html: str) -> None:
    page = Page(self_care_html)
    assert page.week_rows == len(self_care["walking"]["weeks"])
    assert self_care["walking"]["rest_position"] in page.visible()


def test_footwear_checklist_has_a_box_per_question(
    self_care: dict[str, Any], self_care_html: str
) -> None:
    page = Page(self_care_html)
    boxes = [attrs for tag, attrs in page.tags if "box" in (attrs.get("class") or "").split()]
    assert len(boxes) == len(self_care["footwear"])
    assert self_care["footwear_evidence"] in page.visible()


def test_emergency_shows_only_what_to_do_now(emergency: dict[str, Any]) -> None:
    html = render_handout_html(emergency, generated_on=DAY)
    page = Page(html)
    text = page.visible()
    assert "Emergency" in text
    for line in emergency["safety"]:
        assert line in text
    assert emergency["disclaimer"] in text
    for absent in ("Your daily exercises", "Your walking plan", "Posture", "Your shoes"):
        assert absent not in text
    assert page.count("article") == 0
    assert page.count("svg") == 0
    assert page.count("table") == 0


def test_plan_text_is_escaped(self_care: dict[str, Any]) -> None:
    changed = copy.deepcopy(self_care)
    changed["exercises"][0]["name"] = "<script>alert('x')</script> stretch"
    changed["safety"][0] = 'Rest & <b onclick="x()">relax</b>'
    html = render_handout_html(changed, generated_on=DAY)
    page = Page(html)
    assert page.count("script") == 0
    assert not [attrs for _, attrs in page.tags if "onclick" in attrs]
    assert "&lt;script&gt;" in html
    assert "<script>alert('x')</script> stretch" in page.visible()
    assert 'Rest & <b onclick="x()">relax</b>' in page.visible()


def test_illustration_given_as_a_path_is_left_out(self_care: dict[str, Any]) -> None:
    changed = copy.deepcopy(self_care)
    changed["exercises"][0]["illustration"] = "illustrations/cat_camel.svg"
    page = Page(render_handout_html(changed, generated_on=DAY))
    assert page.count("svg") == len(self_care["exercises"])
    assert "cat_camel.svg" not in page.visible()


@pytest.mark.parametrize(
    ("dose", "words"),
    [
        (
            {"sets": 1, "reps": 8, "hold_s": None, "rest_s": 0, "times_per_day": 2},
            "8 times. Twice a day.",
        ),
        (
            {"sets": 2, "reps": 5, "hold_s": 6, "rest_s": 30, "times_per_day": 1, "per_side": 1},
            (
                "2 sets of 5 on each side, holding each for 6 seconds; "
                "rest 30 seconds between sets. Once a day."
            ),
        ),
        (
            {"sets": 3, "reps": None, "hold_s": 15, "rest_s": 10, "times_per_day": 3},
            "Hold for 15 seconds, 3 times; rest 10 seconds between holds. 3 times a day.",
        ),
    ],
)
def test_dose_in_plain_words(dose: dict[str, Any], words: str) -> None:
    assert describe_dose({"per_side": False, **dose}) == words


def expanded(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", expanded(pdf)))


def test_self_care_pdf_has_several_pages(self_care_html: str) -> None:
    pdf = html_to_pdf(self_care_html)
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) >= 2


def test_emergency_pdf_is_one_page(emergency: dict[str, Any]) -> None:
    pdf = html_to_pdf(render_handout_html(emergency, generated_on=DAY))
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 1


def test_pdf_logs_nothing(
    self_care: dict[str, Any], caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = copy.deepcopy(self_care)
    # CSS WeasyPrint does not know makes it log a warning quoting the page.
    changed["exercises"][0]["illustration"] += '<span style="made-up-property: 1"></span>'
    changed["exercises"][0]["name"] = "Mrs Example's stretch"
    with caplog.at_level("DEBUG"):
        pdf = html_to_pdf(render_handout_html(changed, generated_on=DAY))
    assert pdf.startswith(b"%PDF-")
    assert not [r for r in caplog.records if r.name.startswith(("weasyprint", "fontTools"))]
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def test_contract_round_trips_through_json(self_care: dict[str, Any]) -> None:
    """The handout reads the plan as JSON gives it back, not only as built in Python."""
    again = json.loads(json.dumps(self_care))
    assert render_handout_html(again, generated_on=DAY) == render_handout_html(
        self_care, generated_on=DAY
    )
