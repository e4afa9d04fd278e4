"""Refresh tokens: each one refreshes once, and any can be revoked.

Every refresh token we issue is on simplejwt's outstanding list (token_blacklist). A refresh answers a new
pair and blacklists the token sent, under a lock on its row, so a copied token and its owner cannot both
use it. Logout blacklists one token; a password change or reset blacklists all of the account's. A token
that is not on the outstanding list (issued before rotation existed) is refused. Access tokens are not
revocable: they expire after ACCESS_TOKEN_LIFETIME.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken, UntypedToken

from accounts.errors import InvalidToken


def tokens_issue(*, user) -> dict[str, str]:
    """A new access and refresh token; the refresh token goes on the outstanding list."""
    refresh = RefreshToken.for_user(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def _refresh_claims(raw: str) -> dict:
    """The claims of a refresh token we signed that has not expired (whether or not it was revoked)."""
    try:
        claims = UntypedToken(raw).payload
    except TokenError as exc:
        raise InvalidToken() from exc
    if claims.get(api_settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
        raise InvalidToken()
    return claims


@transaction.atomic
def token_refresh(*, refresh: str) -> dict[str, str]:
    """A new pair for a refresh token that is outstanding and not yet used or revoked; that token is then
    revoked. A second use, even in parallel, is refused."""
    claims = _refresh_claims(refresh)
    outstanding = (OutstandingToken.objects.select_for_update(of=("self",)).select_related("user")
                   .filter(jti=claims[api_settings.JTI_CLAIM]).first())
    user = outstanding.user if outstanding is not None else None
    if (user is None or str(getattr(user, api_settings.USER_ID_FIELD)) != str(claims.get(api_settings.USER_ID_CLAIM))
            or not api_settings.USER_AUTHENTICATION_RULE(user)):
        raise InvalidToken()
    _, revoked_now = BlacklistedToken.objects.get_or_create(token=outstanding)
    if not revoked_now:
        raise InvalidToken()
    return tokens_issue(user=user)


@transaction.atomic
def token_revoke(*, refresh: str) -> None:
    """Logout: the token stops working. Revoking a revoked token, or one refresh already refuses, is done."""
    claims = _refresh_claims(refresh)
    outstanding = OutstandingToken.objects.filter(jti=claims[api_settings.JTI_CLAIM]).first()
    if outstanding is not None:
        BlacklistedToken.objects.get_or_create(token=outstanding)


def tokens_revoke_all(*, user) -> int:
    """Every refresh token of the account stops working (after a password change or reset)."""
    live = OutstandingToken.objects.filter(user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True)
    created = BlacklistedToken.objects.bulk_create([BlacklistedToken(token=token) for token in live],
                                                   ignore_conflicts=True)
    return len(created)


@transaction.atomic
def tokens_flush_expired(*, now: dt.datetime | None = None) -> int:
    """Beat: forget tokens past their expiry (revoked or not); an expired token is refused by its signature."""
    _, deleted = OutstandingToken.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted.get(OutstandingToken._meta.label, 0)
