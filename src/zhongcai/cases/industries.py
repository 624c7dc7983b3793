"""The sections (门类) of the national industry classification, GB/T 4754-2017, A to T.

The list is data, in ``data/gbt4754_sections.csv`` (code, name); the names are the standard's
own Chinese names and are shown as they are. [M] Entered from memory of GB/T 4754-2017; verify
against the published text.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

SECTIONS_CSV = Path(__file__).resolve().parent / "data" / "gbt4754_sections.csv"


@cache
def sections() -> dict[str, str]:
    """Section code → name, in the standard's order."""
    with SECTIONS_CSV.open(encoding="utf-8", newline="") as f:
        return {row["code"].strip(): row["name"].strip() for row in csv.DictReader(f)}


def industry_choices() -> list[tuple[str, str]]:
    """Choices for ``Party.industry``: ("C", "C 制造业")."""
    return [(code, f"{code} {name}") for code, name in sections().items()]
