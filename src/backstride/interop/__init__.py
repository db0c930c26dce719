"""Formats for the world outside Backstride: the printable plan handout (HTML and PDF).

Sits below ``backstride.services``: imports the domain, the programme and the standard
library, plus Jinja2 and WeasyPrint; never services or cli.
"""

from backstride.interop.handout import describe_dose, html_to_pdf, render_handout_html

__all__ = ["describe_dose", "html_to_pdf", "render_handout_html"]
