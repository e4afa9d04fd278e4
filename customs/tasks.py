import logging

from celery import shared_task

from config.task_queue import DATABASE_GONE
from customs import services
from customs.ceb.transport import TransientTransportError

logger = logging.getLogger(__name__)

# Customs tasks: ids in, idempotent (fixed guids, sent once), retried on transport trouble.
_CUSTOMS_TASK = {
    "acks_late": True,
    "time_limit": 120,
    "soft_time_limit": 100,
    "autoretry_for": (TransientTransportError, OSError, *DATABASE_GONE),
    "retry_backoff": 10,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(name="customs.declare_shipment", **_CUSTOMS_TASK)
def declare_shipment(shipment_id: int) -> str:
    declarations = services.shipment_declare(shipment_id=shipment_id)
    outcome = ", ".join(f"{d.message_type} {d.status}" for d in declarations)
    logger.info("shipment %s declared: %s", shipment_id, outcome)
    return outcome


@shared_task(name="customs.declare_pending", **_CUSTOMS_TASK)
def declare_pending() -> int:
    """Beat: declare the parcels of paid orders whose declaration task was lost."""
    return services.shipments_declare_pending()


@shared_task(name="customs.collect_receipts", **_CUSTOMS_TASK)
def collect_receipts() -> int:
    return services.receipts_collect()


@shared_task(name="customs.monthly_summary", **_CUSTOMS_TASK)
def monthly_summary() -> str:
    summary = services.summary_declare()
    return summary.guid if summary else "nothing to summarise"
