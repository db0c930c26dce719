"""Gait analysis from one inertial sensor (a phone) worn at the lower back.

Self-contained: imports nothing else of Backstride, so it can be used and tested on its own.

>>> from backstride.gait import analyse_file          # doctest: +SKIP
>>> result = analyse_file("walk.csv", height_m=1.7)    # doctest: +SKIP
>>> result.summary.cadence_spm                          # doctest: +SKIP
"""

from backstride.gait.errors import GaitInputError
from backstride.gait.pipeline import (
    Bout,
    GaitPipeline,
    GaitResult,
    QualityFlag,
    Summary,
    analyse,
    analyse_arrays,
    analyse_file,
)
from backstride.gait.readers import FORMATS, read_recording
from backstride.gait.recording import Recording, from_arrays

__all__ = [
    "FORMATS",
    "Bout",
    "GaitInputError",
    "GaitPipeline",
    "GaitResult",
    "QualityFlag",
    "Recording",
    "Summary",
    "analyse",
    "analyse_arrays",
    "analyse_file",
    "from_arrays",
    "read_recording",
]
