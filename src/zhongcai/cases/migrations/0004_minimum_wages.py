"""Seed the monthly minimum wages the final-award test needs (spec §3.3a; open question 5).

The rows come from ``cases/data/minimum_wages.csv`` (division_code, tier, monthly,
effective_from, source). They are Shandong's tiers from 2023-10-01 as remembered — tier 1 2,200,
tier 2 2,010, tier 3 1,820 yuan a month — entered for Jinan (370100) and Qingdao (370200) at
tier 1, city level, and marked "[M] 待核实": the provincial HRSS department must confirm them, and
an administrator enters every other division (no tier is guessed for a division without a row).
Existing rows are left as they are; unapplying removes only rows still as seeded.
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "minimum_wages.csv"


def _rows():
    with CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield {
                "division_id": row["division_code"].strip(),
                "tier": int(row["tier"]),
                "monthly": Decimal(row["monthly"]),
                "effective_from": date.fromisoformat(row["effective_from"].strip()),
                "source": row["source"].strip()[:200],
            }


def seed(apps, schema_editor):
    MinimumWage = apps.get_model("cases", "MinimumWage")
    for row in _rows():
        MinimumWage.objects.get_or_create(
            division_id=row["division_id"],
            effective_from=row["effective_from"],
            defaults={key: row[key] for key in ("tier", "monthly", "source")},
        )


def unseed(apps, schema_editor):
    MinimumWage = apps.get_model("cases", "MinimumWage")
    for row in _rows():
        MinimumWage.objects.filter(**row).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_tribunal_service_hearings_award_archive")]

    operations = [migrations.RunPython(seed, unseed)]
