import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from livestream import services
from livestream.models import Festival, Host, HostAvailability, LineupItem, LiveBase, LiveSession, Studio
from shop import selectors as shop_selectors
from shop.demo import DEMO_PASSWORD
from shop.models import Product


class Command(BaseCommand):
    help = ("Demo live commerce: a live base with two studios, a festival around today, a host (login 'lily') "
            "with an approved lineup and a session starting now. Safe to run again.")

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now().replace(second=0, microsecond=0)
        base, _ = LiveBase.objects.get_or_create(name="Wenzhou Shoe Live Base", defaults={"city": "Wenzhou"})
        studios = [Studio.objects.get_or_create(base=base, name=name)[0] for name in ("Studio A", "Studio B")]
        festival, _ = Festival.objects.update_or_create(
            slug="winter-boots-festival",
            defaults={"base": base, "name": "Winter Boots Festival", "theme": "Leather boots for Europe and Japan",
                      "starts_at": now - dt.timedelta(days=1), "ends_at": now + dt.timedelta(days=3),
                      "status": "published"})
        user = get_user_model().objects.filter(username="lily").first()
        if user is None:
            user = get_user_model().objects.create_user("lily", "lily@host.example", DEMO_PASSWORD)
        host, _ = Host.objects.get_or_create(user=user, defaults={
            "handle": "lily", "display_name": "Lily Chen", "languages": ["zh", "en"], "markets": ["DE", "JP", "AU"],
            "channels": ["tiktok"]})
        if not HostAvailability.objects.filter(host=host, ends_at__gte=now + dt.timedelta(days=2)).exists():
            HostAvailability.objects.create(host=host, starts_at=now - dt.timedelta(hours=1),
                                            ends_at=now + dt.timedelta(days=3))
        session = LiveSession.objects.filter(festival=festival, host=host, status__in=["scheduled", "live"]).first()
        if session is None:
            session = services.live_session_schedule(
                festival=festival, studio=studios[0], host=host, title="Chelsea boots night",
                starts_at=now, ends_at=now + dt.timedelta(hours=2))
        for product in Product.objects.filter(category__slug="leather-boots").order_by("id")[:3]:
            if not LineupItem.objects.filter(session=session, product=product).exists():
                currency = product.manufacturer.pricing_currency
                list_price = shop_selectors.product_list_price(product=product, currency=currency)
                item = services.lineup_request(host=host, session_id=session.pk, product_id=product.pk,
                                               price=(list_price * Decimal("0.9")).quantize(Decimal("0.01")),
                                               currency=currency, commission_rate=Decimal("0.15"), quantity=200)
                services.lineup_decide(manufacturer_id=None, item_id=item.pk, action="approve")
        self.stdout.write(self.style.SUCCESS(
            f"Demo live session {session.pk} '{session.title}' with host lily (password {DEMO_PASSWORD!r})."))
