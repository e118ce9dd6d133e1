"""The admin's stock sentences said with each model's article: "Sélectionnez le partenaire à modifier".

Django writes "Select %s to change" around a model's name, and its French
catalogue can only say "Sélectionnez l'objet partenaire à changer": French
gives every noun a gender and elides its article, which a name alone does not
tell. So each model of ours names itself three ways (the party, a party,
another party), registered by its app's admin with
:func:`noun_phrases_register`; the admin's templates (``templates/admin/``,
through ``ledger/templatetags/admin_words.py``) build their titles and buttons
from them. A model that names itself no way keeps Django's words.
"""

import copy
import json
from typing import NamedTuple

from django.contrib.admin.helpers import InlineAdminFormSet
from django.db.models import Model
from django.db.models.options import Options
from django.utils.text import capfirst
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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


# Models that cannot import this module: Django's own, and the import runs (the
# spreadsheets app reaches the ledger only through its registry).
noun_phrases_register("auth.user", the=_("the user"), a=_("a user"), another=_("another user"))
noun_phrases_register("auth.group", the=_("the group"), a=_("a group"), another=_("another group"))
noun_phrases_register("spreadsheets.importjob", the=_("the import"), a=_("an import"), another=_("another import"))
