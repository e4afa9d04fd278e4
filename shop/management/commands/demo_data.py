from django.core.management.base import BaseCommand

from shop.demo import DEMO_PASSWORD, FACTORIES, demo_data_load


class Command(BaseCommand):
    help = "Create (or refresh) the demo catalog, FX rates and demo logins. Safe to run again."

    def handle(self, *args, **options):
        counts = demo_data_load()
        self.stdout.write(self.style.SUCCESS(
            f"Demo catalog: {counts['products']} products, {counts['variants']} variants."))
        staff = ", ".join(f["slug"].split("-")[0] for f in FACTORIES)
        self.stdout.write(f"Logins (password {DEMO_PASSWORD!r}): operator; manufacturer staff {staff}.")
