"""The one error a broken content file gives: it names the file, the item and the field."""

from __future__ import annotations


class ContentError(ValueError):
    """Content that cannot be trusted. Never loaded in part."""

    def __init__(self, file: str, item: str | None, field: str | None, message: str) -> None:
        self.file = file
        self.item = item
        self.field = field
        where = file
        if item:
            where += f": {item}"
        if field:
            where += f": {field}"
        super().__init__(f"{where}: {message}")
