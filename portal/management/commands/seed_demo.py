from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from grants.demo import grants_demo_seed, partner_grants_seed
from ledger.demo import DEMO_PASSWORD, ledger_demo_seed
from sharedcosts.demo import sharedcosts_demo_seed


class Command(BaseCommand):
    help = "Load the demo territory (a Laurentides partnership). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--partners", type=int, default=0, help="Add generated partners up to this many, each with a member, a grant and a year of postings."
        )

    def handle(self, *args, partners: int, **options) -> None:
        demo = ledger_demo_seed(today=timezone.localdate(), partners=partners)
        grants_demo_seed(today=timezone.localdate(), parties=demo["parties"], users=demo["users"])
        partner_grants_seed(today=timezone.localdate(), users=demo["users"])
        sharedcosts_demo_seed(parties=demo["parties"], users=demo["users"], today=timezone.localdate())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo territory ready: {len(demo['parties'])} organisations, {len(demo['users'])} users "
                f"(password: {DEMO_PASSWORD})."
            )
        )
