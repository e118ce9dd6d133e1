"""Who may open which part of the site: one answer for the views and for the links that lead to them.

A view refuses with these predicates, and the navigation shows a link only
when the same predicate lets the person in: nobody is offered a page that
answers 403.
"""

from functools import cached_property

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from ledger.roles import is_administrator, is_staff_member


def may_see_review(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The fairness review is the administrators' page."""
    return is_administrator(user)


def may_see_dashboard(user: AbstractBaseUser | AnonymousUser) -> bool:
    """The dashboard is for the people who keep the books: finance staff and administrators."""
    return is_staff_member(user)


def may_see_back_office(request: HttpRequest) -> bool:
    """The admin site's own test (an active account marked staff)."""
    return admin.site.has_permission(request)


class Navigation:
    """The links of a page's header, each asked of its view's predicate only when a template reads it."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.user = getattr(request, "user", AnonymousUser())

    @cached_property
    def review(self) -> bool:
        return may_see_review(self.user)

    @cached_property
    def dashboard(self) -> bool:
        return may_see_dashboard(self.user)

    @cached_property
    def back_office(self) -> bool:
        return may_see_back_office(self.request)

    @cached_property
    def portal(self) -> bool:
        return self.user.is_authenticated
