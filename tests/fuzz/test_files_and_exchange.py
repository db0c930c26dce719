"""Sensor data and exchange files: the walking-test upload (parsed, analysed, stored), the
gait readers' CSV files, FHIR bundles read back, and the diary CSV export. Any input gives a
result or a clear refusal (``ContractError``, ``GaitInputError``, ``BundleError``: all
``ValueError``), never a crash, and a refused walking test stores nothing."""

from __future__ import annotations

import contextlib
import copy
import csv
import io
import json
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backstride.domain.answers import ContractError
from backstride.domain.diary import DiaryEntry, Person, Role
from backstride.gait import GaitInputError, read_recording
from backstride.interop.csv_export import DIARY_COLUMNS, diary_csv
from backstride.interop.fhir import BundleError, export_bundle, import_bundle
from backstride.services.container import Services
from backstride.services.walking_tests import WalkingTests, parse_upload
from tests.fuzz.conftest import FUZZ, JSON, ODD_NUMBERS, assert_clear, attempt, row_counts
from tests.web.conftest import add_user

# -- the walking-test upload -------------------------------------------------------------------

UPLOAD_KEYS = [
    "t_s",
    "acc_x",
    "acc_y",
    "acc_z",
    "gyr_x",
    "gyr_y",
    "gyr_z",
    "pain_started_s",
    "stopped_s",
    "stop_reason",
    "recovery_s",
    "height_m",
]
SAMPLE = st.floats(min_value=-50, max_value=50, allow_nan=False) | ODD_NUMBERS


@st.composite
def uploads(draw: st.DrawFn) -> dict[str, Any]:
    """Mostly well-formed recordings (so the analysis runs) with strange numbers, lengths
    and markers; sometimes anything at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.dictionaries(st.sampled_from(UPLOAD_KEYS), JSON | ODD_NUMBERS, max_size=6))
    n = draw(st.integers(0, 400))
    rate_hz = draw(st.sampled_from([1.0, 50.0, 100.0, 1000.0]))
    start = draw(st.floats(min_value=-10, max_value=1e6, allow_nan=False))
    t_s = [start + i / rate_hz for i in range(n)]
    if draw(st.booleans()):
        t_s = draw(st.lists(SAMPLE, min_size=n, max_size=n))  # times out of order, repeated...
    axes = {
        name: draw(st.lists(SAMPLE, min_size=n, max_size=n)) for name in ("acc_x", "acc_y", "acc_z")
    }
    if draw(st.booleans()):
        axes |= {
            name: draw(st.lists(SAMPLE, min_size=n, max_size=n))
            for name in ("gyr_x", "gyr_y", "gyr_z")
        }
    body: dict[str, Any] = {
        "t_s": t_s,
        **axes,
        "stopped_s": draw(st.floats(min_value=-1, max_value=1e4) | ODD_NUMBERS),
        "stop_reason": draw(st.sampled_from(["pain", "time_limit", "other", "nonsense"])),
        "pain_started_s": draw(st.none() | st.floats(min_value=-1, max_value=1e4)),
        "recovery_s": draw(st.none() | st.floats(min_value=-1, max_value=4000)),
        "height_m": draw(st.none() | st.floats(min_value=0.5, max_value=3)),
    }
    if draw(st.booleans()):
        key = draw(st.sampled_from(UPLOAD_KEYS))
        body[key] = draw(JSON | ODD_NUMBERS)
    return body


@FUZZ
@given(raw=uploads())
def test_any_upload_is_parsed_or_refused_naming_the_field(raw: dict[str, Any]) -> None:
    upload, error = attempt(lambda: parse_upload(raw))
    if isinstance(error, ContractError):
        assert_clear(error)
        assert {e.field for e in error.errors} <= {*UPLOAD_KEYS, "recording"}
    else:
        assert upload is not None
        assert len(upload.acc_x) == len(upload.t_s)


@FUZZ
@given(raw=uploads())
def test_a_walking_test_is_stored_whole_or_not_at_all(
    services: Services, raw: dict[str, Any]
) -> None:
    with contextlib.suppress(ContractError):  # made by an earlier example
        add_user(services, "walker")
    before = row_counts(services)
    try:
        stored = WalkingTests(services.records).record("walker", raw)
    except ContractError as error:
        assert_clear(error)
        assert row_counts(services) == before
    else:
        after = row_counts(services)
        assert after["walking_tests"] == before["walking_tests"] + 1
        assert stored.total_time_s is None or stored.total_time_s >= 0


# -- the gait readers' files -------------------------------------------------------------------

HEADERS = [
    "t_s,acc_x,acc_y,acc_z",
    "t_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z",
    "Time (s),Acceleration x (m/s^2),Acceleration y (m/s^2),Acceleration z (m/s^2)",
    (
        "Time (s);Linear Acceleration x (m/s^2);Linear Acceleration y (m/s^2);"
        "Linear Acceleration z (m/s^2)"
    ),
    "time,seconds_elapsed,z,y,x",
    "t_s,acc_x",
    "",
]
CELL = (
    st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.integers(-(10**6), 10**6).map(str)
    | st.text(alphabet=" ,;\t\"'0123456789.-eE\nxa", max_size=6)
)


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 3)) == 0:
        return draw(st.text(max_size=300))
    header = draw(st.sampled_from(HEADERS))
    separator = ";" if ";" in header else ","
    width = header.count(separator) + 1
    rows = draw(st.lists(st.lists(CELL, min_size=1, max_size=width + 1), max_size=60))
    return "\n".join([header, *(separator.join(row) for row in rows)])


@FUZZ
@given(text=csv_texts(), suffix=st.sampled_from([".csv", ".txt", ".zip"]))
def test_any_sensor_file_is_read_or_refused_clearly(text: str, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"recording{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            recording = read_recording(path)
        except GaitInputError as error:
            message = str(error)
            assert message.startswith(("recording", "format")), message
            assert ": " in message
        else:
            assert len(recording.t_s) == len(recording.acc_mps2)


# -- FHIR bundles read back --------------------------------------------------------------------


def _bundle() -> dict[str, Any]:
    person = Person(
        id=1, name="fuzz", role=Role.PERSON, created_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    entries = [
        DiaryEntry(
            day=date(2026, 1, 1) + timedelta(days=i),
            pain_now=4,
            pain_walking=5,
            walk_minutes=20,
            note=f"day {i}",
        )
        for i in range(3)
    ]
    return export_bundle(
        person, [], entries, None, [], generated_at=datetime(2026, 1, 5, tzinfo=UTC)
    )


BUNDLE = _bundle()


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


PATHS = _paths(BUNDLE)[1:]


@st.composite
def mutated_bundles(draw: st.DrawFn) -> Any:
    """The real export with one to three parts replaced, removed, or the whole anything."""
    if draw(st.integers(0, 5)) == 0:
        return draw(JSON)
    bundle = copy.deepcopy(BUNDLE)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(PATHS))
        holder = bundle
        try:
            for step in path[:-1]:
                holder = holder[step]
            if draw(st.booleans()) and isinstance(holder, dict):
                holder.pop(path[-1], None)
            else:
                holder[path[-1]] = draw(JSON | ODD_NUMBERS)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this part
    return bundle


@FUZZ
@given(bundle=mutated_bundles())
def test_any_bundle_is_read_or_refused_naming_where(bundle: Any) -> None:
    record, error = attempt(lambda: import_bundle(json.loads(json.dumps(bundle))), BundleError)
    if isinstance(error, BundleError):
        assert error.path
        assert error.message.strip()
        assert "\n" not in error.path
    else:
        assert record is not None
        # The export leaves out an empty name; the person's identifier still says who it is.
        assert record.person_name or record.person_id


def test_the_unchanged_export_reads_back() -> None:
    record = import_bundle(json.loads(json.dumps(BUNDLE)))
    assert [e.note for e in record.entries] == ["day 0", "day 1", "day 2"]


# -- the diary CSV export ----------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@FUZZ
@given(
    notes=st.lists(
        st.text(max_size=40) | st.sampled_from(["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x"]),
        min_size=1,
        max_size=5,
    )
)
def test_the_csv_export_neutralises_formulas_and_keeps_every_note(notes: list[str]) -> None:
    """No cell starts as a spreadsheet formula, and each note reads back (less the ``'``)."""
    entries = [
        DiaryEntry(
            day=date(2026, 1, 1) + timedelta(days=i),
            pain_now=2,
            pain_walking=3,
            walk_minutes=10,
            note=note,
        )
        for i, note in enumerate(notes)
    ]
    rows = list(csv.reader(io.StringIO(diary_csv(entries), newline="")))
    assert rows[0] == list(DIARY_COLUMNS)
    assert len(rows) == len(notes) + 1
    for row, note in zip(rows[1:], notes, strict=True):
        assert all(not cell.startswith(FORMULA_STARTS) for cell in row)
        read = row[DIARY_COLUMNS.index("note")]
        assert read == ("'" + note if note.startswith(FORMULA_STARTS) else note)


def test_there_is_no_csv_import() -> None:
    """The CSV is an export only: nothing in the app reads one back (if that changes, fuzz
    the reader here)."""
    import backstride.interop.csv_export as module  # noqa: PLC0415

    assert not [name for name in dir(module) if name.startswith(("read", "parse", "load"))]


@pytest.mark.parametrize("reserved", ["=HYPERLINK(1)", "+1", "-1", "@SUM(1)"])
def test_a_formula_note_is_quoted(reserved: str) -> None:
    entry = DiaryEntry(
        day=date(2026, 1, 1), pain_now=1, pain_walking=1, walk_minutes=1, note=reserved
    )
    assert diary_csv([entry]).endswith(f",'{reserved}\r\n")
