"""The server's access log says what was asked and answered, not who asked or whose record."""

from __future__ import annotations

import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest

from backstride.cli.logs import PrivateAccess, log_config, private_path


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/clinician/people/17", "/clinician/people/{id}"),
        ("/clinician/people/17/report.pdf", "/clinician/people/{id}/report.pdf"),
        ("/api/v1/people/3/diary?since=2026-01-01", "/api/v1/people/{id}/diary"),
        ("/walk-test/42", "/walk-test/{id}"),
        ("/login?next=/clinician/people/9", "/login"),
        ("/illustrations/cat-camel.svg", "/illustrations/cat-camel.svg"),
        ("/static/css/app.css?v=1.2.0", "/static/css/app.css"),
        ("/", "/"),
    ],
)
def test_paths_keep_their_shape_without_ids_or_queries(path: str, logged: str) -> None:
    assert private_path(path) == logged


@pytest.fixture
def configured() -> Iterator[logging.Logger]:
    """uvicorn's access logger as `backstride serve` configures it, restored afterwards."""
    access = logging.getLogger("uvicorn.access")
    saved = (access.handlers[:], access.level, access.propagate, access.filters[:])
    logging.config.dictConfig(log_config())
    yield access
    access.handlers[:], access.level, access.propagate, access.filters[:] = saved


def test_the_access_line_has_no_client_address_and_no_id(
    configured: logging.Logger, capsys: pytest.CaptureFixture[str]
) -> None:
    handlers = [
        h for h in configured.handlers if any(isinstance(f, PrivateAccess) for f in h.filters)
    ]
    assert len(handlers) == 1, "the access handler filters its records"
    stream = handlers[0]
    assert isinstance(stream, logging.StreamHandler)
    stream.setStream(sys.stdout)
    client, path = "203.0.113.7:51234", "/clinician/people/17?x=1"
    configured.info('%s - "%s %s HTTP/%s" %d', client, "GET", path, "1.1", 200)
    line = capsys.readouterr().out
    assert '"GET /clinician/people/{id} HTTP/1.1" 200' in line
    assert "203.0.113.7" not in line
    assert "17" not in line


def test_other_records_pass_unchanged() -> None:
    record = logging.LogRecord("uvicorn.error", logging.INFO, "", 0, "Started %s", ("x",), None)
    assert PrivateAccess().filter(record)
    assert record.getMessage() == "Started x"
