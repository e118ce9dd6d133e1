"""The admin's stock sentences said with each model's article: "Sélectionnez le partenaire à modifier".

Django writes "Select %s to change" around a model's name, and its French
catalogue can only say "Sélectionnez l'objet partenaire à changer": French
gives every noun a gender and elides its article, which a name alone does not
tell. So each model of ours names itself three ways (the party, a party,
another party), registered with :func:`noun_phrases_register` here for the
ledger's and by each other app's admin for its own; the admin's templates (``templates/admin/``,
through ``ledger/templatetags/admin_words.py``) build their titles and buttons
from them. A model that names itself no way keeps Django's words.

Django's success messages ("L'objet partenaire « X » a été ajouté avec
succès.") are said again the same way when the page shows them
(:func:`admin_message`).
"""

import copy
import json
import re
from typing import NamedTuple

from django.contrib.admin.helpers import InlineAdminFormSet
from django.db.models import Model
from django.db.models.options import Options
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ledger.models import Account, FiscalPeriod, Membership, Party, Transaction
from ledger.notifications.models import Notification


class NounPhrases(NamedTuple):
    """A model's name with its article, as the sentences around it need it."""

    the: Promise
    a: Promise
    another: Promise


_PHRASES: dict[str, NounPhrases] = {}

# Django's titles (from its own catalogue, so never extracted into ours) and
# the sentences of ours that replace them.
_STOCK_TITLES = (
    ("Select %s to change", "change_list_change"),
    ("Select %s to view", "change_list_view"),
    ("Select %s", "change_list_popup"),
    ("Add %s", "add"),
    ("Change %s", "change"),
    ("View %s", "view"),
)
_STOCK_ADD_BUTTON = "Add %(name)s"
# Django's messages after a save or a delete, each a sequence of its msgids joined by a space.
_STOCK_MESSAGES = (
    (("The {name} “{obj}” was added successfully.", "You may edit it again below."), "added_edit"),
    (("The {name} “{obj}” was added successfully. You may add another {name} below.",), "added_another"),
    (("The {name} “{obj}” was added successfully.",), "added"),
    (("The {name} “{obj}” was changed successfully. You may edit it again below.",), "changed_edit"),
    (("The {name} “{obj}” was changed successfully. You may add another {name} below.",), "changed_another"),
    (("The {name} “{obj}” was changed successfully.",), "changed"),
    (("The %(name)s “%(obj)s” was deleted successfully.",), "deleted"),
)


def noun_phrases_register(model: type[Model] | str, *, the: Promise, a: Promise, another: Promise) -> None:
    """Name a model (or ``"app_label.modelname"``) three ways for the admin's sentences."""
    label = model if isinstance(model, str) else model._meta.label_lower
    _PHRASES[label] = NounPhrases(the=the, a=a, another=another)


def noun_phrases(opts: Options) -> NounPhrases | None:
    return _PHRASES.get(opts.label_lower)


def _our_title(kind: str, phrases: NounPhrases) -> str:
    sentences = {
        "change_list_change": _("Select %(the)s to change"),
        "change_list_view": _("Select %(the)s to view"),
        "change_list_popup": _("Select %(the)s"),
        "add": _("Add %(a)s"),
        "change": _("Change %(the)s"),
        "view": _("View %(the)s"),
    }
    return capfirst(str(sentences[kind]) % phrases._asdict())


def admin_title(title: str, opts: Options | None) -> str:
    """Django's stock title of a list or a form, said with the model's article; any other title as it is."""
    phrases = noun_phrases(opts) if opts is not None else None
    if phrases is None:
        return title
    for stock, kind in _STOCK_TITLES:
        if title == gettext(stock) % opts.verbose_name:
            return _our_title(kind, phrases)
    return title


def add_one(opts: Options) -> str:
    """The button that adds a row: "Ajouter un partenaire"."""
    phrases = noun_phrases(opts)
    if phrases is None:
        return gettext(_STOCK_ADD_BUTTON) % {"name": opts.verbose_name}
    return _our_title("add", phrases)


def _our_message(kind: str) -> str:
    sentences = {
        "added": _("%(the)s “%(obj)s” was added."),
        "added_edit": _("%(the)s “%(obj)s” was added; it stays open below for more changes."),
        "added_another": _("%(the)s “%(obj)s” was added; add %(another)s below."),
        "changed": _("%(the)s “%(obj)s” was changed."),
        "changed_edit": _("%(the)s “%(obj)s” was changed; it stays open below for more changes."),
        "changed_another": _("%(the)s “%(obj)s” was changed; add %(another)s below."),
        "deleted": _("%(the)s “%(obj)s” was deleted."),
    }
    return str(sentences[kind])


def _stock_pattern(msgids: tuple[str, ...], name: str, *, html: bool) -> str:
    """A regular expression of Django's message in the current language, the object's name left to find."""
    text = re.escape(" ".join(gettext(msgid) for msgid in msgids))
    name_text = re.escape(escape(name) if html else name)
    for placeholder in (re.escape("{name}"), re.escape("%(name)s")):
        text = text.replace(placeholder, name_text)
    for placeholder in (re.escape("{obj}"), re.escape("%(obj)s")):
        text = text.replace(placeholder, "(?P<obj>.+)", 1)
    return text


def admin_message(message: str, opts: Options | None) -> str:
    """Django's message after a save or a delete, said with the model's article; any other message as it is."""
    phrases = noun_phrases(opts) if opts is not None else None
    if phrases is None:
        return message
    html = isinstance(message, SafeData)
    for msgids, kind in _STOCK_MESSAGES:
        found = re.fullmatch(_stock_pattern(msgids, str(opts.verbose_name), html=html), str(message), flags=re.DOTALL)
        if found is None:
            continue
        if not html:
            return capfirst(_our_message(kind) % {"the": phrases.the, "another": phrases.another, "obj": found["obj"]})
        words = {"the": conditional_escape(phrases.the), "another": conditional_escape(phrases.another), "obj": found["obj"]}
        return mark_safe(capfirst(conditional_escape(_our_message(kind)) % words))
    return message


class _WordedInlineFormSet(InlineAdminFormSet):
    def inline_formset_data(self) -> str:
        data = json.loads(super().inline_formset_data())
        data["addText"] = capfirst(str(_("Add %(another)s")) % {"another": noun_phrases(self.opts.opts).another})
        return json.dumps(data)


def inline_worded(formset: InlineAdminFormSet) -> InlineAdminFormSet:
    """The inline as Django shows it, whose "Add another" link names the row with its article."""
    if noun_phrases(formset.opts.opts) is None:
        return formset
    worded = copy.copy(formset)
    worded.__class__ = _WordedInlineFormSet
    return worded


noun_phrases_register(Party, the=_("the party"), a=_("a party"), another=_("another party"))
noun_phrases_register(Membership, the=_("the membership"), a=_("a membership"), another=_("another membership"))
noun_phrases_register(Account, the=_("the account"), a=_("an account"), another=_("another account"))
noun_phrases_register(
    FiscalPeriod, the=_("the fiscal period"), a=_("a fiscal period"), another=_("another fiscal period"),
)
noun_phrases_register(Transaction, the=_("the transaction"), a=_("a transaction"), another=_("another transaction"))
noun_phrases_register(Notification, the=_("the notification"), a=_("a notification"), another=_("another notification"))
# Models that cannot import this module: Django's own, and the import runs (the
# spreadsheets app reaches the ledger only through its registry).
noun_phrases_register("auth.user", the=_("the user"), a=_("a user"), another=_("another user"))
noun_phrases_register("auth.group", the=_("the group"), a=_("a group"), another=_("another group"))
noun_phrases_register("spreadsheets.importjob", the=_("the import"), a=_("an import"), another=_("another import"))
noun_phrases_register(
    "axes.accessattempt", the=_("the login attempt"), a=_("a login attempt"), another=_("another login attempt")
)
noun_phrases_register("axes.accesslog", the=_("the login"), a=_("a login"), another=_("another login"))
noun_phrases_register(
    "axes.accessfailurelog", the=_("the failed login"), a=_("a failed login"), another=_("another failed login")
)
