from celery import shared_task

from . import services


@shared_task(name="shop.product_listings_refresh", acks_late=True, time_limit=600, soft_time_limit=540)
def product_listings_refresh(product_ids: list[int] | None = None) -> int:
    """Rebuild the browse read model; idempotent. Beat runs it daily so FX rates published for a
    future date take effect on that date."""
    return services.product_listing_refresh(product_ids=product_ids)


@shared_task(name="shop.catalog_changes_prune", acks_late=True, time_limit=300, soft_time_limit=240)
def catalog_changes_prune() -> int:
    """Delete change-log rows every process has read long ago (the response cache reads seconds back)."""
    return services.catalog_changes_prune()
