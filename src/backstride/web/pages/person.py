"""A signed-in person's pages: programme, check-in, progress and downloads."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
