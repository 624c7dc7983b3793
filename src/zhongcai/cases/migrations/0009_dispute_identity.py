"""Every case gets its own dispute identity; a case that came from a mediation later takes the
mediation's. Added nullable, filled one by one (a column default would give every existing row
the same value), then made required."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for pk in Case.objects.filter(dispute__isnull=True).values_list("pk", flat=True).iterator():
        Case.objects.filter(pk=pk).update(dispute=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_agent_acceptance"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="dispute",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="dispute",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text="The same dispute across a mediation and this arbitration (issue 8).",
            ),
        ),
    ]
