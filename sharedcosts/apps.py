from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedCostsConfig(AppConfig):
    name = "sharedcosts"
    verbose_name = _("Shared costs")
