"""Loads and validates clinical content files into domain objects."""

from backstride.content.errors import ContentError
from backstride.content.loader import default_content_root, load_content

__all__ = ["ContentError", "default_content_root", "load_content"]
