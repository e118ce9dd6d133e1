"""Both catalogues are complete, compiled, and hold every string we write."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale" / language / "LC_MESSAGES" / "django.po" for language in ("fr", "en")]


def msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.MULTILINE):
        ids.add("".join(re.findall(r'"(.*)"', block)))
    return ids - {""}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parent.parent.name)
def test_every_string_is_translated_and_compiled(po, tmp_path):
    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert statistics.returncode == 0, statistics.stderr
    assert "untranslated" not in statistics.stderr and "fuzzy" not in statistics.stderr, statistics.stderr
    assert (tmp_path / "django.mo").read_bytes() == po.with_suffix(".mo").read_bytes(), "run `make messages`"


def test_the_catalogues_hold_every_string_of_the_code(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".git", "var", "__pycache__", "tests", ".hypothesis", ".pytest_cache"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-location", "--ignore", "bench"],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": os.environ["DATABASE_URL"]},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po")
    for po in CATALOGUES:
        assert fresh - msgids(po) == set(), f"strings missing from {po}: run `make messages`"


def test_a_refusal_reads_in_french_then_in_english():
    with translation.override("fr-ca"):
        assert translation.gettext("A transaction needs at least two entries.") == (
            "Une transaction doit avoir au moins deux écritures."
        )
    with translation.override("en"):
        assert translation.gettext("A transaction needs at least two entries.") == (
            "A transaction needs at least two entries."
        )
