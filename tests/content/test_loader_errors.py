"""A broken content file is refused as a whole, with the file, item and field named."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.content import ContentError, load_content
from backstride.triage.engine import Engine
from tests.content.conftest import edit_yaml

Edit = Callable[[Path], None]


def first_rule(root: Path) -> Path:
    return sorted((root / "rules").glob("*.yaml"))[0]


def rule_edit(change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda root: edit_yaml(first_rule(root), change)


def pattern_edit(change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda root: edit_yaml(sorted((root / "patterns").glob("*.yaml"))[0], change)


def instrument_edit(change: Callable[[dict[str, Any]], None]) -> Edit:
    return lambda root: edit_yaml(root / "instruments" / "backstride_outlook.yaml", change)


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda d: d.__setitem__(key, value)


def _drop_question(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: d.__setitem__("questions", [q for q in d["questions"] if q["key"] != key])


def _copy_rule(root: Path) -> None:
    shutil.copy(first_rule(root), root / "rules" / "zz_copy.yaml")


def _copy_pattern(root: Path) -> None:
    shutil.copy(sorted((root / "patterns").glob("*.yaml"))[0], root / "patterns" / "zz.yaml")


def _drop_contract_pattern(root: Path) -> None:
    (root / "patterns" / "vascular_claudication.yaml").unlink()


def _retire_first_rule(root: Path) -> None:
    rule_id = yaml.safe_load(first_rule(root).read_text(encoding="utf-8"))["id"]
    edit_yaml(root / "meta.yaml", lambda d: d.__setitem__("retired_rule_ids", [rule_id]))


def _break_yaml(root: Path) -> None:
    first_rule(root).write_text("id: [unclosed\n", encoding="utf-8")


def _set_unanswered_above_level(d: dict[str, Any]) -> None:
    d["level"], d["if_unanswered"] = "soon", "emergency"


def _first_choice_question(d: dict[str, Any]) -> None:
    q = next(q for q in d["questions"] if q.get("choices"))
    q["choices"] = q["choices"][:-1]


def _choices_on_bool(d: dict[str, Any]) -> None:
    q = next(q for q in d["questions"] if q["key"] == "fever")
    q["choices"] = [{"value": "x", "label": "X"}]


def _clash_item(d: dict[str, Any]) -> None:
    d["items"][0]["key"] = "fever"


CASES: list[tuple[str, Edit, str]] = [
    (
        "typo in a condition key",
        rule_edit(_set("when", {"saddle_numbnes": True})),
        "unknown answer key",
    ),
    ("wrong value", rule_edit(_set("when", {"leg_pain": "ankle"})), "when.leg_pain"),
    ("unknown source", rule_edit(_set("sources", ["no-such-paper"])), "unknown source id"),
    ("bad level", rule_edit(_set("level", "whenever")), "level"),
    ("missing review", rule_edit(lambda d: d.pop("review")), "review"),
    ("extra field", rule_edit(_set("severity", "high")), "severity"),
    ("bad id", rule_edit(_set("id", "Not An Id")), ": id:"),
    ("unanswered above level", rule_edit(_set_unanswered_above_level), "cannot exceed"),
    (
        "review dates",
        rule_edit(lambda d: d["review"].__setitem__("next_review", d["review"]["date_reviewed"])),
        "next_review",
    ),
    ("duplicate rule id", _copy_rule, "rule id used twice"),
    ("duplicate pattern id", _copy_pattern, "pattern ids must be unique"),
    ("contract pattern missing", _drop_contract_pattern, "a pattern the contract names"),
    ("retired id reused", _retire_first_rule, "retired and never reused"),
    ("broken YAML", _break_yaml, "not valid YAML"),
    ("pattern condition", pattern_edit(_set("gate", {"age": "old"})), "gate.age"),
    (
        "pattern evidence",
        pattern_edit(lambda d: d["evidence"][0].__setitem__("when", {"x": 1})),
        "evidence.",
    ),
    (
        "pattern duplicate evidence",
        pattern_edit(lambda d: d["evidence"].append(dict(d["evidence"][0]))),
        "evidence ids must be unique",
    ),
    (
        "scoring thresholds",
        pattern_edit(
            _set(
                "scoring",
                {
                    "method": "likelihood_ratio",
                    "pretest_probability": 0.2,
                    "likely_from": 0.3,
                    "possible_from": 0.5,
                },
            )
        ),
        "possible_from",
    ),
    (
        "criteria condition",
        pattern_edit(_set("scoring", {"method": "criteria", "possible_when": {"nope": True}})),
        "scoring.possible_when",
    ),
    (
        "criteria likely condition",
        pattern_edit(
            _set(
                "scoring",
                {
                    "method": "criteria",
                    "likely_when": {"nope": True},
                    "possible_when": {"fever": True},
                },
            )
        ),
        "scoring.likely_when",
    ),
    (
        "question for no key",
        lambda r: edit_yaml(
            r / "questions.yaml",
            lambda d: d["questions"].append(
                {"key": "shoe_size", "section": "about_you", "text": "What size?"}
            ),
        ),
        "shoe_size",
    ),
    (
        "contract key unasked",
        lambda r: edit_yaml(r / "questions.yaml", _drop_question("fever")),
        "fever: key: contract key has no question",
    ),
    (
        "question asked twice",
        lambda r: edit_yaml(
            r / "questions.yaml", lambda d: d["questions"].append(dict(d["questions"][0]))
        ),
        "asked twice",
    ),
    (
        "unknown section",
        lambda r: edit_yaml(
            r / "questions.yaml", lambda d: d["questions"][0].__setitem__("section", "nowhere")
        ),
        "unknown section",
    ),
    (
        "choices unlabelled",
        lambda r: edit_yaml(r / "questions.yaml", _first_choice_question),
        "must label exactly",
    ),
    (
        "choices on a bool",
        lambda r: edit_yaml(r / "questions.yaml", _choices_on_bool),
        "only choice questions",
    ),
    (
        "skip logic typo",
        lambda r: edit_yaml(
            r / "questions.yaml", lambda d: d["questions"][-1].__setitem__("ask_when", {"nope": 1})
        ),
        "ask_when",
    ),
    (
        "no outlook section",
        lambda r: edit_yaml(
            r / "questions.yaml",
            lambda d: d.__setitem__("sections", [s for s in d["sections"] if s["id"] != "outlook"]),
        ),
        "outlook",
    ),
    (
        "advice level missing",
        lambda r: edit_yaml(r / "advice.yaml", lambda d: d["levels"].pop("soon")),
        "advice missing for levels",
    ),
    (
        "advice source",
        lambda r: edit_yaml(
            r / "advice.yaml", lambda d: d["levels"]["soon"].__setitem__("sources", ["nope"])
        ),
        "advice.yaml: soon: sources",
    ),
    ("instrument item clash", instrument_edit(_clash_item), "keys already used"),
    (
        "instrument subscale",
        instrument_edit(lambda d: d["bands"][0].__setitem__("subscale_at_least", {"nope": 1})),
        "unknown subscales",
    ),
    (
        "instrument last band",
        instrument_edit(lambda d: d["bands"][-1].__setitem__("total_at_least", 2)),
        "last band",
    ),
    (
        "scale item fields",
        instrument_edit(
            lambda d: d["items"].append(
                {"key": "outlook_extra", "text": "A scale item", "plain": "extra", "kind": "scale"}
            )
        ),
        "needs minimum",
    ),
    (
        "scale item order",
        instrument_edit(
            lambda d: d["items"].append(
                {
                    "key": "outlook_extra",
                    "text": "A scale item",
                    "plain": "extra",
                    "kind": "scale",
                    "minimum": 0,
                    "maximum": 4,
                    "positive_from": 9,
                }
            )
        ),
        "positive_from <= maximum",
    ),
    (
        "bool item with range",
        instrument_edit(
            lambda d: d["items"].append(
                {
                    "key": "outlook_extra",
                    "text": "A yes item",
                    "plain": "extra",
                    "kind": "bool",
                    "maximum": 4,
                }
            )
        ),
        "only for scale items",
    ),
    (
        "meta template",
        lambda r: edit_yaml(
            r / "meta.yaml", lambda d: d.__setitem__("unanswered_template", "no placeholder")
        ),
        "unanswered_template",
    ),
]


@pytest.mark.parametrize(("name", "edit", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_broken_content_names_file_item_and_field(
    content: Path, name: str, edit: Edit, fragment: str
) -> None:
    edit(content)
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert fragment in str(caught.value), name


def test_a_pack_may_not_redefine_a_source(content: Path, tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "sources.yaml").write_text(
        (content / "sources.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(ContentError, match="source id defined twice"):
        load_content(content, packs=[pack])


def test_an_instrument_must_exist_and_be_unique(content: Path, tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no such instrument installed"):
        load_content(content, instrument="licensed_tool")
    pack = tmp_path / "pack"
    (pack / "instruments").mkdir(parents=True)
    shutil.copy(content / "instruments" / "backstride_outlook.yaml", pack / "instruments")
    with pytest.raises(ContentError, match="instrument id defined twice"):
        load_content(content, packs=[pack])


def test_a_licensed_instrument_pack_plugs_in(content: Path, tmp_path: Path) -> None:
    """The documented plug-in point: a pack adds an instrument and a rule that reads it."""
    pack = tmp_path / "clinic-pack"
    (pack / "instruments").mkdir(parents=True)
    (pack / "sources.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": {
                    "clinic-licence": {
                        "citation": "Clinic licence 2026",
                        "title": "Licence terms",
                        "year": 2026,
                        "kind": "website",
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    review = {
        "authored_by": "Clinic",
        "checked_by": "Clinic lead",
        "date_reviewed": "2026-01-01",
        "next_review": "2027-01-01",
    }
    instrument = {
        "id": "clinic_tool",
        "name": "Clinic tool",
        "version": "1",
        "licence": "Licensed to the clinic",
        "validated": True,
        "items": [
            {
                "key": "clinic_item_a",
                "text": "Placeholder item A wording",
                "plain": "item a",
                "kind": "bool",
                "subscales": ["d"],
            },
            {
                "key": "clinic_item_b",
                "text": "Placeholder item B wording",
                "plain": "item b",
                "kind": "scale",
                "minimum": 0,
                "maximum": 4,
                "positive_from": 3,
                "subscales": ["d"],
            },
        ],
        "bands": [
            {"level": "high", "subscale_at_least": {"d": 2}, "meaning": "both items positive"},
            {"level": "low", "meaning": "otherwise"},
        ],
        "sources": ["clinic-licence"],
        "review": review,
    }
    (pack / "instruments" / "clinic_tool.yaml").write_text(
        yaml.safe_dump(instrument), encoding="utf-8"
    )
    loaded = load_content(content, packs=[pack], instrument="clinic_tool")
    assert loaded.instrument.id == "clinic_tool"
    assert {"clinic_item_a", "clinic_item_b"} <= {f.key for f in loaded.fields}
    built_in = {i.key for i in load_content(content).instrument.items}
    assert not built_in & {f.key for f in loaded.fields}, "only the selected instrument is asked"
    keys = [q.key for q in loaded.questions]
    assert keys[-2:] == ["clinic_item_a", "clinic_item_b"]

    engine = Engine(loaded)
    result = engine.assess({"clinic_item_a": True, "clinic_item_b": 4})
    assert result.outlook is not None
    assert (result.outlook.instrument, result.outlook.level) == ("clinic_tool", "high")
