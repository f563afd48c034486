"""Leaving: deleting an account and every record of it."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import transaction

from journal.models import User


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete `user`, their whole journal, their sessions and their log-in records.

    One transaction: if anything fails, nothing is deleted.
    """
    _delete_sessions(user)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=user.email).delete()
    user.delete()  # cascades to every record of the journal


def _delete_sessions(user: User) -> None:
    """The user's sessions on every device. Sessions are not indexed by user, so each is read."""
    user_id = str(user.pk)
    keys = [
        session.session_key
        for session in Session.objects.iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(session_key__in=keys).delete()
