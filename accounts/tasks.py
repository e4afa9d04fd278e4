from celery import shared_task

from accounts.services import mail, tokens
from config.task_queue import DATABASE_GONE

# OSError covers SMTP and network trouble; a kind and account name in, sent at most once per kind's interval.
_MAIL_TASK = {
    "acks_late": True,
    "time_limit": 60,
    "soft_time_limit": 50,
    "autoretry_for": (OSError, *DATABASE_GONE),
    "retry_backoff": 10,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="accounts.email_send", **_MAIL_TASK)
def email_send(kind: str, username: str) -> bool:
    return mail.account_email_send(kind=kind, username=username)


@shared_task(name="accounts.tokens_flush_expired", acks_late=True, time_limit=300, soft_time_limit=280)
def tokens_flush_expired() -> int:
    """Beat: forget refresh tokens past their expiry."""
    return tokens.tokens_flush_expired()
