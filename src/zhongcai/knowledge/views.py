"""The public law library: the list of laws, one law by chapter, one article, search.

No login: laws are public. Each article's text is shown with its citations linked (本法第X条,
前款 …) to the article of the same version, or of the version of another law in force when
this text took effect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString

from . import selectors
from .catalog import Catalog, get_catalog
from .citations import CitationContext, cited_by, link_citations
from .forms import SearchForm, VersionDateForm
from .models import Article, Law, LawVersion, article_url
from .search import SearchQueryError, search

SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGES = 10


def law_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/law_list.html",
        {"groups": selectors.law_groups(), "form": SearchForm()},
    )


def law_detail(request: HttpRequest, law_id: int) -> HttpResponse:
    law = selectors.get_law(law_id)
    form = VersionDateForm(request.GET)
    form.is_valid()  # a bad date is shown as an error; the valid parts still apply
    values = form.cleaned_data
    choice = selectors.choose_version(law, version_id=values.get("version"), on=values.get("on"))
    text = selectors.law_text(choice.version, part_id=values.get("part"))
    catalog = get_catalog()
    for entry in _walk(text.shown):
        _render_all(entry.articles, law, choice.version, catalog)
    _render_all(text.loose_articles, law, choice.version, catalog)
    return render(
        request,
        "knowledge/law_detail.html",
        {
            "law": law,
            "choice": choice,
            "version": choice.version,
            "text": text,
            "form": form,
            "version_query": _version_query(choice),
            "keep": _version_query(choice)[1:] + "&" if _version_query(choice) else "",
        },
    )


def article_detail(request: HttpRequest, law_id: int, number: str) -> HttpResponse:
    law = selectors.get_law(law_id)
    form = VersionDateForm(request.GET)
    form.is_valid()  # a bad date is shown as an error; the valid parts still apply
    values = form.cleaned_data
    choice = selectors.choose_version(law, version_id=values.get("version"), on=values.get("on"))
    article_number, suffix = selectors.parse_article_slug(number)
    page = selectors.article_page(choice.version, article_number, suffix)
    catalog = get_catalog()
    _render_all([page.article], law, choice.version, catalog)
    citing = [
        {
            "law": catalog.laws[entry.law_id].short_title,
            "label": entry.label,
            "url": article_url(entry.law_id, entry.number, entry.suffix),
        }
        for entry in cited_by(page.article.pk, catalog=catalog)
    ]
    return render(
        request,
        "knowledge/article_detail.html",
        {
            "law": law,
            "choice": choice,
            "version": choice.version,
            "page": page,
            "article": page.article,
            "cited_by": citing,
            "form": form,
            "version_query": _version_query(choice),
        },
    )


def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filtered = sum(1 for name in ("level", "status", "on") if request.GET.get(name))
    context: dict[str, Any] = {
        "form": form,
        "results": None,
        "error": None,
        "page": None,
        "filtered": filtered,
        "query": request.GET.get("q", ""),
    }
    if "q" in request.GET and form.is_valid():
        data = form.cleaned_data
        page_number = _page_number(request.GET.get("page"))
        try:
            results = search(
                data["q"],
                level=data["level"] or None,
                status=data["status"] or None,
                on=data["on"],
                limit=SEARCH_PAGE_SIZE,
                offset=(page_number - 1) * SEARCH_PAGE_SIZE,
            )
        except SearchQueryError as exc:
            context["error"] = str(exc)
        else:
            total = min(results.total, SEARCH_PAGE_SIZE * SEARCH_MAX_PAGES)
            paginator = Paginator(range(total), SEARCH_PAGE_SIZE)
            context["results"] = results
            context["page"] = paginator.get_page(page_number)
            context["query_string"] = _without_page(request)
    return render(request, "knowledge/search.html", context)


# -- helpers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedItem:
    number: int
    label: str
    html: SafeString


@dataclass(frozen=True)
class RenderedParagraph:
    number: int
    html: SafeString
    items: list[RenderedItem]


def _render_all(articles: list[Article], law: Law, version: LawVersion, catalog: Catalog) -> None:
    """Attach ``rendered``: each paragraph and item as HTML with its citations linked. Citations
    to other laws point at their version in force when this text took effect."""
    for article in articles:
        rendered = []
        for number, paragraph in enumerate(article.paragraphs, start=1):
            context = CitationContext(
                law_id=law.pk,
                article_number=article.number if article.kind == Article.Kind.ARTICLE else None,
                article_suffix=article.suffix,
                paragraph=number,
                version_id=version.pk,
            )

            def linked(text: str, context: CitationContext = context) -> SafeString:
                return link_citations(
                    text, on=version.effective_from, context=context, catalog=catalog
                )

            rendered.append(
                RenderedParagraph(
                    number,
                    linked(paragraph["text"]),
                    [
                        RenderedItem(i["number"], i["label"], linked(i["text"]))
                        for i in paragraph["items"]
                    ],
                )
            )
        article.rendered = rendered  # type: ignore[attr-defined]


def _walk(entries: list[selectors.TocEntry]) -> list[selectors.TocEntry]:
    result = []
    for entry in entries:
        result.append(entry)
        result.extend(_walk(entry.children))
    return result


def _version_query(choice: selectors.VersionChoice) -> str:
    """The query string that keeps the chosen version on links to other pages of the law."""
    current = next((v for v in reversed(choice.versions) if v.effective_to is None), None)
    if choice.version == current:
        return ""
    return f"?version={choice.version.pk}"


def _page_number(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), SEARCH_MAX_PAGES))
    except ValueError:
        return 1


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
