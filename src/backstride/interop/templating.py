"""The Jinja2 set-up every printable page shares: our package templates, autoescaped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def environment(**filters: Callable[..., Any]) -> Environment:
    """Templates from ``backstride/interop/templates``, autoescaped, strict about undefined
    names, with ``filters`` added."""
    made = Environment(
        loader=PackageLoader("backstride.interop", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    made.filters.update(filters)
    return made
