import stripe
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from orders.models import Order
from payments.services import intents as payment_intents


class Command(BaseCommand):
    help = ("Offline demo only: pay an order with Stripe's test card against the local Stripe-compatible "
            "server, as the buyer's browser would. The server then sends the signed webhook.")

    def add_arguments(self, parser):
        parser.add_argument("number")
        parser.add_argument("--card", default="pm_card_visa", help="A Stripe test payment method id.")

    def handle(self, *args, number, card, **options):
        if "api.stripe.com" in settings.STRIPE_API_BASE:
            raise CommandError("This command only talks to the local demo server, never to Stripe itself.")
        order = Order.objects.filter(number=number).first()
        if order is None:
            raise CommandError(f"No order {number}.")
        payment = payment_intents.payment_start(order_id=order.pk)

        client = stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE})
        client.v1.payment_intents.update(payment.intent_id, params={"payment_method": card})
        intent = client.v1.payment_intents.confirm(payment.intent_id)
        self.stdout.write(self.style.SUCCESS(
            f"PaymentIntent {intent.id} is {intent.status}; the webhook will mark {number} paid in a moment."))
