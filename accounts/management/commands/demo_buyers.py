from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Address
from accounts.services import buyers
from shop.demo import DEMO_PASSWORD

DEMO_BUYERS = [
    ("anna@buyer.example", "Anna Becker", "EUR", {"line1": "Leopoldstrasse 12", "city": "Munich",
                                                  "postal_code": "80802", "country": "DE"}),
    ("kenji@buyer.example", "Kenji Sato", "JPY", {"line1": "1-2-3 Shibuya", "city": "Shibuya-ku",
                                                  "region": "Tokyo", "postal_code": "150-0002", "country": "JP"}),
    ("olivia@buyer.example", "Olivia Smith", "AUD", {"line1": "10 George St", "city": "Sydney", "region": "NSW",
                                                     "postal_code": "2000", "country": "AU"}),
]


class Command(BaseCommand):
    help = "Create demo buyer accounts with a shipping address each. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        for email, name, currency, address in DEMO_BUYERS:
            user = get_user_model().objects.filter(username=email).first()
            if user is None:
                user = buyers.buyer_register(email=email, password=DEMO_PASSWORD, full_name=name,
                                             preferred_currency=currency)
            if not Address.objects.filter(buyer=user).exists():
                buyers.address_create(buyer=user, full_name=name, **address)
        emails = ", ".join(b[0] for b in DEMO_BUYERS)
        self.stdout.write(self.style.SUCCESS(f"Demo buyers (password {DEMO_PASSWORD!r}): {emails}."))
