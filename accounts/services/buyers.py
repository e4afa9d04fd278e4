"""Buyer accounts: registration, profile and shipping addresses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.addresses import address_errors
from accounts.errors import AddressInvalid, EmailTaken
from accounts.models import Address, BuyerProfile
from config.errors import InvalidInput, NotFound
from shop.errors import UnsupportedCurrency


def _currency_checked(currency: str) -> str:
    code = (currency or "").upper()
    if code not in settings.LIVEDOCK_SUPPORTED_CURRENCIES:
        raise UnsupportedCurrency(fields={
            "preferred_currency": [f"Choose one of: {', '.join(settings.LIVEDOCK_SUPPORTED_CURRENCIES)}."]})
    return code


@transaction.atomic
def buyer_register(*, email: str, password: str, full_name: str = "", preferred_currency: str | None = None,
                   language: str = "en"):
    email = email.strip().lower()
    currency = _currency_checked(preferred_currency or settings.LIVEDOCK_DEFAULT_CURRENCY)
    user_model = get_user_model()
    candidate = user_model(username=email, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise InvalidInput("Choose a stronger password.", fields={"password": list(exc.messages)}) from exc
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(username=email, email=email, password=password)
    except IntegrityError as exc:
        raise EmailTaken(fields={"email": ["Already registered; log in instead."]}) from exc
    BuyerProfile.objects.create(user=user, full_name=full_name, preferred_currency=currency, language=language)
    return user


def buyer_profile_get(*, user) -> BuyerProfile:
    profile, _ = BuyerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def buyer_profile_update(*, user, **changes) -> BuyerProfile:
    profile = BuyerProfile.objects.select_for_update().get_or_create(user=user)[0]
    if "preferred_currency" in changes:
        changes["preferred_currency"] = _currency_checked(changes["preferred_currency"])
    for field in ("full_name", "preferred_currency", "language"):
        if field in changes:
            setattr(profile, field, changes[field])
    profile.save()
    return profile


ADDRESS_FIELDS = ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


def _address_validate(address: Address) -> None:
    address.country = address.country.strip().upper()
    address.postal_code = address.postal_code.strip().upper()
    errors = address_errors(country=address.country, postal_code=address.postal_code, region=address.region)
    if errors:

        raise AddressInvalid(fields=errors)


@transaction.atomic
def address_create(*, buyer, **data) -> Address:
    address = Address(buyer=buyer, **{k: v for k, v in data.items() if k in ADDRESS_FIELDS})
    _address_validate(address)
    address.save()
    return address


def _own_address(buyer, address_id: int) -> Address:
    address = Address.objects.filter(pk=address_id, buyer=buyer).first()
    if address is None:
        raise NotFound("No such address.")
    return address


@transaction.atomic
def address_update(*, buyer, address_id: int, **changes) -> Address:
    address = _own_address(buyer, address_id)
    for field, value in changes.items():
        if field in ADDRESS_FIELDS:
            setattr(address, field, value)
    _address_validate(address)
    address.save()
    return address


@transaction.atomic
def address_delete(*, buyer, address_id: int) -> None:
    # Orders keep their own snapshot of the address, so deleting it never changes an order.
    _own_address(buyer, address_id).delete()
