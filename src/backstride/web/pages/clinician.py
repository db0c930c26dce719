"""A clinician's pages: the people linked to them, ordered by need, and their records."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
