"""The logins axes records read in the reader's language: the section's name, each row by username and local time."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.urls import reverse
from django.utils import translation

MOMENT = datetime(2026, 11, 30, 13, 19, 12, 220612, tzinfo=ZoneInfo("UTC"))  # 8 h 19 in Montréal


@pytest.mark.parametrize(
    ("language", "section", "row"),
    [
        ("fr-ca", "Connexions", "administrateur — 30 novembre 2026, 8\xa0h\xa019"),
        ("en", "Logins", "administrateur — November 30, 2026, 8:19 a.m."),
    ],
)
def test_a_login_record_reads_as_its_username_and_local_time(language, section, row):
    with translation.override(language):
        assert str(apps.get_app_config("axes").verbose_name) == section
        assert str(AccessLog(username="administrateur", attempt_time=MOMENT)) == row
        assert str(AccessAttempt(username="administrateur", attempt_time=MOMENT)) == row


def test_a_record_without_a_username_says_so():
    with translation.override("fr-ca"):
        assert str(AccessLog(username=None, attempt_time=MOMENT)) == "aucun nom d’utilisateur — 30 novembre 2026, 8\xa0h\xa019"


@pytest.mark.django_db
def test_the_admin_names_the_section_and_the_rows_in_words(client, administrator):
    administrator.is_staff = True
    administrator.save(update_fields=["is_staff"])
    log = AccessLog.objects.create(username="administrateur", user_agent="test", path_info="/admin/login/")
    AccessLog.objects.filter(pk=log.pk).update(attempt_time=MOMENT)
    client.force_login(administrator)
    page = client.get(reverse("admin:axes_accesslog_change", args=[log.pk])).content.decode()
    assert "Connexions</a>" in page
    assert "administrateur — 30 novembre 2026, 8\xa0h\xa019" in page
    assert "Access Log for" not in page
    assert "Axes" not in page
