"""The shape of an illustration file, checked strictly before anything is built from it."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PropName = Literal["floor", "mat", "chair", "wall", "step", "poles"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class RootFile(_Strict):
    x: float
    y: float
    angle_deg: float = 0.0


class PoseFile(_Strict):
    name: str = Field(min_length=1)
    hold_s: float = Field(ge=0, le=30)
    root: RootFile
    joints: dict[str, float] = {}


class IllustrationFile(_Strict):
    exercise: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    alt: str = Field(min_length=20)
    props: list[PropName] = []
    loop_s: float = Field(gt=0, le=60)
    poses: list[PoseFile] = Field(min_length=2, max_length=4)
