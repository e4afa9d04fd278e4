"""Buyers and their addresses, made through the accounts services."""

import itertools

from rest_framework.test import APIClient

from accounts.services import buyers

_seq = itertools.count()



def buyer_create(email=None, currency="EUR"):
    email = email or f"buyer{next(_seq)}@example.com"
    return buyers.buyer_register(email=email, password="Sturdy-pass-42", preferred_currency=currency)



def address_create(buyer, country="DE", postal_code="80331", region=""):
    return buyers.address_create(buyer=buyer, full_name="Anna Muster", line1="Marienplatz 1", city="Munich",
                                 postal_code=postal_code, country=country, region=region)



def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client

