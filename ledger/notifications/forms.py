"""The form of a person's choices of notifications, shown in the portal and in the back office."""

from django import forms
from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from ledger.notifications.selectors import notification_preferences


class NotificationPreferencesForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Send me an email about"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, user: AbstractBaseUser, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        preferences = notification_preferences(user=user)
        self.fields["kinds"].choices = [(kind, label) for kind, label, _on in preferences]
        self.fields["kinds"].initial = [kind for kind, _label, on in preferences if on]
