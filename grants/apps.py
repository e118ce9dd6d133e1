from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from grants.memos import grant_memos
        from ledger.memo_words import memo_writer_register

        memo_writer_register(app=self.label, writer=grant_memos)
