"""The knowledge endpoints, for anyone (``AllowAny``):

- ``GET /api/v1/knowledge/search?q=…``: the law library's search in JSON. Laws are public; only
  public documents are ever searched. Answers the same ranking as the search page.
- ``GET /api/v1/knowledge/similar?q=…``: similar library cases for a description, each with its
  reasons, and the articles likely to apply. Anonymous and public users get public cases only.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .forms import SIMILAR_MAX_LENGTH
from .lawpush import PushedArticle
from .models import Law
from .numerals import to_chinese
from .reasons import Reason, SimilarResult, similar_for_text
from .search import MAX_LIMIT, MAX_QUERY_LENGTH, SearchHit, SearchQueryError, search
from .selectors import sees_staff_cases
from .similar import ELEMENTS
from .similar import MAX_LIMIT as MAX_SIMILAR


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_LENGTH,
        allow_blank=True,
        trim_whitespace=True,
        help_text=_("Words, or an article: 劳动合同法第四十七条, 劳动合同法 第47条, LCL 47."),
    )
    level = serializers.ChoiceField(choices=Law.Level.choices, required=False)
    status = serializers.ChoiceField(choices=Law.Status.choices, required=False)
    on = serializers.DateField(
        required=False,
        help_text=_("Date of the facts: each law in the text in force then; others left out."),
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=1000, default=0)


class LawRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    short_title = serializers.CharField()
    level = serializers.ChoiceField(choices=Law.Level.choices)
    status = serializers.ChoiceField(choices=Law.Status.choices)


class ArticleRefSerializer(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True, help_text=_("47; null for a section."))
    suffix = serializers.IntegerField(help_text=_("1 for 第十条之一."))
    number_cn = serializers.CharField(help_text=_("四十七"))
    label = serializers.CharField(help_text=_("第四十七条, as the text writes it."))
    heading = serializers.CharField()


class VersionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version_date = serializers.DateField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("article (cases come later)"))
    score = serializers.FloatField()
    exact = serializers.BooleanField(help_text=_("The article the query names."))
    law = LawRefSerializer()
    article = ArticleRefSerializer()
    version = VersionRefSerializer()
    snippet = serializers.CharField(help_text=_("HTML: escaped text, matched words in <mark>."))
    url = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField()
    exact = serializers.BooleanField()
    results = SearchHitSerializer(many=True)


def _hit(hit: SearchHit, request: Request) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "score": hit.score,
        "exact": hit.exact,
        "law": {
            "id": hit.law_id,
            "title": hit.law_title,
            "short_title": hit.law_short_title,
            "level": hit.level,
            "status": hit.status,
        },
        "article": {
            "number": hit.number,
            "suffix": hit.suffix,
            "number_cn": to_chinese(hit.number) if hit.number is not None else "",
            "label": hit.label,
            "heading": hit.heading,
        },
        "version": {
            "id": hit.version_id,
            "version_date": hit.version_date,
            "effective_from": hit.effective_from,
            "effective_to": hit.effective_to,
        },
        "snippet": str(hit.snippet),
        "url": request.build_absolute_uri(hit.url),
    }


class KnowledgeSearchView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["knowledge"],
        summary="Search the law library",
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResponseSerializer,
            400: OpenApiResponse(
                description="Bad query (empty, too long) or filter: nothing found."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        try:
            results = search(
                data["q"],
                level=data.get("level"),
                status=data.get("status"),
                on=data.get("on"),
                limit=data["limit"],
                offset=data["offset"],
            )
        except SearchQueryError as exc:
            return Response({"q": [str(exc)]}, status=400)
        body = {
            "query": results.query,
            "count": results.total,
            "exact": results.exact,
            "results": [_hit(hit, request) for hit in results.hits],
        }
        return Response(SearchResponseSerializer(body).data)


# -- similar cases -----------------------------------------------------------------------------


class SimilarQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=SIMILAR_MAX_LENGTH,
        trim_whitespace=True,
        help_text=_("A description of the dispute: facts, what is claimed, amounts."),
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=MAX_SIMILAR, default=10)


class ReasonSerializer(serializers.Serializer):
    element = serializers.ChoiceField(choices=[(e, e) for e in ELEMENTS])
    text = serializers.CharField()
    points = serializers.IntegerField(help_text=_("Points of the score (of 100) it brought."))


class ClaimOutcomeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    outcome = serializers.CharField(help_text=_("granted, partly, rejected, or empty"))
    claimed = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    awarded = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    summary = serializers.CharField()


class SimilarCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    authority = serializers.CharField()
    authority_label = serializers.CharField()
    issuing_body = serializers.CharField()
    issued = serializers.CharField(help_text=_("2021-08: as precise as the source."))
    decided_by = serializers.CharField()
    public = serializers.BooleanField()
    score = serializers.FloatField(help_text=_("0 to 1; the sum of the contributions."))
    contributions = serializers.DictField(child=serializers.FloatField())
    matches = ReasonSerializer(many=True)
    differences = ReasonSerializer(many=True)
    passage_section = serializers.CharField()
    passage = serializers.CharField(help_text=_("HTML: escaped text, matched words in <mark>."))
    outcome = ClaimOutcomeSerializer(many=True)
    warnings = serializers.ListField(child=serializers.CharField())


class PushedArticleSerializer(serializers.Serializer):
    citation = serializers.CharField(help_text=_("劳动法第四十四条"))
    law = LawRefSerializer()
    number = serializers.IntegerField()
    suffix = serializers.IntegerField()
    version = VersionRefSerializer()
    approximate = serializers.BooleanField()
    source = serializers.CharField(help_text=_("rules or search"))
    reasons = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


class SimilarResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    public_only = serializers.BooleanField()
    read = serializers.ListField(child=serializers.CharField())
    facts_on = serializers.DateField()
    articles = PushedArticleSerializer(many=True)
    count = serializers.IntegerField()
    results = SimilarCaseSerializer(many=True)


def _reason(reason: Reason) -> dict[str, Any]:
    return {"element": reason.element, "text": reason.text, "points": reason.percent}


def _similar(result: SimilarResult, request: Request) -> dict[str, Any]:
    case = result.case
    return {
        "id": case.pk,
        "key": case.key,
        "title": case.title,
        "url": request.build_absolute_uri(case.get_absolute_url()),
        "authority": case.authority,
        "authority_label": result.authority_label,
        "issuing_body": case.issuing_body,
        "issued": case.issued_label,
        "decided_by": case.decided_by,
        "public": case.public,
        "score": round(result.score, 4),
        "contributions": {name: round(value, 4) for name, value in result.contributions.items()},
        "matches": [_reason(r) for r in result.matches],
        "differences": [_reason(r) for r in result.differences],
        "passage_section": result.passage_section,
        "passage": str(result.passage),
        "outcome": [
            {
                "kind": c.kind,
                "kind_label": c.kind_label,
                "outcome": c.outcome,
                "claimed": c.claimed,
                "awarded": c.awarded,
                "summary": c.summary,
            }
            for c in result.claims
        ],
        "warnings": result.warnings,
    }


def _pushed(article: PushedArticle, request: Request) -> dict[str, Any]:
    return {
        "citation": article.citation,
        "law": {
            "id": article.law_id,
            "title": article.law_title,
            "short_title": article.law_short_title,
            "level": "",
            "status": article.law_status,
        },
        "number": article.number,
        "suffix": article.suffix,
        "version": {
            "id": article.version_id,
            "version_date": article.version_date,
            "effective_from": article.effective_from,
            "effective_to": article.effective_to,
        },
        "approximate": article.approximate,
        "source": article.source,
        "reasons": article.reasons,
        "url": request.build_absolute_uri(article.url),
    }


class KnowledgeSimilarView(APIView):
    """Similar library cases for a description, each with its reasons. Anyone may ask; only
    staff see staff-only cases."""

    permission_classes = [AllowAny]

    @extend_schema(
        tags=["knowledge"],
        summary="Similar cases for a description, with reasons",
        parameters=[SimilarQuerySerializer],
        responses={
            200: SimilarResponseSerializer,
            400: OpenApiResponse(description="No description, or too long."),
        },
    )
    def get(self, request: Request) -> Response:
        params = SimilarQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        public_only = not sees_staff_cases(request.user)
        found = similar_for_text(data["q"], limit=data["limit"], public_only=public_only)
        push = found.law_push
        body = {
            "query": data["q"],
            "public_only": public_only,
            "read": found.read,
            "facts_on": push.on if push else None,
            "articles": [_pushed(a, request) for a in push.articles] if push else [],
            "count": len(found.results),
            "results": [_similar(r, request) for r in found.results],
        }
        return Response(SimilarResponseSerializer(body).data)
