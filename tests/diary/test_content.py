"""escalation.yaml is refused as a whole when broken, naming the file, the rule and the field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backstride.content import ContentError, default_content_root, load_content
from backstride.domain.urgency import Urgency
from tests.diary.helpers import rules

Rules = list[dict[str, Any]]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(str(default_content_root()), root)
    return root


def _rule(rule_id: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Rules], None]:
    def edit(all_rules: Rules) -> None:
        change(next(r for r in all_rules if r["id"] == rule_id))

    return edit


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda r: r.__setitem__(key, value)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda r: r.pop(key)


def _drop_kind(kind: str) -> Callable[[Rules], None]:
    return lambda rs: rs.remove(next(r for r in rs if r["kind"] == kind))


def _duplicate_first(rs: Rules) -> None:
    rs.append(dict(rs[0], id="diary.copy"))


def _duplicate_id(rs: Rules) -> None:
    rs[1]["id"] = rs[0]["id"]


NO_IMP = "diary.no_improvement_7_days"
RED = "diary.red_flag"

BROKEN = [
    pytest.param(_rule(NO_IMP, _set("points", "two")), NO_IMP, "points", id="wrong type"),
    pytest.param(_rule(NO_IMP, _set("fraction", 1.5)), NO_IMP, "fraction", id="out of range"),
    pytest.param(_rule(NO_IMP, _drop("min_days")), NO_IMP, "min_days", id="missing number"),
    pytest.param(_rule(NO_IMP, _set("extra", 1)), NO_IMP, "extra", id="unknown field"),
    pytest.param(_rule(NO_IMP, _set("level", "self_care")), NO_IMP, "level", id="below floor"),
    pytest.param(_rule(NO_IMP, _set("sources", ["nope"])), NO_IMP, "sources", id="bad source"),
    pytest.param(_rule(NO_IMP, _set("measure", "mood")), NO_IMP, "measure", id="bad measure"),
    pytest.param(_rule(NO_IMP, _set("id", "no_prefix.x")), "no_prefix.x", "id", id="bad id"),
    pytest.param(_rule(NO_IMP, _set("kind", "vibes")), NO_IMP, "kind", id="unknown kind"),
    pytest.param(
        _rule(RED, lambda r: r["messages"].pop("urgent")), RED, "messages", id="level message"
    ),
    pytest.param(_drop_kind("tolerance_fall"), None, "rules", id="a kind missing"),
    pytest.param(
        _rule("diary.worsening_3_days", lambda r: r["measures"].append(r["measures"][0])),
        "diary.worsening_3_days",
        "measures",
        id="a measure twice",
    ),
    pytest.param(_duplicate_first, "diary.copy", "kind", id="a kind twice"),
    pytest.param(_duplicate_id, NO_IMP, "id", id="id twice"),
]


@pytest.mark.parametrize(("edit", "item", "field"), BROKEN)
def test_broken_escalation_file_is_refused(
    content: Path, edit: Callable[[Rules], None], item: str | None, field: str
) -> None:
    path = content / "escalation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data["rules"])
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content)
    assert caught.value.file == "escalation.yaml"
    assert caught.value.item == item
    assert caught.value.field is not None
    assert caught.value.field.startswith(field)


def test_rules_must_be_a_list(content: Path) -> None:
    (content / "escalation.yaml").write_text("rules: {}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="rules: must be a list of rules"):
        load_content(content)


def test_missing_escalation_file_is_refused(content: Path) -> None:
    (content / "escalation.yaml").unlink()
    with pytest.raises(ContentError, match=r"escalation\.yaml: file is missing"):
        load_content(content)


def test_every_rule_cites_sources_and_awaits_review() -> None:
    for rule in rules().all:
        assert rule.text.sources
        assert rule.text.review.next_review > rule.text.review.date_reviewed
        assert rule.text.review.authored_by == "Backstride engineering team"


def test_trend_messages_tell_the_person_to_see_a_doctor() -> None:
    r = rules()
    for rule in (r.no_improvement, r.sustained_worsening, r.tolerance_fall):
        assert "see a doctor" in rule.message
        assert rule.level >= Urgency.SOON
    assert set(r.red_flag.messages) == set(Urgency)
