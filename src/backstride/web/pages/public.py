"""Pages anyone can read: the landing page, what Backstride is, and the education library."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from markdown_it import MarkdownIt

from backstride.domain.programme import EducationPage
from backstride.web.deps import WebApp, render

router = APIRouter(include_in_schema=False)


@cache
def _markdown() -> MarkdownIt:
    # Content is ours, but raw HTML is still off: pages are Markdown only.
    return MarkdownIt("commonmark", {"html": False})


def education_html(page: EducationPage) -> str:
    html: str = _markdown().render(page.body)
    return html


@router.get("/", response_class=HTMLResponse)
def landing(request: Request) -> HTMLResponse:
    return render(request, "landing.html", {"title": "Lower back pain when you walk"})


@router.get("/favicon.ico")
def favicon() -> RedirectResponse:
    """Browsers and tools that ask for /favicon.ico get the SVG icon."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, web: WebApp) -> HTMLResponse:
    content = web.services.assessments.content
    return render(
        request,
        "about.html",
        {
            "title": "What Backstride does and does not do",
            "disclaimer": content.disclaimer,
            "content_version": content.version,
        },
    )


@router.get("/learn", response_class=HTMLResponse)
def library(request: Request, web: WebApp) -> HTMLResponse:
    pages = sorted(web.services.assessments.content.programme.education, key=lambda p: p.title)
    return render(request, "learn/index.html", {"title": "Learn about your back", "pages": pages})


@router.get("/learn/{page_id}", response_class=HTMLResponse)
def education(request: Request, web: WebApp, page_id: str) -> HTMLResponse:
    pages = {p.id: p for p in web.services.assessments.content.programme.education}
    page = pages.get(page_id)
    if page is None:
        raise HTTPException(status_code=404, detail="There is no page with that name.")
    return render(
        request,
        "learn/page.html",
        {"title": page.title, "page": page, "body": education_html(page)},
    )
