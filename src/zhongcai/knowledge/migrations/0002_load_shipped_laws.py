"""Load the law texts shipped with the project (knowledge/data/laws) into the library.

Every deployment needs them — they are public law, not demo data — so they arrive with
``migrate``, like the holiday calendar. Later texts (new laws, amendments, local rules) are added
with ``manage.py import_laws DIR``; a release that ships more texts adds a migration like this
one, which imports only what is new (the importer is idempotent).

The importer writes through the historical models handed in here. If a later migration changes
these models in a way the importer cannot write to at this point of history, replace the body
of ``load`` with a no-op and let the newer migration load the texts.
"""

from django.db import migrations

from zhongcai.knowledge.importer import SHIPPED_LAWS, LibraryModels, import_laws


def load(apps, schema_editor):
    import_laws(SHIPPED_LAWS, models=LibraryModels.from_apps(apps))


def unload(apps, schema_editor):
    # Only what this migration loaded: the laws of the shipped manifest, with their versions.
    from zhongcai.knowledge.importer import read_library

    titles = [law.title for law in read_library(SHIPPED_LAWS).laws]
    apps.get_model("knowledge", "Law").objects.filter(title__in=titles).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_law_library"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
