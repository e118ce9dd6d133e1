"""``ledger_balances_rebuild``: recompute the kept balances from the entries, as the owner, and report any difference."""

from django.core.management.base import BaseCommand, CommandError

from config.database_roles import as_owner
from ledger.balances import balances_rebuild


class Command(BaseCommand):
    help = (
        "Recompute every account's kept balance from its entries; list the accounts whose balance differed "
        "and exit with an error if there was any."
    )

    def handle(self, *args, **options) -> None:
        with as_owner():
            differences = balances_rebuild()
        for difference in differences:
            self.stderr.write(
                f"account {difference.account_id} {difference.currency}: kept {difference.kept}, entries {difference.summed}"
            )
        self.stdout.write(f"balances rebuilt; accounts that differed: {len(differences)}")
        if differences:
            raise CommandError(f"{len(differences)} kept balances differed from their entries; they are rebuilt.")
