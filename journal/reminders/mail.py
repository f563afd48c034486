"""Reminders by email: plain text and HTML, with one-click unsubscribe (RFC 8058)."""

import email.policy
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from journal.reminders.messages import ReminderMessage, absolute
from journal.reminders.models import Reminder

logger = logging.getLogger(__name__)


def unsubscribe_url(reminder: Reminder) -> str:
    """Turns off this one reminder, with no log-in: a page with a button, and the address mail
    programs POST to for one-click unsubscribe."""
    return absolute(reverse("reminder_off", kwargs={"token": reminder.unsubscribe_token}))


# RFC 5322 allows header lines up to 998 characters; Python's mail policies fold at 78, and a
# header with no space to fold at, like a List-Unsubscribe of a long address, then comes out
# as encoded words ("=?utf-8?q?=3Chttps...") that mail programs do not read as a link.
HEADER_LINE_LIMIT = 998


class ReminderEmail(EmailMultiAlternatives):
    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=HEADER_LINE_LIMIT))


def reminder_email(reminder: Reminder, message: ReminderMessage) -> EmailMultiAlternatives:
    context = {
        "message": message,
        "reminder": reminder,
        "unsubscribe_url": unsubscribe_url(reminder),
        "site_name": settings.SITE_NAME,
    }
    mail = ReminderEmail(
        subject=message.subject,
        body=render_to_string("reminders/email.txt", context),
        to=[reminder.user.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # RFC 3834: out-of-office replies stay away
        },
    )
    mail.attach_alternative(render_to_string("reminders/email.html", context), "text/html")
    return mail


def send_reminder_email(reminder: Reminder, message: ReminderMessage) -> bool:
    """Send it; False (and logged) if the mail server refused it: the reminder stays claimed,
    as one that may have gone out is never sent twice."""
    try:
        reminder_email(reminder, message).send()
    except Exception:
        logger.exception("Reminder email to user %s not sent", reminder.user_id)
        return False
    return True
