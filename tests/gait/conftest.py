"""Shared loaders for the real recordings under tests/data/gait."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent.parent / "data" / "gait"
TVS = DATA / "mobgap-tvs-lab"
NAMES = sorted(pd.read_csv(TVS / "index.csv")["name"])


def imu(name: str) -> pd.DataFrame:
    return pd.read_csv(TVS / f"{name}_imu.csv")


def meta(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads((TVS / f"{name}_meta.json").read_text(encoding="utf-8"))
    return loaded


def arrays(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame = imu(name)
    return (
        frame["t_s"].to_numpy(),
        frame[["acc_x", "acc_y", "acc_z"]].to_numpy(),
        frame[["gyr_x", "gyr_y", "gyr_z"]].to_numpy(),
    )


@pytest.fixture(scope="session")
def straight_walk() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 12 s straight walk at comfortable speed (HA_001, Test 5, trial 1)."""
    return arrays("HA_001_Test5_Trial1")
