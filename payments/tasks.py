import logging

from celery import shared_task

from config.task_queue import DATABASE_GONE
from payments.errors import PaymentGatewayError, TransientGatewayError
from payments.services import intents, payouts, reconcile, refunds, webhooks

logger = logging.getLogger(__name__)

# Payment tasks: ids in, idempotent (see payments.services), acknowledged late so a worker that dies
# mid-task has it redelivered, with bounded retries and backoff on network errors, Stripe's 429/5xx
# and lost database connections only. Card declines and other refusals are recorded, not retried.
_PAYMENT_TASK = {
    "acks_late": True,
    "time_limit": 120,
    "soft_time_limit": 100,
    "autoretry_for": (TransientGatewayError, *DATABASE_GONE),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="payments.create_intent", **_PAYMENT_TASK)
def create_intent(payment_id: int) -> str:
    """The PaymentIntent of a payment a checkout (or the buyer's retry) asked for. Routed to the payments
    queue (CELERY_TASK_ROUTES), served by a worker with many threads: it mostly waits on Stripe."""
    try:
        payment = intents.payment_intent_create(payment_id=payment_id)
        outcome = payment.status if payment is not None else "no such payment"
    except PaymentGatewayError as exc:  # Stripe refused: recorded on the payment, which the buyer can retry
        outcome = f"failed: {exc.message}"
    logger.info("payment %s: %s", payment_id, outcome)
    return outcome


@shared_task(name="payments.process_webhook_event", **_PAYMENT_TASK)
def process_webhook_event(event_row_id: int) -> str:
    outcome = webhooks.webhook_process(event_row_id=event_row_id)
    logger.info("webhook event %s: %s", event_row_id, outcome)
    return outcome


@shared_task(name="payments.reconcile", **_PAYMENT_TASK)
def reconcile_payments() -> int:
    return reconcile.payments_reconcile()


@shared_task(name="payments.execute_refund", **_PAYMENT_TASK)
def execute_refund(refund_id: int) -> str:
    try:
        outcome = refunds.refund_execute(refund_id=refund_id).status
    except PaymentGatewayError as exc:
        outcome = f"failed: {exc.message}"
    logger.info("refund %s: %s", refund_id, outcome)
    return outcome


@shared_task(name="payments.capture_shipped", **_PAYMENT_TASK)
def capture_shipped(order_id: int) -> str:
    """Manual capture: a parcel of the order shipped; its authorised payment is captured."""
    try:
        payment = intents.payment_capture_shipped(order_id=order_id)
        outcome = payment.status if payment is not None else "no payment"
    except PaymentGatewayError as exc:  # refused: the authorisation stays; reconciliation tries again
        outcome = f"failed: {exc.message}"
    logger.info("capture of order %s: %s", order_id, outcome)
    return outcome


@shared_task(name="payments.payouts_create_due", **_PAYMENT_TASK)
def create_due_payouts() -> int:
    return payouts.payouts_create_due()


@shared_task(name="payments.execute_payout", **_PAYMENT_TASK)
def execute_payout(payout_id: int) -> str:
    try:
        outcome = payouts.payout_execute(payout_id=payout_id).status
    except PaymentGatewayError as exc:
        outcome = f"failed: {exc.message}"
    logger.info("payout %s: %s", payout_id, outcome)
    return outcome
