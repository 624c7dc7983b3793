"""The law library (laws, their versions by effective date, headings and articles) and the case
library (typical cases with their structured elements, and "not similar" feedback).

A ``Law`` is the instrument (中华人民共和国劳动合同法), a ``LawVersion`` one text of it (the 2012
amendment, in force from 2013-07-01), and every ``Article`` belongs to one version, so a citation
can point at the words that applied on the date of the facts (domain/anchors.md, gap 4).

Dates of a version: ``effective_from`` is its first day in force, ``effective_to`` its last
(inclusive; empty while it is the current text). They are derived, never typed: the importer sets
them from the next version's first day or the law's repeal date.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhongcai.cases.taxonomy import ClaimType

from .casetypes import (
    Authority,
    ClaimKind,
    DatePrecision,
    DecidedBy,
    Industry,
    Outcome,
    TerminationReason,
)
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


# -- the case library --------------------------------------------------------------------------


class LibraryCase(models.Model):
    """A case of the case library: a curated typical case, or (later) one of the commission's own
    closed and published cases, with its texts and its structured elements.

    The elements (causes, claims and their outcomes, termination reason, industry, region, dates,
    cited articles) are what the similar-case push compares and explains; ``elements_checked``
    says whether a person checked them or only the rules of ``elements.py`` read them.
    A case that is not ``public`` is for staff only and never answers a public query.
    """

    class Origin(models.TextChoices):
        CURATED = "curated", _("Curated")
        COMMISSION = "commission", _("The commission's own case")

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        help_text=_("Stable identifier from the manifest, e.g. mohrss-spc-2021-2-01."),
    )
    title = models.CharField(_("title"), max_length=300)
    authority = models.CharField(_("authority"), max_length=16, choices=Authority.choices)
    issuing_body = models.CharField(_("issued by"), max_length=200)
    collection = models.CharField(
        _("collection"),
        max_length=200,
        blank=True,
        help_text=_("The release it belongs to: 劳动人事争议典型案例（第二批）."),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issued_precision = models.CharField(
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("How much of the date the source gives; a month is stored as its first day."),
    )
    decided_by = models.CharField(_("decided by"), max_length=16, choices=DecidedBy.choices)
    region = models.CharField(
        _("region"),
        max_length=6,
        blank=True,
        help_text=_("GB/T 2260 division code where the dispute arose; empty for a national case."),
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    causes = models.JSONField(_("causes"), default=list, blank=True)
    termination_reason = models.CharField(
        _("termination reason"), max_length=20, choices=TerminationReason.choices, blank=True
    )
    employment_start = models.DateField(_("employment began"), null=True, blank=True)
    employment_end = models.DateField(
        _("employment ended"),
        null=True,
        blank=True,
        help_text=_("Or the last fact of the dispute: the date whose law applies."),
    )
    applied_on = models.DateField(_("applied for arbitration"), null=True, blank=True)

    facts = models.TextField(_("facts"))
    claims_text = models.TextField(_("claims as written"))
    outcome_text = models.TextField(_("outcome as written"))
    reasoning = models.TextField(_("reasoning"), blank=True)
    significance = models.TextField(_("significance"), blank=True)

    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown to everyone; otherwise to staff only."),
    )
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.CURATED)
    source_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The commission's case this entry was built from."),
    )
    elements_checked = models.BooleanField(
        default=False,
        help_text=_("A person checked the elements; otherwise the extraction rules read them."),
    )
    source = models.TextField(_("source"), blank=True, help_text=_("Where the text comes from."))
    source_file = models.CharField(max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the similar-case index checks the library's revision on every query (MAX of it).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("library case")
        verbose_name_plural = _("library cases")
        ordering = ["authority", "-issued_on", "key"]
        indexes = [models.Index(fields=["public", "authority"], name="library_case_public")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:library-case", args=[self.pk])

    @property
    def facts_on(self) -> date | None:
        """The date whose law governs the facts."""
        return self.employment_end or self.applied_on or self.issued_on

    @property
    def issued_label(self) -> str:
        if self.issued_on is None:
            return ""
        if self.issued_precision == DatePrecision.YEAR:
            return f"{self.issued_on:%Y}"
        if self.issued_precision == DatePrecision.MONTH:
            return f"{self.issued_on:%Y-%m}"
        return f"{self.issued_on:%Y-%m-%d}"


class LibraryClaim(models.Model):
    """One claim item of a library case and what became of it."""

    case = models.ForeignKey(LibraryCase, on_delete=models.CASCADE, related_name="claims")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=ClaimKind.choices)
    type = models.CharField(max_length=32, choices=ClaimType.choices)
    description = models.TextField(blank=True)
    amount_claimed = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Yuan.")
    )
    amount_awarded = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Yuan.")
    )
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["case", "number"]
        verbose_name = _("library case claim")
        verbose_name_plural = _("library case claims")
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="library_claim_number"),
            models.CheckConstraint(
                condition=(models.Q(amount_claimed__isnull=True) | models.Q(amount_claimed__gte=0))
                & (models.Q(amount_awarded__isnull=True) | models.Q(amount_awarded__gte=0)),
                name="library_claim_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.get_kind_display()}"


class LibraryCitation(models.Model):
    """An article a library case cites, as written and as linked (``citations.find_citations``).

    The law and article number identify the article across versions (what similarity compares);
    ``article`` is the version's text in force when the case was decided. A citation of a text
    the library does not hold keeps only its words.
    """

    case = models.ForeignKey(LibraryCase, on_delete=models.CASCADE, related_name="citations")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    law = models.ForeignKey(Law, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    article_number = models.PositiveIntegerField(null=True, blank=True)
    article_suffix = models.PositiveSmallIntegerField(default=0)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="library_citations"
    )

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("library case citation")
        verbose_name_plural = _("library case citations")

    def __str__(self) -> str:
        return self.text


class SimilarityFeedback(models.Model):
    """A staff member's "not similar" on a pushed case: who, for which case, which library case,
    when. Withdrawn marks are kept (``withdrawn_at``), never deleted."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    library_case = models.ForeignKey(LibraryCase, on_delete=models.CASCADE, related_name="feedback")
    note = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("similar-case feedback")
        verbose_name_plural = _("similar-case feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case", "library_case"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_mark_per_user_case_result",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.case_id} ≠ {self.library_case_id}"
