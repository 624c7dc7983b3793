from django.urls import URLPattern, URLResolver, path, register_converter

from . import case_views, views


class ArticleNumberConverter:
    """47, or 10-1 for 第十条之一."""

    regex = r"[0-9]+(?:-[0-9]+)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str | int) -> str:
        return str(value)


register_converter(ArticleNumberConverter, "law_article")

app_name = "knowledge"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.law_list, name="law-list"),
    path("search", views.search_page, name="search"),
    path("laws/<int:law_id>/", views.law_detail, name="law-detail"),
    path(
        "laws/<int:law_id>/articles/<law_article:number>/",
        views.article_detail,
        name="article-detail",
    ),
    path("similar", case_views.similar_page, name="similar"),
    path("similar/feedback", case_views.similar_feedback, name="similar-feedback"),
    path("similar/evaluation", case_views.similar_evaluation, name="similar-evaluation"),
    path("cases/", case_views.case_list, name="library-cases"),
    path("cases/<int:pk>/", case_views.case_detail, name="library-case"),
]
