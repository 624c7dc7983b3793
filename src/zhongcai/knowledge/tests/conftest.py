"""The law library in tests.

The shipped texts and typical cases are loaded by the data migrations, so every test database has
them and each test sees them inside its transaction. A test that flushes the database (a live
server) gets them again through ``library``. The search index is built once per process and kept
while the library is unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhongcai.knowledge.caselibrary import import_library_cases
from zhongcai.knowledge.importer import SHIPPED_LAWS, import_laws
from zhongcai.knowledge.models import Law, LibraryCase


@pytest.fixture
def library(db):
    """The shipped library, laws and typical cases; reloaded if a flush removed it."""
    if not Law.objects.exists():
        import_laws(SHIPPED_LAWS)
    if not LibraryCase.objects.exists():
        import_library_cases()


@pytest.fixture
def law(library):
    """``law("劳动合同法")``: a law by its short title."""

    def _law(short_title: str) -> Law:
        return Law.objects.get(short_title=short_title)

    return _law


@pytest.fixture
def laws_dir(tmp_path) -> Path:
    """A writable copy of the shipped texts, to spoil or extend."""
    target = tmp_path / "laws"
    shutil.copytree(SHIPPED_LAWS, target)
    return target
