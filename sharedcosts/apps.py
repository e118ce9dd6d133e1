from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedCostsConfig(AppConfig):
    name = "sharedcosts"
    verbose_name = _("Shared costs")

    def ready(self) -> None:
        from ledger.account_words import account_namer_register
        from ledger.memo_words import memo_writer_register
        from sharedcosts.accounts import pool_accounts_names
        from sharedcosts.memos import pool_memos

        memo_writer_register(app=self.label, writer=pool_memos)
        account_namer_register(app=self.label, namer=pool_accounts_names)
