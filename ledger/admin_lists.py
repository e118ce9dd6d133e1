"""What the admin's lists share: amounts in the reader's format, short texts, totals of the filtered rows, names in French order.

A money column is named ``<field>_money`` so that the admin's stylesheet
right-aligns its header and cells (``static/css/admin.css``); the totals
appear under the table (``templates/admin/change_list.html``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import admin
from django.db.models import CharField, F, Func, Model, QuerySet, Sum, Value
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.text import Truncator
from moneyed import Money

from ledger.money import money_format

# Accented letters and the plain letters they sort with, lower case: French
# dictionaries order "Cégep" after "Carrefour" and "CISSS" among the C's,
# whatever the case and the accents; the database's own collation may be "C".
ACCENTED = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿœæ"
PLAIN = "aaaaaaceeeeiiiinooooouuuuyyoa"


def french_order(field: str) -> Func:
    """An ordering key for ``field`` that sorts as a French reader does: case and accents ignored."""
    return Func(
        Lower(F(field)), Value(ACCENTED), Value(PLAIN), function="TRANSLATE", output_field=CharField()
    )


def amount_html(value: Money | None) -> str:
    """An amount in the reader's format, marked so that the stylesheet right-aligns its cell."""
    return "—" if value is None else format_html('<span class="amount">{}</span>', money_format(value))


def money_column(field: str, description: str | Promise) -> Callable[[admin.ModelAdmin, Model], str]:
    """A list column of the money field ``field``, in the reader's format, right-aligned (name it ``<field>_money``)."""

    @admin.display(description=description, ordering=field)
    def column(model_admin: admin.ModelAdmin, obj: Model) -> str:
        return amount_html(getattr(obj, field))

    return column


def short_text(text: str, *, words: int = 6) -> str:
    """The first words of a long name, the whole of it in a tooltip: a grant's title fits its column."""
    shortened = Truncator(text).words(words, truncate="…")
    if shortened == text:
        return text
    return format_html('<span title="{}">{}</span>', text, shortened)


@dataclass(frozen=True)
class MoneyTotal:
    label: str
    amounts: list[str]


def money_totals(queryset: QuerySet, fields: Sequence[tuple[str, str | Promise]]) -> list[MoneyTotal]:
    """The sum of each money field over ``queryset``, one amount per currency, in the reader's format."""
    totals = []
    for field, label in fields:
        by_currency = (
            queryset.order_by()
            .values_list(f"{field}_currency")
            .annotate(total=Sum(field))
            .order_by(f"{field}_currency")
        )
        amounts = [money_format(Money(total, currency)) for currency, total in by_currency if total is not None]
        totals.append(MoneyTotal(label=str(label), amounts=amounts))
    return totals


class MoneyTotalsMixin:
    """Shows, under the list, the totals of the rows the filters and the search kept (all pages)."""

    money_totals: Sequence[tuple[str, str | Promise]] = ()

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and "cl" in (response.context_data or {}):
            response.context_data["money_totals"] = money_totals(response.context_data["cl"].queryset, self.money_totals)
        return response
