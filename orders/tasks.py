import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .ceb.transport import TransientTransportError
from .services import declarations as declarations_service
from .services import lifecycle, payments

logger = logging.getLogger(__name__)


@shared_task(name="orders.expire_unpaid", acks_late=True, time_limit=300, soft_time_limit=270)
def expire_unpaid_orders() -> int:
    """Beat, every minute: expire unpaid orders past their reservation and return their stock. Each
    order is expired under its row lock, so overlapping runs never return stock twice."""
    return lifecycle.orders_expire_due()


# A dropped database connection (failover, restart, a reaper of idle connections) fails only the task
# using it; the retry gets a fresh connection.
_DATABASE_GONE = (OperationalError, InterfaceError)

# Payment tasks: ids in, idempotent (see orders.services.payments), acknowledged late so a worker that
# dies mid-task has it redelivered, with bounded retries and backoff on network errors, Stripe's 429/5xx
# and lost database connections only. Card declines and other refusals are recorded, not retried.
_PAYMENT_TASK = {
    "acks_late": True,
    "time_limit": 120,
    "soft_time_limit": 100,
    "autoretry_for": (payments.TransientGatewayError, *_DATABASE_GONE),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="payments.process_webhook_event", **_PAYMENT_TASK)
def process_webhook_event(event_row_id: int) -> str:
    outcome = payments.webhook_process(event_row_id=event_row_id)
    logger.info("webhook event %s: %s", event_row_id, outcome)
    return outcome


@shared_task(name="payments.reconcile", **_PAYMENT_TASK)
def reconcile_payments() -> int:
    return payments.payments_reconcile()


@shared_task(name="payments.execute_refund", **_PAYMENT_TASK)
def execute_refund(refund_id: int) -> str:
    try:
        outcome = payments.refund_execute(refund_id=refund_id).status
    except payments.PaymentGatewayError as exc:
        outcome = f"failed: {exc.message}"
    logger.info("refund %s: %s", refund_id, outcome)
    return outcome


@shared_task(name="payments.payouts_create_due", **_PAYMENT_TASK)
def create_due_payouts() -> int:
    return payments.payouts_create_due()


@shared_task(name="payments.execute_payout", **_PAYMENT_TASK)
def execute_payout(payout_id: int) -> str:
    try:
        outcome = payments.payout_execute(payout_id=payout_id).status
    except payments.PaymentGatewayError as exc:
        outcome = f"failed: {exc.message}"
    logger.info("payout %s: %s", payout_id, outcome)
    return outcome


# Customs tasks: ids in, idempotent (fixed guids, sent once), retried on transport trouble.
_CUSTOMS_TASK = {
    "acks_late": True,
    "time_limit": 120,
    "soft_time_limit": 100,
    "autoretry_for": (TransientTransportError, OSError, *_DATABASE_GONE),
    "retry_backoff": 10,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 10,
}


@shared_task(name="customs.declare_shipment", **_CUSTOMS_TASK)
def declare_shipment(shipment_id: int) -> str:
    declarations = declarations_service.shipment_declare(shipment_id=shipment_id)
    outcome = ", ".join(f"{d.message_type} {d.status}" for d in declarations)
    logger.info("shipment %s declared: %s", shipment_id, outcome)
    return outcome


@shared_task(name="customs.declare_pending", **_CUSTOMS_TASK)
def declare_pending() -> int:
    """Beat: declare the parcels of paid orders whose declaration task was lost."""
    return declarations_service.shipments_declare_pending()


@shared_task(name="customs.collect_receipts", **_CUSTOMS_TASK)
def collect_receipts() -> int:
    return declarations_service.receipts_collect()


@shared_task(name="customs.monthly_summary", **_CUSTOMS_TASK)
def monthly_summary() -> str:
    summary = declarations_service.summary_declare()
    return summary.guid if summary else "nothing to summarise"


@shared_task(name="live.metrics_rollup", acks_late=True, time_limit=300, soft_time_limit=270)
def live_metrics_rollup() -> int:
    """Beat, every 5 minutes: recompute metrics of live and recent sessions (idempotent)."""
    from .services.live_metrics import live_metrics_rollup_recent

    return live_metrics_rollup_recent()
