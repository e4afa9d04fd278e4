"""E-mails to account holders, queued after the request commits and sent by a worker through Django's mail
backend. What is queued does not depend on whether the account exists (the worker finds out), so a
request takes as long either way."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.task_queue import enqueue_on_commit

EMAIL_TASK = "accounts.email_send"
# Kind -> subject, and the least time between two e-mails of that kind to one account: it bounds what anyone
# can make us send to a stranger, and absorbs a task that a worker runs twice.
EMAIL_KINDS: dict[str, tuple[str, int]] = {
    "welcome": ("Welcome to Livedock", 86400),
    "registration_attempt": ("Someone tried to register with your email address", 3600),
    "password_reset": ("Reset your Livedock password", 300),
    "password_changed": ("Your Livedock password was changed", 60),
}


def account_email_queue(*, kind: str, username: str) -> None:
    """Queues an e-mail of `kind` to the account named `username` (a buyer's normalised address)."""
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown account e-mail {kind!r}")
    enqueue_on_commit(EMAIL_TASK, kind, username)


def _may_receive(kind: str, user) -> bool:
    if not user.email:
        return False
    if kind == "password_reset":
        # Staff accounts reach the admin: their passwords are reset by an operator, never by e-mail alone.
        return user.has_usable_password() and not user.is_staff
    return True


def _context(kind: str, user) -> dict:
    context = {"email": user.email}
    if kind == "password_reset":
        uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
        context.update(uid=uid, token=token, link=settings.LIVEDOCK_PASSWORD_RESET_URL.format(uid=uid, token=token),
                       minutes=settings.PASSWORD_RESET_TIMEOUT // 60)
    return context


def account_email_send(*, kind: str, username: str) -> bool:
    """Sends it if the account exists, is active, may receive this kind, and got none of it lately; True
    when one was sent."""
    subject, interval = EMAIL_KINDS[kind]
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None or not _may_receive(kind, user):
        return False
    sent_key = f"account-email:{kind}:" + hashlib.sha256(username.encode()).hexdigest()
    if not cache.add(sent_key, 1, interval):
        return False
    body = render_to_string(f"accounts/email/{kind}.txt", _context(kind, user))
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except Exception:
        cache.delete(sent_key)  # not sent: the retry may send it
        raise
    return True
