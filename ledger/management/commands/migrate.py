"""``migrate`` as the owner role, which alone may change the schema (config/database_roles.py)."""

from django.core.management.commands.migrate import Command as DjangoMigrate
from config.database_roles import application_credentials, application_privileges_grant, as_owner


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        alias = options["database"]
        application_role = str(application_credentials(alias)["USER"])
        with as_owner(alias) as separate_owner:
            if separate_owner:
                application_privileges_grant(alias=alias, application_role=application_role)
            return super().handle(*args, **options)
