"""The column headers of the product's files, named in the person's language for the export's column chooser.

A file's headers are French whatever the interface's language (``montant``,
``payé par``): they are the file's format, the one the imports, the
templates and ``docs/samples/`` read, so a file passes between colleagues of
either language. Only the chooser that lists the columns to export speaks
the person's language: in French it shows the header itself, in English its
name with the header the file will hold, e.g. "Paid by (payé par)"; never
the model's field name (``payer``).

A base module of the app: it knows no domain app.
"""

from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ENGLISH_NAMES = {
    "actif": _("active"),
    "adresse": _("address"),
    "autre municipalité": _("other municipality"),
    "budget activités": _("activities budget"),
    "budget autre": _("other budget"),
    "budget déplacements": _("travel budget"),
    "budget locaux": _("premises budget"),
    "budget matériel": _("material budget"),
    "budget salaires": _("salaries budget"),
    "capacité": _("means"),
    "catégorie": _("category"),
    "clé": _("key"),
    "compte": _("account"),
    "contenu": _("content"),
    "courriel": _("email"),
    "coût budgété": _("budgeted cost"),
    "date": _("date"),
    "dates des versements": _("instalment dates"),
    "description": _("description"),
    "devise": _("currency"),
    "début": _("start"),
    "effort maximal": _("highest effort"),
    "effort minimal": _("lowest effort"),
    "enveloppe": _("envelope"),
    "exempté": _("exempt"),
    "exercice": _("fiscal year"),
    "fin": _("end"),
    "fournisseur": _("vendor"),
    "justification": _("justification"),
    "km": _("km"),
    "libellé": _("memo"),
    "mesure": _("measure"),
    "montant": _("amount"),
    "motif de la retenue": _("reason for the hold"),
    "municipalité": _("municipality"),
    "nom": _("name"),
    "nom de la mesure": _("name of the measure"),
    "objet": _("purpose"),
    "paramètres": _("parameters"),
    "part": _("share"),
    "partenaire": _("party"),
    "payé par": _("paid by"),
    "personne-ressource": _("liaison person"),
    "plafond": _("cap"),
    "plancher": _("floor"),
    "programme": _("programme"),
    "rapport": _("report"),
    "regroupement": _("pool"),
    "retenue si rapport en retard": _("held if a report is overdue"),
    "règle": _("rule"),
    "référence": _("reference"),
    "rôle": _("role"),
    "secteur": _("sector"),
    "source": _("source"),
    "statut": _("status"),
    "subvention": _("grant"),
    "titre": _("title"),
    "transaction": _("transaction"),
    "type": _("type"),
    "téléphone": _("phone"),
    "usage": _("usage"),
    "utilisateur": _("user"),
    "valeur": _("value"),
    "versement": _("instalment"),
    "versements": _("instalments"),
    "version": _("version"),
    "échéance": _("due date"),
}


def header_label(header: str) -> str:
    """How the export's chooser names a column in the active language: the header in French, "Paid by (payé par)" in English.

    An English name spelt as its header ("date", "description") is not repeated.
    """
    if (get_language() or "fr").lower().startswith("fr") or header not in ENGLISH_NAMES:
        return capfirst(header)
    name = str(ENGLISH_NAMES[header])
    return capfirst(name) if name == header else f"{capfirst(name)} ({header})"
