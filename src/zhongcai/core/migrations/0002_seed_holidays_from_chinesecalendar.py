"""Seed the holiday table with every State Council arrangement the chinesecalendar package knows.

Years published later are added with ``manage.py seed_holidays`` after upgrading the package, or
by an administrator in the admin from the notice itself.
"""

from django.db import migrations

from zhongcai.core.holiday_seed import package_days_by_year, seed_holidays


def seed(apps, schema_editor):
    seed_holidays(apps.get_model("core", "HolidayYear"), apps.get_model("core", "Holiday"))


def unseed(apps, schema_editor):
    # Only the years this seeding wrote; a year an administrator entered by hand stays.
    apps.get_model("core", "HolidayYear").objects.filter(
        year__in=list(package_days_by_year()), source__startswith="chinesecalendar "
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
