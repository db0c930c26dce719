"""bench/web.py works: its data builder on a small scale, and one tiny run against the real
server (every case answers as expected, so the benchmark measures pages, not errors)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from backstride.services.container import Services
from backstride.services.settings import Settings
from tests.benches import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("web")


def test_builder_makes_people_diaries_and_a_caseload(bench: ModuleType, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    today = date(2026, 11, 26)
    built = bench.build(url, 5, 10, 3, seed=2, today=today)
    assert (built.people, built.caseload) == (5, 3)
    assert 5 * 8 <= built.entries <= 5 * 10
    tokens = bench.open_sessions(url, {1: "bench-00001", 6: bench.CLINICIAN})
    services = Services.open(Settings(url))
    try:
        person = services.accounts.session_person(tokens["bench-00001"], "web")
        assert person is not None
        assert person.name == "bench-00001"
        linked = services.records.linked_people(bench.CLINICIAN)
        assert sorted(p.name for p in linked) == ["bench-00001", "bench-00002", "bench-00003"]
        for number in range(1, 6):
            entries = services.records.entries(f"bench-0000{number}")
            assert entries
            assert max(e.day for e in entries) <= date(2026, 11, 25)
            assert min(e.day for e in entries) >= date(2026, 11, 16)
            _, assessments, _, plan, _ = services.records.history(f"bench-0000{number}")
            assert len(assessments) == 1
            assert plan is not None
            assert plan.plan["exercises"]
    finally:
        services.close()


def test_a_tiny_run_has_no_errors(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    tiny = {"--people": "4", "--days": "10", "--caseload": "2", "--concurrency": "2"}
    results = bench.main([*(part for pair in tiny.items() for part in pair), "--requests", "4"])
    assert [r.case for r in results] == [case.name for case in bench.CASES]
    for result in results:
        assert result.errors == {}, result.case
        assert len(result.latencies_s) == 4
        assert result.server_cpu_s >= 0
    assert any(r.server_cpu_s > 0 for r in results), "the server's CPU time is measured"
    out = capsys.readouterr().out
    assert "4 people x 10 days" in out
    assert "p95 ms" in out
    assert "cpu ms" in out
