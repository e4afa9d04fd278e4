"""Changing a password, knowing the old one or holding a reset link; either way every refresh token of the
account stops working and the owner is told by e-mail."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

from accounts.errors import PasswordIncorrect, PasswordResetInvalid
from accounts.services.buyers import buyer_email_normalize
from accounts.services.mail import account_email_queue
from accounts.services.sign_in import password_check
from accounts.services.tokens import tokens_issue, tokens_revoke_all
from config.errors import InvalidInput


def _password_set(user, password: str) -> None:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput("Choose a stronger password.", fields={"new_password": list(exc.messages)}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    account_email_queue(kind="password_changed", username=user.get_username())


@transaction.atomic
def password_change(*, user, old_password: str, new_password: str, client: str) -> dict[str, str]:
    """Signed in and knowing the current password (checked under the same backoff as a sign-in): sets the
    new one, signs the account out everywhere, and answers a fresh pair for the device that asked."""
    checked = password_check(username=user.get_username(), password=old_password, client=client)
    if checked is None or checked.pk != user.pk:
        raise PasswordIncorrect(fields={"old_password": [PasswordIncorrect.default_message]})
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    _password_set(user, new_password)
    return tokens_issue(user=user)


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Queues a reset e-mail for the address; the worker sends it only to an active account that may reset
    by e-mail, so the answer and its timing say nothing about whether there is one."""
    account_email_queue(kind="password_reset", username=buyer_email_normalize(email=email))


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> None:
    """Sets the password with a reset link's uid and token (Django's token generator: it stops working once
    the password changes, or after PASSWORD_RESET_TIMEOUT), and signs the account out everywhere."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError) as exc:
        raise PasswordResetInvalid() from exc
    if not 0 < pk < 2**63:
        raise PasswordResetInvalid()
    # Locked, so two uses of one link at once set one password: the second finds the token spent.
    user = get_user_model().objects.select_for_update().filter(pk=pk, is_active=True, is_staff=False).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise PasswordResetInvalid()
    _password_set(user, new_password)
