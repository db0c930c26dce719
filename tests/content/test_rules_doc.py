"""The generated rules reference matches the content, and the catalogue is complete."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from backstride.cli.catalogue import rules_markdown
from backstride.cli.main import app
from backstride.domain.contract import CORE_FIELDS
from backstride.services.assessments import default_service

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_rules_reference_is_current() -> None:
    page = (ROOT / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    assert page == rules_markdown(default_service().content), "run `make docs` and commit"


def test_markdown_command_prints_the_reference() -> None:
    result = runner.invoke(app, ["rules", "--markdown"])
    assert result.exit_code == 0
    assert result.stdout == rules_markdown(default_service().content)


def test_catalogue_lists_every_rule_with_its_sources() -> None:
    result = runner.invoke(app, ["rules"], env={"COLUMNS": "250"})
    assert result.exit_code == 0
    content = default_service().content
    for rule in content.rules:
        assert rule.id in result.stdout
    for pattern in content.patterns:
        assert pattern.id in result.stdout
    assert "awaiting clinical sign-off" in result.stdout


def test_every_source_is_cited_and_every_rule_has_review_fields() -> None:
    content = default_service().content
    cited = {s.id for r in content.rules for s in r.sources}
    cited |= {s.id for p in content.patterns for s in p.sources}
    cited |= {s.id for a in content.advice.values() for s in a.sources}
    cited |= {s.id for s in content.instrument.sources}
    programme = content.programme
    cited |= {s.id for e in programme.exercises.values() for s in e.sources}
    cited |= {s.id for p in programme.education for s in p.sources}
    cited |= {s.id for c in programme.posture for s in c.sources}
    cited |= {s.id for t in programme.lifestyle for s in t.sources}
    cited |= {s.id for r in programme.progression for s in r.sources}
    cited |= {s.id for s in (*programme.footwear.sources, *programme.walking.sources)}
    cited |= {s.id for s in programme.rules.sources}
    cited |= {s.id for r in content.escalation.all for s in r.text.sources}
    assert set(content.sources) == cited, "remove sources nothing cites"
    for rule in content.rules:
        assert rule.review.next_review > rule.review.date_reviewed


def test_content_check_command(tmp_path: Path) -> None:
    result = runner.invoke(app, ["content", "check"])
    assert result.exit_code == 0
    assert "rules" in result.stdout
    assert "awaiting clinical sign-off" in result.stdout
    broken = tmp_path / "broken"
    broken.mkdir()
    result = runner.invoke(app, ["content", "check", str(broken)])
    assert result.exit_code == 1
    assert "meta.yaml" in result.stderr


def test_contract_reference_documents_every_input_key() -> None:
    page = (ROOT / "docs" / "reference" / "contract.md").read_text(encoding="utf-8")
    for spec in CORE_FIELDS:
        assert f"| `{spec.key}` | {spec.describe_type()} |" in page
