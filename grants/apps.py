from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from grants.holds import hold_provider_register
        from grants.reports import overdue_reports

        hold_provider_register(overdue_reports)
