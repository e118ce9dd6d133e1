from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_staff_groups(app_config: AppConfig, **kwargs) -> None:
    from ledger.roles import STAFF_APPS, staff_groups_ensure

    if app_config.label in STAFF_APPS:
        staff_groups_ensure()


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Ledger")

    def ready(self) -> None:
        from ledger.admin_history import history_read_only_install
        from ledger.dates import date_text_install
        from ledger.money import money_text_install
        from ledger.words import person_text_install

        money_text_install()
        date_text_install()
        person_text_install()
        history_read_only_install()
        post_migrate.connect(_ensure_staff_groups, dispatch_uid="ledger_staff_groups")
