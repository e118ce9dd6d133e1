from django.http import HttpRequest

from portal.access import Navigation


def navigation(request: HttpRequest) -> dict[str, Navigation]:
    """``navigation.review``, ``navigation.dashboard``, ``navigation.back_office``: which links the person may follow."""
    return {"navigation": Navigation(request)}
