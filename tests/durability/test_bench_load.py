"""bench/load.py works: a tiny run against the real server completes every step of the
journey without an error (so the benchmark measures pages, not failures)."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.benches import load_bench


@pytest.fixture(scope="module")
def load() -> ModuleType:
    return load_bench("load")


def test_a_tiny_load_run_has_every_step_and_no_errors(
    load: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--people", "2", "--duration", "3", "--workers", "2", "--days", "5", "--think", "0.1"]
    results = load.main(argv)
    assert results.error_count() == 0, results.errors
    for step in load.STEPS:
        assert results.latencies_s[step], f"no {step}"
    assert len(results.latencies_s["sign in"]) == 2
    printed = capsys.readouterr().out
    assert "overall" in printed
    assert "throughput:" in printed
    assert "goal (0 errors, p95 <= 100 ms):" in printed


def test_percentiles(load: ModuleType) -> None:
    values = [i / 1000 for i in range(1, 101)]
    assert load.percentile_ms(values, 50) == pytest.approx(50.5)
    assert load.percentile_ms([0.02], 95) == pytest.approx(20.0)
    assert load.percentile_ms([], 95) != load.percentile_ms([], 95)  # nan
