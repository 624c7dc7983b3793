"""``GET /api/v1/knowledge/search?q=…``: the law library's search in JSON, for anyone.

Laws are public, so the endpoint needs no account (``AllowAny``); only public documents are ever
searched. Answers the same ranking as the search page (``search.search``).
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

from .models import Law
from .numerals import to_chinese
from .search import MAX_LIMIT, MAX_QUERY_LENGTH, SearchHit, SearchQueryError, search


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
