"""Citation links in any template: ``{% load knowledge %}``.

``{{ award.reasoning|cite_links:facts_date }}`` — the text, escaped, with every citation linked
to the article in force on ``facts_date`` (or the current text without a date).

``{% cite_links_in text on=facts_date law=law article=article paragraph=2 %}`` — the same, with
a context for 本法, 前款, 前条.

``{% case_push case as push %}`` — the law push and the similar cases of a ``cases.Case``
(``push.law``, ``push.similar``), as the staff case page shows them (knowledge/_case_push.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import template
from django.utils.safestring import SafeString

from ..citations import CitationContext, link_citations
from ..lawpush import LawPush
from ..reasons import SimilarResults, similar_for_case
from ..selectors import sees_staff_cases

register = template.Library()


@register.filter(name="cite_links")
def cite_links(text: Any, on: date | None = None) -> SafeString:
    return link_citations(str(text or ""), on=on or None)


@register.simple_tag(name="cite_links_in")
def cite_links_in(
    text: Any,
    *,
    on: date | None = None,
    law: Any = None,
    article: Any = None,
    paragraph: int | None = None,
) -> SafeString:
    if article is not None:
        context = CitationContext.of_article(article, paragraph)
    else:
        context = CitationContext(law_id=getattr(law, "pk", law), paragraph=paragraph)
    return link_citations(str(text or ""), on=on or None, context=context)


@dataclass(frozen=True)
class CasePush:
    law: LawPush | None
    similar: SimilarResults


CASE_PUSH_RESULTS = 5


@register.simple_tag(name="case_push", takes_context=True)
def case_push(context: Any, case: Any) -> CasePush:
    request = context.get("request")
    user = getattr(request, "user", None)
    similar = similar_for_case(
        case, limit=CASE_PUSH_RESULTS, public_only=not sees_staff_cases(user)
    )
    return CasePush(law=similar.law_push, similar=similar)
