"""The site's own pages for a refusal, a page that does not exist and a failure, in the person's language.

Django's own say "403 Forbidden" in English, or, for a 404, the name of the
exception. Each of ours says why and where to go from there: the back office
for the people who keep the books, the portal for the partners, the login
page for a visitor. The 500 page is rendered with no request and no database:
whatever failed may be the database itself.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def permission_denied(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    """Our views refuse with a sentence that says why (``PermissionDenied(_("Only administrators…"))``); Django's own refuse with none."""
    reason = exception.args[0] if exception.args and isinstance(exception.args[0], str) else ""
    return render(request, "403.html", {"reason": reason or _("Your account does not give access to this page.")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The exception's text is the code's ("No Grant matches the given query."): the page says it in words."""
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("500.html").render())
