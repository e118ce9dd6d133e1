"""What the grants tell people, and whom (through :mod:`ledger.notifications`).

| event | who hears of it | kind |
| --- | --- | --- |
| a report due soon, or late | the organisation's members | report reminder |
| a report submitted or resubmitted | the finance staff group | report submitted |
| a report accepted, or changes requested (with the reviewer's words) | the organisation's members | report reviewed |
| a grant approved, amended or cancelled | the organisation's members | grant changed |
| an instalment paid, held (with why) or released | the organisation's "partner finance" members, all its members where none has that role | instalment |

Each function is called by a service inside the transaction that makes the
event happen: the messages go out once it commits, never if it rolls back.
"""

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from grants.holds import hold_words
from grants.models import (
    Grant,
    GrantAmendment,
    Instalment,
    InstalmentStatus,
    ProjectReport,
    ProjectReportVersion,
    ReminderKind,
    ReportRequirement,
    ReportStatus,
)
from ledger.dates import date_words
from ledger.money import money_format
from ledger.notifications.models import NotificationKind
from ledger.notifications.selectors import finance_staff, party_finance_contacts, party_members
from ledger.notifications.services import Event, notify


def _day(value: date) -> str:
    return date_words(value)


def _party_page(party_id: int) -> str:
    return reverse("portal:party", kwargs={"party_id": party_id})


def _grant_page(grant: Grant) -> str:
    return _party_page(grant.party_id)


def _report_page(requirement: ReportRequirement) -> str:
    return reverse("portal:report", kwargs={"party_id": requirement.grant.party_id, "requirement_id": requirement.pk})


def _about(requirement: ReportRequirement) -> dict[str, str]:
    grant = requirement.grant
    return {
        "kind": requirement.get_kind_display().lower(),
        "title": grant.title,
        "party": grant.party.name,
        "date": _day(requirement.due_date),
        "amount": money_format(grant.amount),
    }


# --- Reports ----------------------------------------------------------------------------------------------------------


def report_reminder_notify(*, requirement: ReportRequirement, kind: str) -> int:
    """Remind the party's members of a report due soon (``before``) or late; the number of people told."""

    def write() -> tuple[str, str]:
        params = _about(requirement)
        if kind == ReminderKind.BEFORE:
            subject = _("Reminder: %(kind)s due on %(date)s") % params
            intro = _("The %(kind)s of the grant “%(title)s” (%(party)s) is due on %(date)s.") % params
        else:
            subject = _("Late report: %(kind)s due on %(date)s") % params
            intro = _(
                "The %(kind)s of the grant “%(title)s” (%(party)s) was due on %(date)s and has not been received. "
                "The next payments of the grant may wait until it is accepted."
            ) % params
        body = "\n\n".join(
            [
                intro,
                _("You can write and submit it in the partners’ portal."),
                _("Reminder: a report holds counts and a description of activities, never the names of young people."),
            ]
        )
        return subject, body

    party_id = requirement.grant.party_id
    return notify(
        events=[
            Event(
                kind=NotificationKind.REPORT_REMINDER,
                key=f"report-reminder:{requirement.pk}:{kind}",
                recipients=party_members(party_ids=[party_id]).get(party_id, []),
                write=write,
                path=_report_page(requirement),
            )
        ]
    )


def report_submitted_notify(*, report: ProjectReport, version: ProjectReportVersion) -> int:
    """Tell the finance staff that a report waits for their review; the number of people told."""
    requirement = report.requirement

    def write() -> tuple[str, str]:
        params = {**_about(requirement), "version": version.number, "submitted": _day(version.submitted_at.date())}
        subject = _("Report to review: %(kind)s of “%(title)s” (%(party)s)") % params
        if report.status == ReportStatus.RESUBMITTED:
            body = _(
                "%(party)s resubmitted the %(kind)s of the grant “%(title)s” on %(submitted)s, after the changes "
                "asked (version %(version)s). It waits for your review."
            ) % params
        else:
            body = _(
                "%(party)s submitted the %(kind)s of the grant “%(title)s” on %(submitted)s. It waits for your review."
            ) % params
        return subject, body

    return notify(
        events=[
            Event(
                kind=NotificationKind.REPORT_SUBMITTED,
                key=f"report:{report.pk}:version:{version.number}",
                recipients=finance_staff(),
                write=write,
                path=reverse("admin:grants_projectreport_review", args=[report.pk]),
            )
        ]
    )


def report_reviewed_notify(*, report: ProjectReport) -> int:
    """Tell the party's members that their report was accepted, or what should change; the number told."""
    requirement = report.requirement
    accepted = report.status == ReportStatus.ACCEPTED

    def write() -> tuple[str, str]:
        params = _about(requirement)
        if accepted:
            subject = _("Report accepted: %(kind)s of “%(title)s”") % params
            body = _("The %(kind)s of the grant “%(title)s” (%(party)s) was accepted. Thank you.") % params
            return subject, body
        subject = _("Changes requested: %(kind)s of “%(title)s”") % params
        body = "\n\n".join(
            [
                _(
                    "The %(kind)s of the grant “%(title)s” (%(party)s) needs changes before it can be accepted. "
                    "The reviewer wrote:"
                ) % params,
                report.staff_comment,
                _("You can change it and submit it again in the partners’ portal."),
            ]
        )
        return subject, body

    party_id = requirement.grant.party_id
    outcome = "accepted" if accepted else f"changes:{report.version_count}"
    return notify(
        events=[
            Event(
                kind=NotificationKind.REPORT_REVIEWED,
                key=f"report:{report.pk}:{outcome}",
                recipients=party_members(party_ids=[party_id]).get(party_id, []),
                write=write,
                path=_report_page(requirement),
            )
        ]
    )


# --- Grants -----------------------------------------------------------------------------------------------------------


def _grant_event(*, grant: Grant, key: str, write) -> int:
    return notify(
        events=[
            Event(
                kind=NotificationKind.GRANT_CHANGED,
                key=key,
                recipients=party_members(party_ids=[grant.party_id]).get(grant.party_id, []),
                write=write,
                path=_grant_page(grant),
            )
        ]
    )


def _grant_params(grant: Grant) -> dict[str, str]:
    return {
        "title": grant.title,
        "party": grant.party.name,
        "amount": money_format(grant.amount),
        "start": _day(grant.start_date),
        "end": _day(grant.end_date),
    }


def grant_approved_notify(*, grant: Grant) -> int:
    """Tell the party's members that their grant was approved; the number of people told."""

    def write() -> tuple[str, str]:
        params = _grant_params(grant)
        body = _(
            "The grant “%(title)s” of %(amount)s to %(party)s, from %(start)s to %(end)s, was approved. "
            "The partners’ portal shows its payments to come."
        ) % params
        return _("Grant approved: “%(title)s”") % params, body

    return _grant_event(grant=grant, key=f"grant:{grant.pk}:approved", write=write)


def grant_amended_notify(*, amendment: GrantAmendment) -> int:
    """Tell the party's members how their grant was amended; the number of people told."""
    grant = amendment.grant

    def write() -> tuple[str, str]:
        params = {
            **_grant_params(grant),
            "old": money_format(amendment.previous_amount),
            "new": money_format(amendment.new_amount),
            "end": _day(amendment.new_end_date),
        }
        lines = [
            _(
                "The grant “%(title)s” (%(party)s) was amended: its amount goes from %(old)s to %(new)s and it "
                "ends on %(end)s. Its payments still to come were planned anew."
            ) % params
        ]
        if amendment.reason:
            lines.append(_("Why: %(reason)s") % {"reason": amendment.reason})
        return _("Grant amended: “%(title)s”") % params, "\n\n".join(lines)

    return _grant_event(grant=grant, key=f"grant-amendment:{amendment.pk}", write=write)


def grant_cancelled_notify(*, grant: Grant) -> int:
    """Tell the party's members that their grant was cancelled; the number of people told."""

    def write() -> tuple[str, str]:
        params = _grant_params(grant)
        lines = [
            _(
                "The grant “%(title)s” (%(party)s) was cancelled: its payments not made yet will not be made. "
                "The payments already made stay as they are."
            ) % params
        ]
        if grant.cancel_reason:
            lines.append(_("Why: %(reason)s") % {"reason": grant.cancel_reason})
        return _("Grant cancelled: “%(title)s”") % params, "\n\n".join(lines)

    return _grant_event(grant=grant, key=f"grant:{grant.pk}:cancelled", write=write)


# --- Instalments ------------------------------------------------------------------------------------------------------


def _instalment_writer(instalment: Instalment):
    def write() -> tuple[str, str]:
        grant = instalment.grant
        params = {
            "number": instalment.sequence,
            "title": grant.title,
            "party": grant.party.name,
            "amount": money_format(instalment.amount),
            "date": _day(instalment.due_date),
            "reason": hold_words(instalment),
        }
        if instalment.status == InstalmentStatus.PAID:
            subject = _("Payment made: %(amount)s for “%(title)s”") % params
            body = _("Instalment %(number)s of the grant “%(title)s”, %(amount)s, was paid to %(party)s.") % params
        elif instalment.status == InstalmentStatus.HELD:
            subject = _("Payment held: instalment %(number)s of “%(title)s”") % params
            body = _(
                "Instalment %(number)s of the grant “%(title)s” (%(amount)s, due on %(date)s) is held. Why: %(reason)s"
            ) % params
        else:
            subject = _("Payment released: instalment %(number)s of “%(title)s”") % params
            body = _(
                "Instalment %(number)s of the grant “%(title)s” (%(amount)s, due on %(date)s) is no longer held: "
                "it is paid on its due date, or at the next daily payment run if that date has passed."
            ) % params
        return subject, body

    return write


def instalments_changed_notify(*, instalments: Sequence[Instalment], previous: Mapping[int, str], at: datetime) -> int:
    """Tell each party's finance contacts of its instalments paid, held or released; the number of messages.

    ``previous`` gives each instalment's status before the change: a
    released instalment is one scheduled again after it was held. A hold or
    a release may happen again to the same instalment, so their events are
    named by the time of the change.
    """
    told = []
    for instalment in instalments:
        if instalment.status == InstalmentStatus.PAID:
            told.append((instalment, f"instalment:{instalment.pk}:paid"))
        elif instalment.status == InstalmentStatus.HELD:
            told.append((instalment, f"instalment:{instalment.pk}:held:{at.isoformat()}"))
        elif instalment.status == InstalmentStatus.SCHEDULED and previous.get(instalment.pk) == InstalmentStatus.HELD:
            told.append((instalment, f"instalment:{instalment.pk}:released:{at.isoformat()}"))
    if not told:
        return 0
    contacts = party_finance_contacts(party_ids={instalment.grant.party_id for instalment, _key in told})
    # A daily run tells of thousands of instalments of far fewer parties, some with no member to tell:
    # each page is resolved once, and only for a party someone hears from.
    pages = {party_id: _party_page(party_id) for party_id in contacts}
    return notify(
        events=[
            Event(
                kind=NotificationKind.INSTALMENT,
                key=key,
                recipients=contacts[instalment.grant.party_id],
                write=_instalment_writer(instalment),
                path=pages[instalment.grant.party_id],
            )
            for instalment, key in told
            if instalment.grant.party_id in pages
        ]
    )
