"""Administrative divisions and the organisations that sit on them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Division(models.Model):
    """An administrative division by GB/T 2260 code: province, prefecture-level city, county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture-level city")
        COUNTY = "county", _("County-level division")
        FUNCTIONAL_ZONE = "functional_zone", _("Functional zone")

    code = models.CharField(max_length=6, primary_key=True, help_text=_("GB/T 2260, six digits."))
    name = models.CharField(max_length=50)
    level = models.CharField(max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Organisation(models.Model):
    """A body that uses the platform, placed in one tree for data scope.

    ``path`` is the materialized path of primary keys from the root, e.g. ``/1/2/17/``: "this
    organisation and everything under it" is ``path__startswith``, one indexed prefix query.
    It is written only by ``zhongcai.orgs.services``.
    """

    class Type(models.TextChoices):
        HRSS_DEPARTMENT = "hrss_department", _("HRSS department")
        COMMISSION = "commission", _("Arbitration commission")
        ARBITRATION_INSTITUTE = "arbitration_institute", _("Arbitration institute")
        MEDIATION_ORGANISATION = "mediation_organisation", _("Mediation organisation")
        COURT = "court", _("Court")

    name = models.CharField(max_length=100)
    short_name = models.CharField(max_length=30, blank=True, help_text=_("e.g. 历下区仲裁院"))
    type = models.CharField(max_length=32, choices=Type.choices)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="organisations")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_ORG_FIELD = ""  # an organisation is scoped by its own path

    class Meta:
        ordering = ["division_id", "type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["division", "type", "name"], name="org_unique_name"),
        ]
        indexes = [
            # LIKE 'prefix%' uses a btree index on PostgreSQL only with pattern ops
            # (other backends ignore opclasses).
            models.Index(
                fields=["path"], name="org_path_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def is_within(self, other: "Organisation") -> bool:
        """True if this organisation is ``other`` or lies under it."""
        return self.path.startswith(other.path)
