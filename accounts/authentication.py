"""Bearer-token authentication for the buyer's cart and checkout: the user is read with their buyer profile."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication


class _UsersWithProfile:
    """What JWTAuthentication.get_user asks of the user model (objects.get, DoesNotExist), with the buyer
    profile joined, so the user and their preferred currency come in one statement."""

    def __init__(self) -> None:
        model = get_user_model()
        self.objects = model.objects.select_related("buyer_profile")
        self.DoesNotExist = model.DoesNotExist


class BuyerJWTAuthentication(JWTAuthentication):
    """The project's bearer tokens, checked exactly as by default (active account, token not revoked by a
    password change); the cart and checkout price in the buyer's currency, read here with the user."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user_model = _UsersWithProfile()


class BuyerJWTScheme(SimpleJWTScheme):
    """The same bearer token to a client: a scheme name of its own, as two classes cannot share one."""

    target_class = "accounts.authentication.BuyerJWTAuthentication"
    name = "jwtBuyerAuth"
