"""The product's one notification system: people are told by email when something happens to their money or reports.

Each app declares its own events and who hears of them (``grants/notifications.py``,
``sharedcosts/notifications.py``) and calls :func:`ledger.notifications.services.notify`
from its services, inside the transaction that makes the event happen:

1. :func:`~ledger.notifications.services.notify` records one
   :class:`~ledger.notifications.models.Notification` per person and event,
   written in the person's language (their last choice,
   :class:`~ledger.notifications.models.ContactLanguage`) with a link built
   from ``settings.SITE_URL``; a person who turned the kind off
   (:class:`~ledger.notifications.models.NotificationOptOut`) gets no record.
   The unique (event, person) pair makes it once per event and person.
2. Once the transaction commits, the task ``ledger.send_notifications`` sends
   the records not sent yet (:func:`ledger.notifications.delivery.notifications_send`);
   a rollback leaves neither records nor task. A mail server error retries the
   task, which sends only what is still unsent.

This package imports no other app of ours: ``grants`` and ``sharedcosts``,
which never import each other, both build on it.
"""
