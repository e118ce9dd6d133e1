"""``ledger_balances_rebuild``: recompute the kept balances and movements from the entries, as the owner, and report any difference."""

from django.core.management.base import BaseCommand, CommandError

from config.database_roles import as_owner
from ledger.balances import BalanceDifference, balances_rebuild


def _described(difference: BalanceDifference) -> str:
    if difference.day is not None:
        where = f" on {difference.day.isoformat()}"
    elif difference.start_year is not None:
        where = f" in {difference.start_year}-{difference.start_year + 1}"
    else:
        where = ""
    return f"account {difference.account_id} {difference.currency}{where}: kept {difference.kept}, entries {difference.summed}"


class Command(BaseCommand):
    help = (
        "Recompute every account's kept balance and its movements of each year and each day from its entries; "
        "list those that differed and exit with an error if there was any."
    )

    def handle(self, *args, **options) -> None:
        with as_owner():
            differences = balances_rebuild()
        for difference in differences:
            self.stderr.write(_described(difference))
        self.stdout.write(f"balances rebuilt; differences: {len(differences)}")
        if differences:
            raise CommandError(f"{len(differences)} kept balances or movements differed from their entries; they are rebuilt.")
