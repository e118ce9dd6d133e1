"""The partners of the load test, for Locust (``python -m loadtest.run`` drives them).

Each logs in as the member of its own generated organisation, then opens its
home, its statement (HTML, CSV, PDF) and its reports, and saves or submits a
report, waiting 1 to 5 seconds in between.

In production a proxy ends HTTPS in front of gunicorn and says so with
``X-Forwarded-Proto: https``; the session and CSRF cookies are Secure and a
form's Origin must be the HTTPS site. Here the client plays browser and
proxy at once: its addresses are ``https://`` (so its cookies and Origin are
a browser's), and :class:`TlsEndsHere` sends the bytes in plain HTTP to
gunicorn on loopback, with the proxy's header.
"""

import itertools
import random
import re
from urllib.parse import urlsplit

from locust import HttpUser, between, task
from locust.exception import StopUser
from requests.adapters import HTTPAdapter

from loadtest.scenario import LOGIN_NAME, REPORT, SAVE, SPENDING, SUBMIT, TASK_WEIGHTS, path, pattern

PASSWORD = "demo-aire-ouverte"
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSIONS = re.compile(r'name="versions" value="(\d+)"')
SPENDING_LINE = re.compile(r'name="(spending_\w+)"')


class TlsEndsHere(HTTPAdapter):
    """Sends an ``https://`` request over plain HTTP, as the proxy in front of gunicorn does."""

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        return {**host_params, "scheme": "http"}, pool_kwargs


class Partner(HttpUser):
    wait_time = between(1, 5)
    usernames: list[str] = []
    """Set by the runner: one username per simulated user."""
    logged_in = 0
    stopped = 0
    """How many have logged in, and how many gave up before (the runner waits for all of them)."""
    _numbers = itertools.count()

    def on_start(self) -> None:
        try:
            self._start()
        except BaseException:
            Partner.stopped += 1
            raise

    def _start(self) -> None:
        self.client.mount("https://", TlsEndsHere())
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.origin = self.host.rstrip("/")
        self.username = self.usernames[next(self._numbers)]
        home = self._log_in()
        reports = pattern("portal:report", party_id=self.party_id).finditer(home)
        self.requirements = sorted({int(match["requirement_id"]) for match in reports})
        if not self.requirements:
            raise StopUser(f"{self.username} has no report to write on their home page.")
        # The first reports are submitted once each; the last one is saved as a draft again and again.
        self.to_submit = self.requirements[:-1]
        Partner.logged_in += 1

    def _log_in(self) -> str:
        page = self.client.get(path("login"), name=f"{LOGIN_NAME} (form)")
        data = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self._token(page.text)}
        with self.client.post(
            path("login"), data=data, headers={"Origin": self.origin}, name=LOGIN_NAME, catch_response=True
        ) as response:
            landed = pattern("portal:party").fullmatch(urlsplit(response.url).path)
            if response.status_code != 200 or landed is None:
                response.failure(f"{self.username} did not land on their organisation's home: {response.url}")
                raise StopUser()
        self.party_id = int(landed["party_id"])
        return response.text

    @staticmethod
    def _token(page: str) -> str:
        found = CSRF_TOKEN.search(page)
        if found is None:
            raise StopUser("A form without its CSRF token.")
        return found[1]

    def _get(self, url_name: str, check: bytes = b"", **kwargs: int) -> None:
        with self.client.get(path(url_name, **kwargs), name=url_name, catch_response=True) as response:
            if response.ok and not response.content.startswith(check):
                response.failure(f"{url_name} does not start with {check!r}")

    @task(TASK_WEIGHTS["home"])
    def home(self) -> None:
        self._get("portal:party", party_id=self.party_id)

    @task(TASK_WEIGHTS["statement"])
    def statement(self) -> None:
        self._get("portal:statement", party_id=self.party_id)

    @task(TASK_WEIGHTS["statement_csv"])
    def statement_csv(self) -> None:
        self._get("portal:statement_csv", check="\ufeff".encode(), party_id=self.party_id)

    @task(TASK_WEIGHTS["statement_pdf"])
    def statement_pdf(self) -> None:
        self._get("portal:statement_pdf", check=b"%PDF", party_id=self.party_id)

    @task(TASK_WEIGHTS["report"])
    def report(self) -> None:
        self._get("portal:report", party_id=self.party_id, requirement_id=random.choice(self.requirements))

    @task(TASK_WEIGHTS["report_submission"])
    def report_submission(self) -> None:
        action = SUBMIT if self.to_submit else SAVE
        requirement_id = self.to_submit.pop(0) if self.to_submit else self.requirements[-1]
        url = path("portal:report", party_id=self.party_id, requirement_id=requirement_id)
        page = self.client.get(url, name="portal:report").text
        versions = VERSIONS.search(page)
        data = {
            "csrfmiddlewaretoken": self._token(page),
            "versions": versions[1] if versions else "",
            "action": action,
            **REPORT,
            **{line: SPENDING for line in SPENDING_LINE.findall(page)},
        }
        expected = path("portal:party", party_id=self.party_id) if action == SUBMIT else url
        with self.client.post(
            url, data=data, headers={"Origin": self.origin}, name=f"portal:report ({action})",
            allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != 302 or urlsplit(response.headers.get("Location", "")).path != expected:
                response.failure(f"the report was not {'submitted' if action == SUBMIT else 'saved'}")
