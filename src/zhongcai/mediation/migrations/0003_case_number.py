"""Mediation cases get their organisation's number; existing rows are numbered in the order they
were received, per organisation and year."""

from django.db import migrations, models
from django.utils import timezone


def number_existing(apps, schema_editor):
    from zhongcai.cases.numbering import default_abbreviation

    MediationCase = apps.get_model("mediation", "MediationCase")
    Organisation = apps.get_model("orgs", "Organisation")
    counters: dict[tuple[int, int], int] = {}
    for case in MediationCase.objects.order_by("received_at", "pk"):
        organisation = Organisation.objects.select_related("division__parent").get(
            pk=case.organisation_id
        )
        year = timezone.localtime(case.received_at).year
        key = (case.organisation_id, year)
        counters[key] = counters.get(key, 0) + 1
        case.number = f"{default_abbreviation(organisation)}调〔{year}〕第{counters[key]}号"
        case.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0002_room_agreement_pool"),
        ("orgs", "0002_institutions_people_verification_roster"),
    ]

    operations = [
        migrations.AddField(
            model_name="mediationcase",
            name="number",
            field=models.CharField(
                default="",
                help_text="The organisation's number for the case, e.g. 济历下调〔2026〕第1号.",
                max_length=64,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="mediationcase",
            constraint=models.UniqueConstraint(
                fields=("organisation", "number"), name="mediation_case_number_once"
            ),
        ),
    ]
