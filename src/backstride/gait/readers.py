"""Readers for phone exports: phyphox, Sensor Logger, and a generic CSV.

Each reader returns a :class:`~backstride.gait.recording.Recording`. A file that cannot be
used raises :class:`~backstride.gait.errors.GaitInputError` naming the file part or column
that is wrong, never a sample value.

Formats
-------
phyphox (https://phyphox.org), "Export data" as CSV, one file or the zip of several sensors:
    ``Time (s)``, ``Acceleration x (m/s^2)`` ... (with g) or ``Linear Acceleration x (m/s^2)``
    ... (without g), ``Gyroscope x (rad/s)`` ...; comma, tab or semicolon separated (the
    semicolon export uses a decimal comma).
Sensor Logger (https://www.tszheichoi.com/sensorlogger), CSV export, one file or the zip/folder:
    ``time`` (ns), ``seconds_elapsed``, ``z``, ``y``, ``x``; ``TotalAcceleration.csv`` (with g),
    ``Accelerometer.csv`` (without g; ``Gravity.csv`` is added if present), ``Gyroscope.csv``
    (rad/s).
Generic CSV:
    ``t_s, acc_x, acc_y, acc_z`` (m/s² or g, detected), optional ``gyr_x, gyr_y, gyr_z`` (deg/s).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from backstride.gait.errors import GaitInputError
from backstride.gait.recording import Recording, from_arrays

if TYPE_CHECKING:
    from numpy.typing import NDArray

Format = Literal["auto", "phyphox", "sensorlogger", "csv"]
FORMATS: tuple[Format, ...] = ("auto", "phyphox", "sensorlogger", "csv")

_AXES = ("x", "y", "z")
_GENERIC_ACC = ("acc_x", "acc_y", "acc_z")
_GENERIC_GYR = ("gyr_x", "gyr_y", "gyr_z")
_PHYPHOX_TIME = re.compile(r"^time \(s\)$", re.IGNORECASE)
_PHYPHOX_ACC = re.compile(r"^(linear )?acceleration ([xyz]) \((m/s\^2|g)\)$", re.IGNORECASE)
_PHYPHOX_GYR = re.compile(r"^gyroscope ([xyz]) \((rad/s|deg/s)\)$", re.IGNORECASE)
_SENSORLOGGER_COLUMNS = frozenset({"seconds_elapsed", "x", "y", "z"})
_MAX_HEADER_BYTES = 4096
#: The most CSV a zip export may unpack to: a day at 100 Hz from three sensors (Sensor
#: Logger's acceleration, gravity and gyroscope) is about 1.3 GB of text; a zip bomb is
#: refused here instead of filling the memory.
MAX_UNZIPPED_BYTES = 2 << 30


@dataclass(frozen=True)
class _Table:
    name: str
    frame: pd.DataFrame


def _read_table(name: str, text: str) -> _Table:
    """Parse CSV text, finding the separator (comma, tab, semicolon) with :mod:`csv`."""
    head = text[:_MAX_HEADER_BYTES]
    if not head.strip():
        raise GaitInputError(f"{name}: the file is empty")
    try:
        dialect = csv.Sniffer().sniff(head.splitlines()[0], delimiters=",\t;")
        separator = dialect.delimiter
    except csv.Error:
        separator = ","
    decimal = "," if separator == ";" else "."
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, decimal=decimal)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        raise GaitInputError(f"{name}: not a readable CSV table") from None
    frame.columns = [str(column).strip().strip('"') for column in frame.columns]
    return _Table(name, frame)


def _numeric(table: _Table, columns: list[str]) -> NDArray[np.float64]:
    frame = table.frame[columns].apply(pd.to_numeric, errors="coerce")
    values = np.asarray(frame.to_numpy(dtype=float), dtype=np.float64)
    bad = [c for c, ok in zip(columns, np.all(np.isfinite(values), axis=0), strict=True) if not ok]
    if bad:
        raise GaitInputError(f"{table.name}: column {bad[0]!r} has missing or non-numeric values")
    return values


def _sniff_format(table: _Table) -> Format:
    columns = set(table.frame.columns)
    if set(_GENERIC_ACC) <= columns and "t_s" in columns:
        return "csv"
    if any(_PHYPHOX_TIME.match(c) for c in columns):
        return "phyphox"
    if {c.lower() for c in columns} >= _SENSORLOGGER_COLUMNS:
        return "sensorlogger"
    raise GaitInputError(
        f"{table.name}: format not recognised (expected columns t_s, acc_x, acc_y, acc_z, "
        "or a phyphox or Sensor Logger export)"
    )


def _generic(table: _Table) -> Recording:
    columns = set(table.frame.columns)
    missing = [c for c in ("t_s", *_GENERIC_ACC) if c not in columns]
    if missing:
        raise GaitInputError(f"{table.name}: missing column {missing[0]!r}")
    present_gyr = [c for c in _GENERIC_GYR if c in columns]
    if present_gyr and len(present_gyr) != len(_GENERIC_GYR):
        absent = next(c for c in _GENERIC_GYR if c not in columns)
        raise GaitInputError(f"{table.name}: missing column {absent!r}")
    t_s = _numeric(table, ["t_s"])[:, 0]
    acc = _numeric(table, list(_GENERIC_ACC))
    gyr = _numeric(table, list(_GENERIC_GYR)) if present_gyr else None
    return from_arrays(t_s, acc, gyr, source="csv")


def _phyphox_columns(table: _Table) -> tuple[str, list[str], bool | None, list[str], float]:
    """Return the time, acceleration and gyroscope columns of a phyphox table."""
    time = next((c for c in table.frame.columns if _PHYPHOX_TIME.match(c)), None)
    if time is None:
        raise GaitInputError(f"{table.name}: missing column 'Time (s)'")
    acc: dict[str, str] = {}
    gyr: dict[str, str] = {}
    linear: bool | None = None
    gyr_factor = 1.0
    for column in table.frame.columns:
        if match := _PHYPHOX_ACC.match(column):
            acc[match.group(2).lower()] = column
            linear = match.group(1) is not None
        elif match := _PHYPHOX_GYR.match(column):
            gyr[match.group(1).lower()] = column
            gyr_factor = float(np.degrees(1.0)) if match.group(2).lower() == "rad/s" else 1.0
    return (
        time,
        [acc[a] for a in _AXES if a in acc],
        linear,
        [gyr[a] for a in _AXES if a in gyr],
        gyr_factor,
    )


def _interpolate(
    t_s: NDArray[np.float64], t_source: NDArray[np.float64], values: NDArray[np.float64]
) -> NDArray[np.float64]:
    order = np.argsort(t_source)
    return np.column_stack(
        [np.interp(t_s, t_source[order], values[order, i]) for i in range(values.shape[1])]
    )


def _phyphox(tables: list[_Table]) -> Recording:
    acc_part: tuple[NDArray[np.float64], NDArray[np.float64], bool | None] | None = None
    gyr_part: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    for table in tables:
        time, acc, linear, gyr, gyr_factor = _phyphox_columns(table)
        if len(acc) == len(_AXES) and acc_part is None:
            acc_part = (_numeric(table, [time])[:, 0], _numeric(table, acc), not linear)
        if len(gyr) == len(_AXES) and gyr_part is None:
            gyr_part = (_numeric(table, [time])[:, 0], _numeric(table, gyr) * gyr_factor)
    if acc_part is None:
        raise GaitInputError(f"{tables[0].name}: missing columns 'Acceleration x/y/z (m/s^2)'")
    t_s, acc_values, gravity = acc_part
    gyr_values = None
    if gyr_part is not None:
        gyr_values = _interpolate(t_s, *gyr_part)
    return from_arrays(t_s, acc_values, gyr_values, source="phyphox", gravity_included=gravity)


def _sensorlogger_xyz(table: _Table) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lower = {c.lower(): c for c in table.frame.columns}
    missing = [c for c in ("seconds_elapsed", *_AXES) if c not in lower]
    if missing:
        raise GaitInputError(f"{table.name}: missing column {missing[0]!r}")
    t_s = _numeric(table, [lower["seconds_elapsed"]])[:, 0]
    return t_s, _numeric(table, [lower[a] for a in _AXES])


def _sensorlogger(tables: list[_Table]) -> Recording:
    by_name = {Path(t.name).name.lower(): t for t in tables}
    if len(tables) == 1:
        t_s, acc = _sensorlogger_xyz(tables[0])
        return from_arrays(t_s, acc, None, source="sensorlogger")
    gravity_included = True
    if "totalacceleration.csv" in by_name:
        t_s, acc = _sensorlogger_xyz(by_name["totalacceleration.csv"])
    elif "accelerometer.csv" in by_name:
        t_s, acc = _sensorlogger_xyz(by_name["accelerometer.csv"])
        gravity_included = False
        if "gravity.csv" in by_name:
            acc = acc + _interpolate(t_s, *_sensorlogger_xyz(by_name["gravity.csv"]))
            gravity_included = True
    else:
        raise GaitInputError("export: no TotalAcceleration.csv or Accelerometer.csv in it")
    gyr = None
    if "gyroscope.csv" in by_name:
        t_gyr, values = _sensorlogger_xyz(by_name["gyroscope.csv"])
        gyr = _interpolate(t_s, t_gyr, np.degrees(values))
    return from_arrays(t_s, acc, gyr, source="sensorlogger", gravity_included=gravity_included)


def _unzip_tables(path: Path, max_bytes: int) -> list[_Table]:
    """The CSV files of a zip export, read up to ``max_bytes`` in all: the sizes a zip states
    can lie, so the limit is on what is actually unpacked (a zip bomb stops there)."""
    tables = []
    left = max_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if not name.lower().endswith(".csv"):
                    continue
                with archive.open(name) as member:
                    data = member.read(left + 1)
                if len(data) > left:
                    raise GaitInputError(
                        f"{path.name}: more than {max_bytes:,} bytes of CSV once unzipped"
                    )
                left -= len(data)
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise GaitInputError(f"{path.name}: {name} is not a text (CSV) file") from None
                tables.append(_read_table(Path(name).name, text))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError):
        raise GaitInputError(f"{path.name}: not a readable zip file") from None
    return tables


def _load_tables(path: Path, max_unzipped_bytes: int) -> list[_Table]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        return [_read_table(p.name, p.read_text(encoding="utf-8-sig")) for p in files]
    if path.suffix.lower() == ".zip":
        return _unzip_tables(path, max_unzipped_bytes)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise GaitInputError(f"{path.name}: not a text (CSV) file") from None
    return [_read_table(path.name, text)]


def read_recording(
    path: Path | str,
    format: Format = "auto",  # noqa: A002
    *,
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES,
) -> Recording:
    """Read a recording from a CSV file, or a zip or folder of CSV files (one export).

    A zip may hold at most ``max_unzipped_bytes`` of CSV once unpacked.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    GaitInputError
        If the file is not one of the formats, or a column is missing or not numeric.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    if format not in FORMATS:
        raise GaitInputError(f"format: must be one of {', '.join(FORMATS)}")
    tables = _load_tables(path, max_unzipped_bytes)
    if not tables:
        raise GaitInputError(f"{path.name}: no CSV file in it")
    chosen = _sniff_format(tables[0]) if format == "auto" else format
    if chosen == "csv":
        return _generic(tables[0])
    if chosen == "phyphox":
        return _phyphox(tables)
    return _sensorlogger(tables)
