"""The footwear checklist: weights, verdict bands, advice for each "no", and the evidence note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backstride.cli.main import app
from backstride.domain.answers import ContractError
from backstride.services.plans import PlanService

runner = CliRunner()


def test_all_yes_scores_the_maximum_with_no_advice(plans: PlanService) -> None:
    footwear = plans.content.programme.footwear
    result = plans.score_footwear({item.id: True for item in footwear.items})
    assert result.score == result.max_score == sum(i.weight for i in footwear.items)
    assert result.advice == ()
    assert result.verdict == footwear.bands[0].verdict
    assert "weak" in result.evidence_note.lower() or "not been shown" in result.evidence_note


def test_each_no_gives_its_advice_and_lowers_the_score(plans: PlanService) -> None:
    footwear = plans.content.programme.footwear
    for item in footwear.items:
        answers = {i.id: i.id != item.id for i in footwear.items}
        result = plans.score_footwear(answers)
        assert result.score == result.max_score - item.weight
        assert result.advice == (item.advice,)


def test_all_no_is_the_lowest_band_and_unanswered_items_are_listed(plans: PlanService) -> None:
    footwear = plans.content.programme.footwear
    result = plans.score_footwear({footwear.items[0].id: False})
    assert result.score == 0
    assert result.verdict == footwear.bands[-1].verdict
    assert result.unanswered == tuple(i.id for i in footwear.items[1:])


@pytest.mark.parametrize(
    ("answers", "field"),
    [({"shoe_colour": True}, "shoe_colour"), ({"toe_room": "yes"}, "toe_room")],
)
def test_bad_answers_name_the_item(
    plans: PlanService, answers: dict[str, object], field: str
) -> None:
    with pytest.raises(ContractError) as caught:
        plans.score_footwear(answers)
    assert caught.value.fields == (field,)


def test_cli_from_a_file_and_interactively(tmp_path: Path, plans: PlanService) -> None:
    items = plans.content.programme.footwear.items
    file = tmp_path / "shoes.json"
    file.write_text(json.dumps({i.id: True for i in items}), encoding="utf-8")
    result = runner.invoke(app, ["footwear", "--answers", str(file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["score"] == sum(i.weight for i in items)
    replies = "\n".join(["n"] + ["y"] * (len(items) - 1)) + "\n"
    result = runner.invoke(app, ["footwear"], input=replies)
    assert result.exit_code == 0
    assert items[0].advice.split(".")[0] in " ".join(result.stdout.split())
    file.write_text("[]", encoding="utf-8")
    result = runner.invoke(app, ["footwear", "--answers", str(file)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["footwear", "--answers", str(tmp_path / "none.json")])
    assert result.exit_code == 2
