"""Exercise illustrations drawn from data: a posed side-view figure rendered to SVG.

Pure: imports only the standard library and pydantic. Content files are read elsewhere
and handed to ``parse_illustration``.
"""

from backstride.illustration.errors import IllustrationError
from backstride.illustration.gallery import gallery_html
from backstride.illustration.model import Illustration, KeyPose, Prop, RootPlacement
from backstride.illustration.parse import parse_illustration
from backstride.illustration.skeleton import Joint
from backstride.illustration.svg import render_svg

__all__ = [
    "Illustration",
    "IllustrationError",
    "Joint",
    "KeyPose",
    "Prop",
    "RootPlacement",
    "gallery_html",
    "parse_illustration",
    "render_svg",
]
