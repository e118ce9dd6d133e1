"""What a partner does in the load test, in plain Python (no Locust, no Django).

The pages are named by their Django URL names; :data:`PATHS` gives each the
path it has today, and tests/loadtest/test_scenario.py checks every one
against ``django.urls.reverse``, so a renamed or moved URL breaks a test
rather than the load test.
"""

import re
from dataclasses import dataclass
from string import Formatter

PATHS = {
    "login": "/comptes/login/",
    "portal:home": "/portail/",
    "portal:party": "/portail/{party_id}/",
    "portal:statement": "/portail/{party_id}/releve/",
    "portal:statement_csv": "/portail/{party_id}/releve.csv",
    "portal:statement_pdf": "/portail/{party_id}/releve.pdf",
    "portal:report": "/portail/{party_id}/rapports/{requirement_id}/",
}

TASK_WEIGHTS = {
    "home": 3,
    "statement": 2,
    "statement_csv": 1,
    "statement_pdf": 1,
    "report": 2,
    "report_submission": 1,
}
"""How often a partner does each thing, relative to the others."""

SAVE, SUBMIT = "save", "submit"
"""The two buttons of the report form (``portal.forms.SAVE`` and ``SUBMIT``)."""

REPORT = {
    "activities": "Quatre ateliers de cuisine collective et deux soirées jeux à la maison des jeunes.",
    "what_worked": "L’animation en duo avec l’intervenante de l’Aire ouverte.",
    "what_did_not": "Les ateliers du dimanche ont attiré peu de monde.",
    "partners_involved": "Aire ouverte des Laurentides, Ville de Saint-Jérôme.",
    "youth_12_17": "18",
    "youth_18_25": "11",
    "activities_held": "6",
    "municipalities_reached": "2",
}
"""What a partner writes in its report form, besides the spending of each budget line (no young person named)."""

SPENDING = "1250.00"

LOGIN_NAME = "login"
"""The name Locust files the logins under; they are timed apart from the pages (see loadtest.run)."""


def path(url_name: str, **kwargs: int) -> str:
    return PATHS[url_name].format(**kwargs)


def placeholders(url_name: str) -> list[str]:
    return [field for _text, field, _spec, _conversion in Formatter().parse(PATHS[url_name]) if field]


def pattern(url_name: str, **known: int) -> re.Pattern[str]:
    """A regular expression for the paths of ``url_name``, capturing each placeholder not given."""
    regex = ""
    for text, field, _spec, _conversion in Formatter().parse(PATHS[url_name]):
        regex += re.escape(text)
        if field:
            regex += str(known[field]) if field in known else rf"(?P<{field}>\d+)"
    return re.compile(regex)


def usernames(*, users: int, partners: int) -> list[str]:
    """One member per simulated user, each of another generated partner, spread over all of them.

    The names are those of ``ledger.demo.generated_username``.
    """
    if not 0 < users <= partners:
        raise ValueError(f"{users} users need as many generated partners; there are {partners}.")
    step = partners // users
    return [f"partenaire-{1 + index * step:05d}" for index in range(users)]


@dataclass(frozen=True)
class Summary:
    users: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int

    def line(self) -> str:
        return (
            f"users={self.users} rps={self.rps:.1f} p50_ms={self.p50_ms:.0f} p95_ms={self.p95_ms:.0f} "
            f"p99_ms={self.p99_ms:.0f} errors={self.errors}"
        )
