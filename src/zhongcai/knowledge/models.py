"""The law library: laws, their versions by effective date, headings and articles.

A ``Law`` is the instrument (中华人民共和国劳动合同法), a ``LawVersion`` one text of it (the 2012
amendment, in force from 2013-07-01), and every ``Article`` belongs to one version, so a citation
can point at the words that applied on the date of the facts (domain/anchors.md, gap 4).

Dates of a version: ``effective_from`` is its first day in force, ``effective_to`` its last
(inclusive; empty while it is the current text). They are derived, never typed: the importer sets
them from the next version's first day or the law's repeal date.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .numerals import article_label, ordinal_label


class Law(models.Model):
    class Level(models.TextChoices):
        # In the order the library lists them: by rank, then the local rules.
        LAW = "law", _("Law")
        ADMINISTRATIVE_REGULATION = "administrative_regulation", _("Administrative regulation")
        JUDICIAL_INTERPRETATION = "judicial_interpretation", _("Judicial interpretation")
        DEPARTMENTAL_RULE = "departmental_rule", _("Departmental rule")
        NORMATIVE_DOCUMENT = "normative_document", _("Normative document")
        LOCAL_REGULATION = "local_regulation", _("Local regulation")
        LOCAL_GOVERNMENT_RULE = "local_government_rule", _("Local government rule")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")
        NOT_YET_IN_FORCE = "not_yet_in_force", _("Not yet in force")

    title = models.CharField(_("title"), max_length=200, unique=True)
    short_title = models.CharField(
        _("short title"), max_length=100, help_text=_("How the law is usually cited: 劳动合同法.")
    )
    aliases = models.JSONField(
        _("aliases"),
        default=list,
        blank=True,
        help_text=_("Other names a citation may use: 调解仲裁法, 解释（一）, LCL."),
    )
    issuing_body = models.CharField(_("issuing body"), max_length=200)
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    document_number = models.CharField(_("document number"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    status_note = models.CharField(
        _("status as published"),
        max_length=200,
        blank=True,
        help_text=_(
            "The status wording of the source, e.g. 已废止(2021-01-01起;由解释（一）取代)."
        ),
    )
    first_effective_on = models.DateField(
        _("first in force on"),
        null=True,
        blank=True,
        help_text=_("When the law first took effect, before any amendment."),
    )
    repealed_on = models.DateField(
        _("repealed on"), null=True, blank=True, help_text=_("First day it is no longer in force.")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["level", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:law-detail", args=[self.pk])

    @property
    def is_repealed(self) -> bool:
        return self.status == self.Status.REPEALED

    def names(self) -> list[str]:
        """Every name a citation may use, longest first."""
        names = {self.title, self.short_title, *self.aliases}
        return sorted((n for n in names if n), key=lambda n: (-len(n), n))


class LawVersion(models.Model):
    law = models.ForeignKey(Law, on_delete=models.CASCADE, related_name="versions")
    version_date = models.DateField(
        _("version date"), help_text=_("Date of adoption or of the amendment this text reflects.")
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("Last day in force; empty while this is the current text."),
    )
    source_sha256 = models.CharField(
        _("source checksum"),
        max_length=64,
        help_text=_("SHA-256 of the source file (of the files' checksums for a law in parts)."),
    )
    source_files = models.JSONField(_("source files"), default=list)
    promulgation = models.TextField(
        _("promulgation"), blank=True, help_text=_("Adoption and amendment lines of the source.")
    )
    preamble = models.TextField(_("preamble"), blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")
        ordering = ["law", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["law", "version_date"], name="one_version_per_date"),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="version_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["law", "effective_from"])]

    def __str__(self) -> str:
        return f"{self.law} ({self.version_date:%Y-%m-%d})"

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def is_current(self) -> bool:
        return self.effective_to is None

    @property
    def ends_on(self) -> date | None:
        """First day no longer in force, for display as a half-open range."""
        return self.effective_to + timedelta(days=1) if self.effective_to else None


class Heading(models.Model):
    """A 编, 分编, 章 or 节 of one version; ``depth`` 1 is the outermost."""

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="headings")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    depth = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=30, blank=True, help_text=_("第一章, 第二节 …"))
    title = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("heading")
        verbose_name_plural = _("headings")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="one_heading_per_position")
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.label, self.title) if p)


class Article(models.Model):
    """One 条 of a version. ``paragraphs`` are its 款, each with its 项:

    ``[{"text": "…下列情形之一的：", "items": [{"number": 1, "label": "（一）", "text": "…"}]}]``

    A document without 第X条 structure (a notice) is kept as ``PART``s: its sections, numbered in
    order, so that it can be read and searched like the others.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        PART = "part", _("Section")

    version = models.ForeignKey(LawVersion, on_delete=models.CASCADE, related_name="articles")
    heading = models.ForeignKey(
        Heading, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    number = models.PositiveIntegerField(_("number"))
    suffix = models.PositiveSmallIntegerField(
        _("suffix"), default=0, help_text=_("1 for 第十条之一, 0 for a plain article.")
    )
    label = models.CharField(
        _("number as written"), max_length=60, help_text=_("第四十七条, 第十条之一 …")
    )
    position = models.PositiveIntegerField()
    text = models.TextField(_("text"))
    paragraphs = models.JSONField(_("paragraphs"), default=list)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number", "suffix"], name="one_article_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version.law.short_title} {self.label}"

    def get_absolute_url(self) -> str:
        return article_url(self.version.law_id, self.number, self.suffix)

    @property
    def slug(self) -> str:
        """The article's part of a URL: 47, or 10-1 for 第十条之一."""
        return f"{self.number}-{self.suffix}" if self.suffix else str(self.number)

    @property
    def standard_label(self) -> str:
        if self.kind == self.Kind.PART:
            return self.label
        return article_label(self.number, self.suffix)

    def paragraph_label(self, paragraph: int) -> str:
        return ordinal_label(paragraph, "款")


def article_url(law_id: int, number: int, suffix: int = 0, *, version_id: int | None = None) -> str:
    slug = f"{number}-{suffix}" if suffix else str(number)
    url = reverse("knowledge:article-detail", args=[law_id, slug])
    return f"{url}?version={version_id}" if version_id else url
