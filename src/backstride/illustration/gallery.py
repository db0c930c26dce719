"""A self-contained HTML page showing every illustration, for clinical review."""

from __future__ import annotations

from collections.abc import Sequence

from backstride.illustration.shapes import attr

_CSS = (
    "body{font-family:system-ui,sans-serif;margin:0;padding:1.5rem;background:#f2f1ed;"
    "color:#1e2328;line-height:1.45}"
    "main{max-width:88rem;margin:0 auto}"
    "ul{list-style:none;padding:0;margin:0;display:grid;gap:1.25rem;"
    "grid-template-columns:repeat(auto-fill,minmax(19rem,1fr))}"
    "figure{margin:0;background:#fff;border:1px solid #cfcbc2;border-radius:12px;"
    "padding:.75rem}"
    "figure svg{display:block;width:100%;height:auto}"
    "figcaption h2{font-size:1.1rem;margin:.5rem 0 .1rem}"
    "figcaption p{margin:.2rem 0;font-size:.95rem}"
    "code{font-size:.85rem;color:#4b5560}"
    "@media (prefers-color-scheme: dark){body{background:#15191d;color:#e8e6e1}"
    "figure{background:#20262c;border-color:#39414a}code{color:#aab4be}}"
)


def gallery_html(items: Sequence[tuple[str, str, str]]) -> str:
    """A complete page with one ``<figure>`` per ``(exercise_id, name, svg)`` row.

    The markup is also well-formed XML (void elements self-closed), so it can be checked
    with an XML parser.

    Each SVG is inlined as given (it carries its own title, description and background);
    the caption repeats its name and id so a reviewer can find the file.
    """
    figures = "".join(
        f'<li><figure id="{attr(exercise_id)}" aria-labelledby="{attr(exercise_id)}-name">'
        f'{svg}<figcaption><h2 id="{attr(exercise_id)}-name">{attr(name)}</h2>'
        f"<p><code>{attr(exercise_id)}</code></p></figcaption></figure></li>"
        for exercise_id, name, svg in items
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        "<title>Backstride exercise illustrations</title>"
        f"<style>{_CSS}</style></head><body><main>"
        "<h1>Backstride exercise illustrations</h1>"
        f"<p>{len(items)} illustrations, drawn from pose data. Each loops through its key "
        "positions; with reduced motion on, each shows its first position still.</p>"
        f"<ul>{figures}</ul></main></body></html>\n"
    )
