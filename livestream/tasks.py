from celery import shared_task

from config.task_queue import DATABASE_GONE
from livestream import services


@shared_task(name="live.claims_expire", acks_late=True, time_limit=60, soft_time_limit=50,
             autoretry_for=DATABASE_GONE, max_retries=3)
def claims_expire() -> int:
    """Beat, every 10 s: claims not ordered within their hold expire and give their units back."""
    return services.claims_expire_due()


@shared_task(name="live.gate_reconcile", acks_late=True, time_limit=60, soft_time_limit=50,
             autoretry_for=DATABASE_GONE, max_retries=3)
def gate_reconcile() -> int:
    """Beat, every 15 s: the claim gate's counts are repaired from PostgreSQL where they drifted."""
    return services.deal_gate_reconcile()


@shared_task(name="live.deals_settle", acks_late=True, time_limit=60, soft_time_limit=50,
             autoretry_for=DATABASE_GONE, max_retries=3)
def deals_settle() -> int:
    """Beat, every 15 s: units set aside for deals that are over go back to free stock, once."""
    return services.deals_settle_due()
