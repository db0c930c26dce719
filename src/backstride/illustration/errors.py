"""The one error a broken illustration gives: it names the field at fault."""

from __future__ import annotations


class IllustrationError(ValueError):
    """An illustration that cannot be drawn as written.

    ``path`` names the field, for example ``poses[1].joints.knee_nar``; ``source`` is the
    name of the file or item it came from, when known.
    """

    def __init__(self, path: str, message: str, *, source: str | None = None) -> None:
        self.path = path
        self.message = message
        self.source = source
        where = f"{source}: {path}" if source else path
        super().__init__(f"{where}: {message}")
