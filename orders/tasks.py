from celery import shared_task

from orders.services import lifecycle


@shared_task(name="orders.expire_unpaid", acks_late=True, time_limit=300, soft_time_limit=270)
def expire_unpaid_orders() -> int:
    """Beat, every minute: expire unpaid orders past their reservation and return their stock. Each
    order is expired under its row lock, so overlapping runs never return stock twice."""
    return lifecycle.orders_expire_due()
