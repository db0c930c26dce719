"""Education pages, posture cues, footwear checklist and lifestyle tips: shape, coverage, reading.

Readability: Flesch-Kincaid grade level,

    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

measured on the page body with the front matter and Markdown markup removed. Each heading
and list item counts as its own sentence (a full stop is added where it has none). Sentences
are counted by ``textstat.sentence_count``. Syllables are counted per word as the larger of
the pyphen hyphenation count (what textstat falls back to) and a vowel-group count, so the
estimate errs high; numbers count one syllable per digit. textstat's own
``flesch_kincaid_grade`` is not called because it needs the NLTK cmudict corpus, which it
tries to download on first use.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pyphen
import pytest
import textstat
import yaml

from backstride.content import programme_schema as ps
from backstride.content.conditions import parse_condition
from backstride.content.programme_loader import split_front_matter
from backstride.domain.contract import CORE_FIELDS, index_fields
from backstride.domain.programme import ProgrammeContent
from backstride.services.assessments import default_service

DATA = Path(__file__).resolve().parents[2] / "src" / "backstride" / "content_data"
EDUCATION = DATA / "education"
PAGE_FILES = sorted(EDUCATION.glob("*.md"))

MAX_GRADE = 8.0
MIN_WORDS, MAX_WORDS = 120, 450

#: Topic the product must explain -> the page that explains it.
REQUIRED_TOPICS: dict[str, str] = {
    "causes": "why_back_hurts_walking",
    "muscle_strain": "muscle_strain",
    "herniated_disc": "slipped_disc",
    "degenerative_disc": "disc_changes_with_age",
    "sciatica": "sciatica",
    "spinal_stenosis": "spinal_stenosis",
    "arthritis": "spine_arthritis_and_hip",
    "hip": "spine_arthritis_and_hip",
    "prevention": "preventing_back_pain",
    "red_flags": "when_to_get_help",
    "reassurance": "hurt_is_not_harm",
    "pain_science": "hurt_is_not_harm",
    "flare_up": "flare_ups_and_pacing",
    "pacing": "flare_ups_and_pacing",
}

#: Words a page must contain, so a rewrite cannot silently drop the key message.
KEY_PHRASES: dict[str, tuple[str, ...]] = {
    "when_to_get_help": (
        "emergency",
        "genitals",
        "urine",
        "stools",
        "both legs",
        "fever",
        "cancer",
        "weight",
        "weaker",
        "more than a week",
    ),
    "spinal_stenosis": ("sit", "forward", "trolley", "poles"),
    "disc_changes_with_age": ("no back pain", "scan"),
    "hurt_is_not_harm": ("alarm", "damage"),
    "flare_ups_and_pacing": ("flare-up plan", "pacing", "next morning"),
    "preventing_back_pain": ("150 minutes", "strength", "sitting", "load close"),
}

#: Walking cues the posture file must hold (id -> a word the cue must use).
WALKING_CUES: dict[str, str] = {
    "walk_tall": "spine",
    "walk_relaxed_shoulders": "shoulders",
    "walk_chest_lifted": "chest",
    "walk_light_brace": "tummy",
    "walk_arm_swing": "opposite leg",
    "walk_heel_to_toe": "heel",
}

_HEADING = re.compile(r"^#{1,6}\s*")
_LIST_MARK = re.compile(r"^(?:[-*+]|\d+\.)\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")
_VOWELS = re.compile(r"[aeiouy]+")


def plain_text(markdown: str) -> str:
    """The words a reader sees: no Markdown symbols; headings and items end as sentences."""
    lines = []
    for raw in markdown.splitlines():
        line = _LINK.sub(r"\1", _LIST_MARK.sub("", _HEADING.sub("", raw.strip())))
        line = re.sub(r"[*_`>]", "", line).strip()
        if line and line[-1] not in ".!?:":
            line += "."
        lines.append(line)
    return "\n".join(lines)


@cache
def _hyphenator() -> Any:
    return pyphen.Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    if word[0].isdigit():
        return sum(ch.isdigit() for ch in word)
    total = 0
    for part in re.split(r"['’-]", word.lower()):
        if not part:
            continue
        by_dictionary = len(_hyphenator().positions(part)) + 1
        groups = len(_VOWELS.findall(part))
        if part.endswith("e") and not part.endswith(("le", "ee")) and groups > 1:
            groups -= 1
        total += max(by_dictionary, groups, 1)
    return total


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def fk_grade(text: str) -> float:
    found = words(text)
    sentences: int = max(1, int(textstat.sentence_count(text)))
    syllables = sum(_syllables(w) for w in found)
    return 0.39 * len(found) / sentences + 11.8 * syllables / len(found) - 15.59


def _read_page(path: Path) -> tuple[ps.EducationFrontMatter, str]:
    data, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
    return ps.EducationFrontMatter.model_validate(data), body


def _yaml(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def programme() -> ProgrammeContent:
    return default_service().content.programme


# --- education pages, read straight from the files -------------------------------------------


def test_there_are_at_least_ten_pages() -> None:
    assert len(PAGE_FILES) >= 10


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_page_front_matter_is_valid_and_named_after_its_id(path: Path) -> None:
    front, _ = _read_page(path)
    assert path.stem == front.id
    assert front.review.checked_by is None or front.review.checked_by


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_page_reads_at_grade_8_or_below(path: Path) -> None:
    _, body = _read_page(path)
    grade = fk_grade(plain_text(body))
    assert grade <= MAX_GRADE, f"{path.stem}: Flesch-Kincaid grade {grade:.1f}"


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: p.stem)
def test_page_length_and_headings(path: Path) -> None:
    _, body = _read_page(path)
    count = len(words(plain_text(body)))
    assert MIN_WORDS <= count <= MAX_WORDS, f"{path.stem}: {count} words"
    assert re.search(r"^## \S", body, re.MULTILINE), f"{path.stem}: no '##' heading"
    assert not body.lstrip().startswith("---")


def test_plain_text_strips_markdown() -> None:
    text = plain_text("## Title\n\n- **Bold** item\n- [link](http://x) here.\n")
    assert text == "Title.\n\nBold item.\nlink here."
    assert fk_grade("The cat sat on the mat. The dog ran.") < 2


def test_required_topics_are_covered() -> None:
    fronts = [_read_page(p)[0] for p in PAGE_FILES]
    topics_by_id = {front.id: set(front.topics) for front in fronts}
    for topic, page_id in REQUIRED_TOPICS.items():
        assert page_id in topics_by_id, f"no page {page_id!r} for topic {topic!r}"
        assert topic in topics_by_id[page_id], f"{page_id} does not list topic {topic!r}"


@pytest.mark.parametrize("page_id", sorted(KEY_PHRASES))
def test_pages_keep_their_key_messages(page_id: str) -> None:
    _, body = _read_page(EDUCATION / f"{page_id}.md")
    text = plain_text(body).lower()
    for phrase in KEY_PHRASES[page_id]:
        assert phrase in text, f"{page_id} no longer mentions {phrase!r}"


# --- posture, footwear, lifestyle, read straight from the files ------------------------------


def test_posture_covers_every_walking_cue_and_every_area() -> None:
    posture = ps.PostureFile.model_validate(_yaml("posture.yaml"))
    assert len(posture.cues) >= 10
    cues = {c.id: c for c in posture.cues}
    assert len(cues) == len(posture.cues), "posture cue ids must be unique"
    for cue_id, word in WALKING_CUES.items():
        assert cue_id in cues, f"missing walking cue {cue_id}"
        assert cues[cue_id].area == "walking"
        assert word in cues[cue_id].cue.lower(), f"{cue_id} should mention {word!r}"
    assert {c.area for c in posture.cues} == {
        "walking",
        "sitting",
        "standing",
        "lifting",
        "sleeping",
    }


def test_footwear_checklist_is_honest_about_the_evidence() -> None:
    footwear = ps.FootwearFile.model_validate(_yaml("footwear.yaml"))
    assert 5 <= len(footwear.items) <= 8
    assert len({i.id for i in footwear.items}) == len(footwear.items)
    assert footwear.bands[0].min_score <= sum(i.weight for i in footwear.items)
    note = footwear.evidence_note.lower()
    assert "weak" in note
    for word in ("sahar", "chuter", "macrae", "nice", "comfort"):
        assert word in note, f"the evidence note should mention {word!r}"
    assert {"sahar-2007-cochrane", "chuter-2014", "macrae-2013", "nice-ng59"} <= set(
        footwear.sources
    )


def test_every_lifestyle_condition_parses_over_contract_keys() -> None:
    lifestyle = ps.LifestyleFile.model_validate(_yaml("lifestyle.yaml"))
    assert len(lifestyle.tips) >= 8
    fields = index_fields(CORE_FIELDS)
    for tip in lifestyle.tips:
        if tip.when is not None:
            parse_condition(tip.when, fields, f"lifestyle.{tip.id}.when")


@pytest.mark.parametrize(
    ("tip_id", "shown", "hidden"),
    [
        ("sitting_breaks", {"sitting_hours_per_day": 8}, {"sitting_hours_per_day": 3}),
        ("get_more_active", {"active_minutes_per_week": 60}, {"active_minutes_per_week": 200}),
        ("stress_and_relaxation", {"stress": 7}, {"stress": 2}),
        (
            "stenosis_friendly_walking",
            {"relief_sitting_or_bending_forward": True},
            {"relief_sitting_or_bending_forward": False},
        ),
    ],
)
def test_lifestyle_tips_show_for_the_right_answers(
    tip_id: str, shown: dict[str, Any], hidden: dict[str, Any]
) -> None:
    lifestyle = ps.LifestyleFile.model_validate(_yaml("lifestyle.yaml"))
    tip = next(t for t in lifestyle.tips if t.id == tip_id)
    assert tip.when is not None
    expr = parse_condition(tip.when, index_fields(CORE_FIELDS))
    assert expr.evaluate(shown) is True
    assert expr.evaluate(hidden) is False


def test_advice_sources_do_not_repeat_other_source_files() -> None:
    advice = set(_yaml("sources/advice.yaml")["sources"])
    others = set(_yaml("sources.yaml")["sources"])
    for path in sorted((DATA / "sources").glob("*.yaml")):
        if path.name != "advice.yaml":
            others |= set(yaml.safe_load(path.read_text(encoding="utf-8"))["sources"])
    assert not advice & others


# --- the same content through the real loader ------------------------------------------------


def test_loader_reads_every_page(programme: ProgrammeContent) -> None:
    loaded = {p.id: p for p in programme.education}
    assert set(loaded) == {p.stem for p in PAGE_FILES}
    for page in loaded.values():
        assert page.title
        assert page.summary
        assert page.topics
        assert page.sources
        assert fk_grade(plain_text(page.body)) <= MAX_GRADE


def test_loader_reads_posture_footwear_and_lifestyle(programme: ProgrammeContent) -> None:
    assert set(WALKING_CUES) <= {c.id for c in programme.posture}
    assert "weak" in programme.footwear.evidence_note.lower()
    tips = {t.id: t for t in programme.lifestyle}
    assert tips["sitting_breaks"].when is not None
    assert tips["sitting_breaks"].when.evaluate({"sitting_hours_per_day": 7}) is True
    assert tips["strength_twice_weekly"].when is None
