from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from ledger.words import file_size_words


class FrenchFirstLocaleMiddleware:
    """French for everyone, unless the person chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, which
    would greet most of the network in English; in Québec the interface
    speaks French first, and English is a choice made with the language
    switch (kept in the language cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen) and chosen in dict(settings.LANGUAGES):
            language = chosen
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request body past ``REQUEST_BODY_MAX_BYTES`` before anything reads it.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` counts no file: without this, a 50 MB
    upload is received whole (spooled to a temporary file) before the form
    says that 10 MB is the most. A body whose ``Content-Length`` is past the
    limit is answered 413, unread.

    A body of no declared length (``Transfer-Encoding: chunked``) is answered
    411: Django reads a WSGI body only up to its ``Content-Length``, so it
    would see an empty form and lose the upload without a word. Browsers send
    the length of a form; in production the proxy buffers a chunked body and
    passes it on with its length, under its own limit (``client_max_body_size``).

    Nothing reads the body before the views and the ``process_view`` hooks
    (CSRF reads the form there), which all run after every middleware's call:
    so this one sits after those that set the language and the user, and its
    page speaks the person's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_MAX_BYTES
        declared = request.META.get("CONTENT_LENGTH")
        if not declared and request.META.get("HTTP_TRANSFER_ENCODING"):
            return render(request, "request_refused.html", {
                "title": _("The file could not be received"),
                "explanation": _(
                    "Your browser sent it without saying its size. Please try again, or with another browser."
                ),
            }, status=411)
        if declared and declared.isdigit() and int(declared) > limit:
            return render(request, "request_refused.html", {
                "title": _("What you sent is too large"),
                "explanation": _("This site accepts at most %(limit)s at once. Send a smaller file, or split it.")
                % {"limit": file_size_words(limit)},
            }, status=413)
        return self.get_response(request)
