from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from grants.accounts import grants_accounts_names
        from grants.memos import grant_memos
        from ledger.account_words import account_namer_register
        from ledger.memo_words import memo_writer_register

        memo_writer_register(app=self.label, writer=grant_memos)
        account_namer_register(app=self.label, namer=grants_accounts_names)
