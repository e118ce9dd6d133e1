"""A mail backend for the tests of retries: the server refuses the first message, then takes the rest."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class FirstMessageRefusedBackend(EmailBackend):
    """Django's in-memory outbox, whose server answers the first message of the test with an error."""

    refused = 0

    def send_messages(self, messages):
        if FirstMessageRefusedBackend.refused == 0:
            FirstMessageRefusedBackend.refused += 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)
