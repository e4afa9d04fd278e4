from celery import shared_task

from live_sales import services


@shared_task(name="live.metrics_rollup", acks_late=True, time_limit=300, soft_time_limit=270)
def live_metrics_rollup() -> int:
    """Beat, every 5 minutes: recompute metrics of live and recent sessions (idempotent)."""
    return services.live_metrics_rollup_recent()
