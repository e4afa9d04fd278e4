"""The one way money moves at the payment provider, whatever moves it (an intent, a capture, a refund, a
payout's transfer, a transfer's reversal), so that a retried or redelivered task never charges, refunds or
transfers twice:

1. in a transaction, lock our row, check it still needs the call, and store its deterministic idempotency
   key (and whatever the call's amount depends on);
2. call the provider with that key, outside any transaction: a repeat gets the provider's first answer;
3. in a transaction, lock the row again and record the answer only if nobody did meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from payments import gateway as gw
from payments.errors import PaymentGatewayError, TransientGatewayError


@dataclass(frozen=True)
class ProviderCall:
    """What step 1 decided to ask of the provider, the idempotency key among the arguments; `context` carries
    what step 3 needs of step 1 (an amount fixed there, say)."""

    fn: Callable
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    context: Any = None


def provider_once(*, prepare: Callable[[], ProviderCall | None], record: Callable[[Any, ProviderCall], Any],
                  done: Callable[[], Any], refused: Callable[[PaymentGatewayError, ProviderCall], None] | None = None,
                  unavailable: Callable[[Exception, ProviderCall], None] | None = None):
    """Run the three steps: `prepare()` (step 1, in a transaction) returns the call, or None when nothing is
    left to do (then `done()` answers); `record(answer, call)` is step 3, in a transaction. A refusal goes to
    `refused` and a transient failure to `unavailable` (each in a transaction of its own) before it is raised:
    the task retries transient ones."""
    with transaction.atomic():
        call = prepare()
    if call is None:
        return done()
    connection_to_pool()
    try:
        answer = gw.provider_call(call.fn, *call.args, **call.kwargs)
    except TransientGatewayError as exc:
        if unavailable is not None:
            with transaction.atomic():
                unavailable(exc, call)
        raise
    except PaymentGatewayError as exc:
        with transaction.atomic():
            if refused is not None:
                refused(exc, call)
            elif unavailable is not None:
                unavailable(exc, call)
        raise
    with transaction.atomic():
        return record(answer, call)


def connection_to_pool() -> None:
    """Give this thread's database connection back to the pool while it waits on the provider: a worker of
    many threads then holds only as many connections as are querying at once, not one per waiting thread."""
    if connection.connection is not None and not connection.in_atomic_block and \
            connection.settings_dict["OPTIONS"].get("pool"):
        connection.close()
