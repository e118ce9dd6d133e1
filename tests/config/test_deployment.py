"""The frame of the product: production settings, compose, services."""

import importlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "ALLOWED_HOSTS": "partenariat.example.org",
    "DATABASE_URL": "postgres://aireouverte:secret@db.example.org:5432/aireouverte",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "SITE_URL": "https://partenariat.example.org",
}


def test_production_settings_pass_the_deployment_check_without_warning():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64)}
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_with_the_placeholder_key_of_env_example():
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if line and not line.startswith("#")
    )
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": example["SECRET_KEY"]})
    assert result.returncode != 0
    assert "SECRET_KEY is still the placeholder of .env.example" in result.stderr


@pytest.mark.parametrize(
    "weak_key",
    [
        secrets.token_urlsafe(64)[:49],  # fewer than 50 characters
        "abcd" * 20,  # fewer than 5 different characters
        "django-insecure-" + secrets.token_urlsafe(64),  # what startproject gives a workstation
    ],
    ids=["short", "few-characters", "django-insecure"],
)
def test_production_refuses_to_start_with_a_key_that_django_calls_weak(weak_key):
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": weak_key})
    assert result.returncode != 0
    assert "SECRET_KEY is weak: it needs at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = run_manage("check", env={**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64), "DATABASE_URL": ""})
    assert result.returncode != 0
    assert "DATABASE_URL must be set in production" in result.stderr


def test_the_production_module_holds_production_values(monkeypatch):
    """Imported in this process with production-like values, not only through a subprocess."""
    for name, value in {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(64)}.items():
        monkeypatch.setenv(name, value)
    # Loaded afresh, base included, so that both read the values above.
    loaded = {name: sys.modules.pop(name, None) for name in ("config.settings.base", "config.settings.production")}
    production = importlib.import_module("config.settings.production")
    try:
        assert production.DEBUG is False
        assert production.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        assert production.DATABASES["default"]["HOST"] == "db.example.org"
        assert production.MIDDLEWARE[1] == "whitenoise.middleware.WhiteNoiseMiddleware"
        assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
        assert production.TRUSTED_PROXY_COUNT == 1  # one nginx, unless TRUSTED_PROXY_COUNT says otherwise
        assert production.CELERY_BROKER_URL == "redis://redis.example.org:6379/0"
        assert production.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    finally:
        for name, module in loaded.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def test_the_interface_is_french_first_with_english_available():
    assert settings.LANGUAGE_CODE == "fr-ca"
    assert [code for code, _ in settings.LANGUAGES] == ["fr-ca", "en"]


def test_compose_runs_the_product_on_healthy_services():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat", "mailpit"}
    # Production starts every service without a profile; the mail catcher only with the development one.
    assert [name for name, service in services.items() if "profiles" in service] == ["mailpit"]
    assert services["mailpit"]["profiles"] == ["dev"]
    assert services["mailpit"]["image"].startswith("axllent/mailpit:v")
    assert all(port.startswith("127.0.0.1:") for port in services["mailpit"]["ports"])
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    for name in ("web", "worker", "beat"):
        app = services[name]
        assert app["build"] == "."
        assert app["image"] == "aire-ouverte-back-office"
        assert app["env_file"] == ".env"
        assert app["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        assert app["environment"]["DATABASE_URL"].startswith("postgres://aire_app:")
        assert app["environment"]["DATABASE_OWNER_URL"].startswith("postgres://aire_owner:")
    migrate = services["migrate"]
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert "manage.py migrate" in " ".join(migrate["command"]) and migrate["restart"] == "no"
    assert "migrate" not in " ".join(services["web"]["command"])
    init = services["postgres"]["volumes"][1].split(":")
    assert init[1] == "/docker-entrypoint-initdb.d/roles.sh"
    roles = (ROOT / init[0]).read_text()
    assert "CREATE ROLE aire_owner LOGIN" in roles and "CREATE ROLE aire_app LOGIN" in roles
    assert "SUPERUSER" not in roles and "CREATE DATABASE aireouverte OWNER aire_owner" in roles
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert sum("beat" in " ".join(service.get("command", [])) for service in services.values()) == 1
    assert set(compose["volumes"]) == {"postgres-data", "redis-data", "private-files"}
    assert (ROOT / "Dockerfile").is_file()


@pytest.mark.redis
def test_the_cache_is_redis_when_redis_url_is_set():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CELERY_BROKER_URL == os.environ["REDIS_URL"]
    cache.set("deployment-check", "ok", 10)
    assert cache.get("deployment-check") == "ok"


@pytest.mark.django_db
def test_the_suite_runs_on_postgresql():
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000


def test_manage_py_works_on_a_developers_machine_with_nothing_set():
    clean = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
