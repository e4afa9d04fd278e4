"""E-mails to account holders, queued after the request commits and sent by a worker through Django's mail
backend. Queuing is the same whatever the worker then finds, so a request takes as long whether or not
the address has an account."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string

from config.task_queue import enqueue_on_commit

EMAIL_TASK = "accounts.email_send"
# Kind -> subject, and the least time between two e-mails of that kind to one address: it bounds what anyone
# can make us send to a stranger, and absorbs a task that a worker runs twice.
EMAIL_KINDS: dict[str, tuple[str, int]] = {
    "welcome": ("Welcome to Livedock", 86400),
    "registration_attempt": ("Someone tried to register with your email address", 3600),
}


def account_email_queue(*, kind: str, email: str) -> None:
    """Queues an e-mail of `kind` to the account named `email` (a normalised address), after commit."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown account e-mail {kind!r}")
    enqueue_on_commit(EMAIL_TASK, kind, email)


def _context(kind: str, user) -> dict:
    return {"email": user.email or user.get_username()}


def account_email_send(*, kind: str, email: str) -> bool:
    """Sends it if the address belongs to an active account and no e-mail of this kind went there lately;
    True when one was sent."""
    subject, interval = EMAIL_KINDS[kind]
    user = get_user_model().objects.filter(username=email, is_active=True).first()
    if user is None:
        return False
    sent_key = f"account-email:{kind}:" + hashlib.sha256(email.encode()).hexdigest()
    if not cache.add(sent_key, 1, interval):
        return False
    body = render_to_string(f"accounts/email/{kind}.txt", _context(kind, user))
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email or email])
    except Exception:
        cache.delete(sent_key)  # not sent: the retry may send it
        raise
    return True
