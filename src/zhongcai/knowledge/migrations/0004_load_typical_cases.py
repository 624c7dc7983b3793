"""Load the typical cases shipped with the project (knowledge/data/cases) into the case library.

The ten overtime cases of 劳动人事争议典型案例（第二批） (MOHRSS and the Supreme People's Court,
2021) are public and official, so every deployment gets them with ``migrate``, as it gets the
laws. More cases arrive with ``manage.py import_library_cases DIR``; a release that ships more
adds a migration like this one (the importer is idempotent).

The importer writes through the historical models handed in here; the cited articles are linked
through the law library's catalog, loaded by ``0002_load_shipped_laws``. If a later migration
changes these models so that the importer cannot write to them at this point of history, replace
the body of ``load`` with a no-op and let the newer migration load the cases.
"""

from django.db import migrations

from zhongcai.knowledge.caselibrary import (
    SHIPPED_CASES,
    CaseLibraryModels,
    import_library_cases,
    read_case_library,
)


def load(apps, schema_editor):
    import_library_cases(SHIPPED_CASES, models=CaseLibraryModels.from_apps(apps))


def unload(apps, schema_editor):
    keys = [case.key for case in read_case_library(SHIPPED_CASES)]
    apps.get_model("knowledge", "LibraryCase").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_case_library"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
