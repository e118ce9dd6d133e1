from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedCostsConfig(AppConfig):
    name = "sharedcosts"
    verbose_name = _("Shared costs")

    def ready(self) -> None:
        from ledger.memo_words import memo_writer_register
        from sharedcosts.memos import pool_memos

        memo_writer_register(app=self.label, writer=pool_memos)
