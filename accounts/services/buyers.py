"""Buyer accounts: registration, profile and shipping addresses."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.addresses import address_errors
from accounts.emails import EmailRefused, email_normalize
from accounts.errors import AddressInvalid
from accounts.models import PREFERRED_SIZE_SYSTEMS, Address, BuyerProfile
from accounts.services.mail import account_email_queue
from config.errors import InvalidInput, NotFound
from shop.errors import UnsupportedCurrency
from shop.models import Language

_SIZE_SYSTEMS = [code for code, _ in PREFERRED_SIZE_SYSTEMS]


def _choice_checked(field: str, value: str, choices: list[str]) -> str:
    if value not in choices:
        raise InvalidInput(f"{value!r} is not a valid {field.replace('_', ' ')}.",
                           fields={field: [f"Choose one of: {', '.join(choices)}."]})
    return value


def _currency_checked(currency: str) -> str:
    code = (currency or "").upper()
    if code not in settings.LIVEDOCK_SUPPORTED_CURRENCIES:
        raise UnsupportedCurrency(fields={
            "preferred_currency": [f"Choose one of: {', '.join(settings.LIVEDOCK_SUPPORTED_CURRENCIES)}."]})
    return code


def buyer_email_normalize(*, email: str) -> str:
    """The account name for an address as typed (accounts/emails.py), or a 400 on the email field."""
    try:
        return email_normalize(email)
    except EmailRefused as exc:
        raise InvalidInput(str(exc), fields={"email": [str(exc)]}) from exc


@transaction.atomic
def buyer_register(*, email: str, password: str, full_name: str = "", preferred_currency: str | None = None,
                   language: str = "en"):
    """Creates the account if the address has none, and answers the same either way: the new account gets
    a welcome e-mail, an existing one a note that someone tried to register it. Returns the new user, or
    None when the address already had an account. Every check that can refuse depends only on the input."""
    email = buyer_email_normalize(email=email)
    currency = _currency_checked(preferred_currency or settings.LIVEDOCK_DEFAULT_CURRENCY)
    language = _choice_checked("language", language, Language.values)
    user_model = get_user_model()
    candidate = user_model(username=email, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as exc:
        raise InvalidInput("Choose a stronger password.", fields={"password": list(exc.messages)}) from exc
    try:
        # The password is hashed before the insert finds the name taken, so both outcomes cost the same.
        with transaction.atomic():
            user = user_model.objects.create_user(username=email, email=email, password=password)
    except IntegrityError:
        account_email_queue(kind="registration_attempt", username=email)
        return None
    BuyerProfile.objects.create(user=user, full_name=full_name, preferred_currency=currency, language=language)
    account_email_queue(kind="welcome", username=email)
    return user


def buyer_profile_get(*, user) -> BuyerProfile:
    profile, _ = BuyerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def buyer_profile_update(*, user, **changes) -> BuyerProfile:
    profile = BuyerProfile.objects.select_for_update().get_or_create(user=user)[0]
    if "preferred_currency" in changes:
        changes["preferred_currency"] = _currency_checked(changes["preferred_currency"])
    if "language" in changes:
        _choice_checked("language", changes["language"], Language.values)
    if "size_system" in changes:
        _choice_checked("size_system", changes["size_system"], _SIZE_SYSTEMS)
    for field in ("full_name", "preferred_currency", "language", "size_system"):
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
