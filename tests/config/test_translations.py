"""Both catalogues are complete, compiled, and hold every string we write."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
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


def _french_texts() -> list[tuple[str, str]]:
    texts = []
    for entry in polib.pofile(str(CATALOGUES[0])):
        strings = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        texts += [(entry.msgid, text) for text in strings]
    return texts


def oqlf_faults(text: str) -> list[str]:
    """How a French text departs from Québec punctuation (OQLF): a non-breaking space before ":" and
    inside « », none before ";", "!" and "?". A URL's "://" and a colon between digits ("20:08") are not punctuation."""
    faults = []
    for match in re.finditer(r":(?!//)", text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if before != "\xa0" and not (before.isdigit() and after.isdigit()) and match.start():
            faults.append("a colon without a non-breaking space before it")
    if re.search(r"«(?!\xa0)", text) or re.search(r"(?<!\xa0)»", text):
        faults.append("« » without non-breaking spaces inside")
    if re.search(r"[\s\u00a0\u202f][;!?]", text):
        faults.append("a space before ; ! or ?")
    return faults


@pytest.mark.parametrize(
    ("text", "faults"),
    [
        ("Solde d’ouverture\xa0: %(amount)s", []),
        ("Solde d’ouverture : %(amount)s", ["a colon without a non-breaking space before it"]),
        ("%(field)s: %(value)s", ["a colon without a non-breaking space before it"]),
        ("Voir https://example.org à 20:08", []),
        ("la subvention « %(title)s »", ["« » without non-breaking spaces inside"]),
        ("la subvention «\xa0%(title)s\xa0»", []),
        ("Dans la tolérance ?", ["a space before ; ! or ?"]),
        ("Dans la tolérance?", []),
    ],
)
def test_the_oqlf_reader_sees_each_fault(text, faults):
    assert oqlf_faults(text) == faults


def test_french_is_punctuated_as_in_quebec():
    faulty = [f"{msgid!r} → {text!r}: {fault}" for msgid, text in _french_texts() for fault in oqlf_faults(text)]
    assert faulty == [], "\n".join(faulty)
