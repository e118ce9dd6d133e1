from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
