"""Readers: every format, units detected, and errors that name what is wrong."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from backstride.gait import GaitInputError, from_arrays, read_recording
from backstride.gait.recording import STANDARD_GRAVITY_MPS2
from tests.gait.conftest import TVS

N = 200


def _samples(rate_hz: float = 100.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.arange(N) / rate_hz
    acc = np.column_stack([np.sin(t), np.full(N, 9.81), np.cos(t)])
    gyr = np.column_stack([t, 2 * t, 3 * t])
    return t, acc, gyr


def _write(path: Path, header: list[str], rows: np.ndarray, sep: str = ",") -> Path:
    lines = [sep.join(header)]
    for row in rows:
        text = sep.join(f"{v:.6f}" for v in row)
        lines.append(text.replace(".", ",") if sep == ";" else text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_generic_csv_with_gyroscope(tmp_path: Path) -> None:
    t, acc, gyr = _samples()
    header = ["t_s", "acc_x", "acc_y", "acc_z", "gyr_x", "gyr_y", "gyr_z"]
    rec = read_recording(_write(tmp_path / "walk.csv", header, np.column_stack([t, acc, gyr])))
    assert rec.source == "csv"
    assert rec.acc_unit == "m/s²"
    assert rec.gravity_included
    assert rec.device_rate_hz == pytest.approx(100.0)
    assert rec.gyr_dps is not None
    np.testing.assert_allclose(rec.gyr_dps, gyr, atol=1e-6)


def test_generic_csv_in_g_is_converted(tmp_path: Path) -> None:
    t, acc, _ = _samples(50.0)
    rec = read_recording(
        _write(
            tmp_path / "g.csv", ["t_s", "acc_x", "acc_y", "acc_z"], np.column_stack([t, acc / 9.81])
        )
    )
    assert rec.acc_unit == "g"
    assert rec.gyr_dps is None
    assert rec.device_rate_hz == pytest.approx(50.0)
    np.testing.assert_allclose(rec.acc_mps2, acc / 9.81 * STANDARD_GRAVITY_MPS2, atol=1e-5)


def test_real_recording_reads() -> None:
    rec = read_recording(TVS / "HA_001_Test5_Trial1_imu.csv")
    assert rec.t_s.shape[0] == 1246
    assert rec.duration_s == pytest.approx(12.45)


def test_phyphox_with_gyroscope_in_rad_per_s(tmp_path: Path) -> None:
    t, acc, gyr = _samples()
    header = [
        '"Time (s)"',
        '"Acceleration x (m/s^2)"',
        '"Acceleration y (m/s^2)"',
        '"Acceleration z (m/s^2)"',
        '"Gyroscope x (rad/s)"',
        '"Gyroscope y (rad/s)"',
        '"Gyroscope z (rad/s)"',
    ]
    path = _write(tmp_path / "Raw Data.csv", header, np.column_stack([t, acc, gyr]))
    rec = read_recording(path)
    assert rec.source == "phyphox"
    assert rec.gyr_dps is not None
    np.testing.assert_allclose(rec.gyr_dps, np.degrees(gyr), atol=1e-3)


def test_phyphox_semicolon_decimal_comma_linear_acceleration(tmp_path: Path) -> None:
    t, acc, _ = _samples()
    acc[:, 1] = 0.2 * np.sin(7 * t)
    header = ["Time (s)"] + [f"Linear Acceleration {a} (m/s^2)" for a in "xyz"]
    rec = read_recording(_write(tmp_path / "lin.csv", header, np.column_stack([t, acc]), sep=";"))
    assert not rec.gravity_included
    np.testing.assert_allclose(rec.acc_mps2, acc, atol=1e-5)


def test_phyphox_zip_of_two_sensors(tmp_path: Path) -> None:
    t, acc, gyr = _samples()
    a = _write(
        tmp_path / "Accelerometer.csv",
        ["Time (s)"] + [f"Acceleration {x} (m/s^2)" for x in "xyz"],
        np.column_stack([t, acc]),
    )
    g = _write(
        tmp_path / "Gyroscope.csv",
        ["Time (s)"] + [f"Gyroscope {x} (rad/s)" for x in "xyz"],
        np.column_stack([t[::2], gyr[::2]]),
    )
    archive = tmp_path / "phyphox.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(a, a.name)
        z.write(g, g.name)
    rec = read_recording(archive, "phyphox")
    assert rec.gyr_dps is not None
    np.testing.assert_allclose(rec.gyr_dps[:-1], np.degrees(gyr[:-1]), atol=1e-3)


def test_phyphox_without_acceleration_is_refused(tmp_path: Path) -> None:
    t, _, gyr = _samples()
    header = ["Time (s)"] + [f"Gyroscope {x} (rad/s)" for x in "xyz"]
    with pytest.raises(GaitInputError, match="Acceleration"):
        read_recording(_write(tmp_path / "gyr.csv", header, np.column_stack([t, gyr])), "phyphox")


def test_sensorlogger_single_file(tmp_path: Path) -> None:
    t, acc, _ = _samples()
    time_ns = 1.7e18 + t * 1e9
    rows = np.column_stack([time_ns, t, acc[:, 2], acc[:, 1], acc[:, 0]])
    path = _write(
        tmp_path / "TotalAcceleration.csv", ["time", "seconds_elapsed", "z", "y", "x"], rows
    )
    rec = read_recording(path)
    assert rec.source == "sensorlogger"
    np.testing.assert_allclose(rec.acc_mps2, acc, atol=1e-5)


def test_sensorlogger_folder_adds_gravity_and_gyroscope(tmp_path: Path) -> None:
    t, acc, gyr = _samples()
    gravity = np.tile([0.0, 9.81, 0.0], (N, 1))
    header = ["time", "seconds_elapsed", "z", "y", "x"]
    for name, values in (
        ("Accelerometer", acc - gravity),
        ("Gravity", gravity),
        ("Gyroscope", gyr),
    ):
        rows = np.column_stack([t * 1e9, t, values[:, 2], values[:, 1], values[:, 0]])
        _write(tmp_path / f"{name}.csv", header, rows)
    rec = read_recording(tmp_path, "sensorlogger")
    assert rec.gravity_included
    np.testing.assert_allclose(rec.acc_mps2, acc, atol=1e-5)
    assert rec.gyr_dps is not None
    np.testing.assert_allclose(rec.gyr_dps, np.degrees(gyr), atol=1e-3)


def test_sensorlogger_export_without_accelerometer(tmp_path: Path) -> None:
    t, _, gyr = _samples()
    header = ["time", "seconds_elapsed", "z", "y", "x"]
    for name in ("Gyroscope", "Magnetometer"):
        _write(tmp_path / f"{name}.csv", header, np.column_stack([t, t, gyr]))
    with pytest.raises(GaitInputError, match="TotalAcceleration"):
        read_recording(tmp_path, "sensorlogger")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("time,a,b\n1,2,3\n", "format not recognised"),
        ("t_s,acc_x,acc_y\n1,2,3\n", "format not recognised"),
        ("t_s,acc_x,acc_y,acc_z,gyr_x\n" + "0,0,9.8,0,1\n" * 20, "missing column 'gyr_y'"),
        ("t_s,acc_x,acc_y,acc_z\n" + "0,0,abc,0\n" * 20, "column 'acc_y' has missing"),
        ("t_s,acc_x,acc_y,acc_z\n" + "0.1,0,9.8,0\n" * 3, "fewer than 10 samples"),
        ("t_s,acc_x,acc_y,acc_z\n" + "".join(f"{i},0,300,0\n" for i in range(20)), "unit"),
        ("t_s,acc_x,acc_y,acc_z\n" + "0,0,9.8,0\n" * 20, "too few distinct"),
    ],
)
def test_bad_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GaitInputError, match=message):
        read_recording(path)


def test_forced_csv_format_names_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("time,x\n1,2\n", encoding="utf-8")
    with pytest.raises(GaitInputError, match="missing column 't_s'"):
        read_recording(path, "csv")
    with pytest.raises(GaitInputError, match="missing column 'seconds_elapsed'"):
        read_recording(path, "sensorlogger")
    with pytest.raises(GaitInputError, match="Time"):
        read_recording(path, "phyphox")


def test_unknown_format_missing_file_binary_and_bad_zip(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_recording(tmp_path / "nope.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(GaitInputError, match="not a text"):
        read_recording(binary)
    with pytest.raises(GaitInputError, match="format: must be one of"):
        read_recording(binary, "xls")  # type: ignore[arg-type]
    bad_zip = tmp_path / "a.zip"
    bad_zip.write_bytes(b"not a zip")
    with pytest.raises(GaitInputError, match="not a readable zip"):
        read_recording(bad_zip)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(GaitInputError, match="no CSV file"):
        read_recording(empty)


def test_a_zip_is_unpacked_only_up_to_its_limit(tmp_path: Path) -> None:
    t, acc, _ = _samples()
    header = ["Time (s)"] + [f"Acceleration {x} (m/s^2)" for x in "xyz"]
    csv = _write(tmp_path / "Accelerometer.csv", header, np.column_stack([t, acc]))
    size = csv.stat().st_size
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(csv, csv.name)
        z.writestr("notes.txt", "not read")
    assert read_recording(archive, "phyphox", max_unzipped_bytes=size).acc_mps2.shape == acc.shape
    with pytest.raises(GaitInputError, match=r"export\.zip: more than [0-9,]+ bytes of CSV"):
        read_recording(archive, "phyphox", max_unzipped_bytes=size - 1)
    # A zip bomb's member, much larger unpacked than packed, is refused at the limit.
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Accelerometer.csv", "0" * 50_000_000)
    assert bomb.stat().st_size < 100_000
    with pytest.raises(GaitInputError, match="more than 1,000,000 bytes"):
        read_recording(bomb, max_unzipped_bytes=1_000_000)


def test_a_binary_file_inside_a_zip_is_named(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Accelerometer.csv", b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(GaitInputError, match=r"Accelerometer\.csv is not a text"):
        read_recording(archive)


def test_from_arrays_sorts_jittered_times_and_drops_repeats() -> None:
    t, acc, gyr = _samples()
    order = np.random.default_rng(1).permutation(N)
    t_shuffled = np.concatenate([t[order], t[:3]])
    acc_shuffled = np.concatenate([acc[order], acc[:3]])
    rec = from_arrays(t_shuffled, acc_shuffled, np.concatenate([gyr[order], gyr[:3]]))
    np.testing.assert_array_equal(rec.t_s, t)
    np.testing.assert_allclose(rec.acc_mps2, acc)


@pytest.mark.parametrize(
    ("t", "acc", "gyr", "message"),
    [
        (np.zeros((20, 2)), np.zeros((20, 3)), None, "t_s: must be one time stamp"),
        (np.arange(20.0), np.zeros((20, 2)), None, "acc: must have three axes"),
        (np.arange(20.0), np.zeros((19, 3)), None, "acc: must have one row per time stamp"),
        (np.arange(20.0), np.full((20, 3), np.nan), None, "acc: has missing"),
        (np.arange(20.0), np.ones((20, 3)), np.full((20, 3), np.inf), "gyr: has missing"),
        (np.arange(20.0), [["a", "b", "c"]] * 20, None, "acc: must be numbers"),
    ],
)
def test_from_arrays_errors(t: object, acc: object, gyr: object, message: str) -> None:
    with pytest.raises(GaitInputError, match=message):
        from_arrays(t, acc, gyr)  # type: ignore[arg-type]


def test_from_arrays_explicit_unit() -> None:
    t, acc, _ = _samples()
    rec = from_arrays(t, acc / 9.80665, acc_unit="g")
    assert rec.acc_unit == "g"
    np.testing.assert_allclose(rec.acc_mps2, acc)
    with pytest.raises(GaitInputError, match="acc_unit"):
        from_arrays(t, acc, acc_unit="ft/s²")
