"""The claim gate in front of a live deal: one Redis round trip takes units (of the deal and of the size)
and the buyer's allowance.

The gate only admits. PostgreSQL stays the truth: a claim is recorded as a row (DealClaim), and the order
that converts it still takes its unit from the deal with a conditional update under a check constraint.
So the gate can be wrong for a moment (Redis lost, a process killed between the gate and its row) and
refuse buyers it should have served, but never sell a unit twice. Its counts are derivable from
PostgreSQL (units left = deal.remaining - active claims; units left of a size = the size's set-aside units
in no order (DealAllocation.remaining) - its active claims; a buyer's holding = active claims + units in
orders) and are re-seeded from there when the keys are missing and repaired by a reconciliation beat.

Keys of one deal share a hash tag (`{deal:<id>}`), so a Redis Cluster keeps them on one node. Each script
is small (Lua blocks Redis while it runs), reads and checks before it writes (a script that fails half-way
keeps its earlier writes), and uses only commands of Redis 6.2, the embedded server of the run command.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

import redis
from django.conf import settings

# The deal's offer hash holds the window, the limit, the units left ('left'), the units left per size
# ('size:<variant id>') and the units owed to buyers on the waitlist ('waiting', 'waiting:<variant id>'):
# those are kept from everyone else until the waitlist is served. KEYS: offer, buyers, keys. ARGV: buyer,
# quantity, now (ms), idempotency marker ('' for none), size, '1' when serving the waitlist.
_TAKE = """
local s = redis.call('HMGET', KEYS[1], 'left', 'limit', 'starts', 'ends', 'size:' .. ARGV[5], 'waiting',
                     'waiting:' .. ARGV[5])
if not s[1] then return {'unseeded', 0} end
local marker = ARGV[4]
if marker ~= '' and redis.call('HEXISTS', KEYS[3], marker) == 1 then return {'duplicate', 0} end
local now = tonumber(ARGV[3])
local served = ARGV[6] == '1'
local left, size = tonumber(s[1]), tonumber(s[5] or '0')
if not served then
  left, size = left - tonumber(s[6] or '0'), size - tonumber(s[7] or '0')
end
if now < tonumber(s[3]) then return {'not_started', left} end
if now >= tonumber(s[4]) then return {'ended', left} end
local quantity = tonumber(ARGV[2])
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held + quantity > tonumber(s[2]) then return {'limit', left} end
if left < quantity then return {'sold_out', left} end
if size < quantity then return {'size_sold_out', left} end
local ttl = redis.call('TTL', KEYS[1])
-- every read and check above, every write below: a script that fails half-way keeps what it wrote
redis.call('HINCRBY', KEYS[1], 'left', -quantity)
redis.call('HINCRBY', KEYS[1], 'size:' .. ARGV[5], -quantity)
if served then
  redis.call('HINCRBY', KEYS[1], 'waiting', -quantity)
  redis.call('HINCRBY', KEYS[1], 'waiting:' .. ARGV[5], -quantity)
end
redis.call('HINCRBY', KEYS[2], ARGV[1], quantity)
if marker ~= '' then
  redis.call('HSET', KEYS[3], marker, '1')
  if ttl > 0 then redis.call('EXPIRE', KEYS[3], ttl) end
end
return {'ok', left - quantity}
"""

# KEYS: offer, buyers, keys. ARGV: buyer, quantity, idempotency marker, size. Units come back to the deal, to
# their size and to the buyer's allowance; a missing offer (Redis restarted) is left to the next seeding.
_RELEASE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local quantity = tonumber(ARGV[2])
redis.call('HINCRBY', KEYS[1], 'left', quantity)
redis.call('HINCRBY', KEYS[1], 'size:' .. ARGV[4], quantity)
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held <= quantity then
  redis.call('HDEL', KEYS[2], ARGV[1])
else
  redis.call('HINCRBY', KEYS[2], ARGV[1], -quantity)
end
if ARGV[3] ~= '' then redis.call('HDEL', KEYS[3], ARGV[3]) end
return 1
"""

# KEYS: offer, buyers. ARGV: mode ('seed' only if missing, 'reset' always), left, limit, starts, ends,
# expire at (s), number of sizes, then size, units left pairs, then the number of sizes with buyers waiting,
# then size, units waiting pairs, then buyer, holding pairs.
_SEED = """
if ARGV[1] == 'seed' and redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'left', ARGV[2], 'limit', ARGV[3], 'starts', ARGV[4], 'ends', ARGV[5], 'waiting', 0)
local after_sizes = 8 + 2 * tonumber(ARGV[7])
for i = 8, after_sizes - 1, 2 do redis.call('HSET', KEYS[1], 'size:' .. ARGV[i], ARGV[i + 1]) end
local after_waiting = after_sizes + 1 + 2 * tonumber(ARGV[after_sizes])
for i = after_sizes + 1, after_waiting - 1, 2 do
  redis.call('HSET', KEYS[1], 'waiting:' .. ARGV[i], ARGV[i + 1])
  redis.call('HINCRBY', KEYS[1], 'waiting', ARGV[i + 1])
end
for i = after_waiting, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIREAT', KEYS[1], ARGV[6])
redis.call('EXPIREAT', KEYS[2], ARGV[6])
return 1
"""


# KEYS: offer, buyers. ARGV: buyer, quantity, now (ms), size. A buyer joins the waitlist only when the units
# not already owed to earlier waiting buyers cannot serve them, within the window and their limit; the units
# they wait for are counted as owed.
_JOIN = """
local s = redis.call('HMGET', KEYS[1], 'left', 'limit', 'starts', 'ends', 'size:' .. ARGV[4], 'waiting',
                     'waiting:' .. ARGV[4])
if not s[1] then return 'unseeded' end
local now, quantity = tonumber(ARGV[3]), tonumber(ARGV[2])
if now < tonumber(s[3]) then return 'not_started' end
if now >= tonumber(s[4]) then return 'ended' end
local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if held + quantity > tonumber(s[2]) then return 'limit' end
local left = tonumber(s[1]) - tonumber(s[6] or '0')
local size = tonumber(s[5] or '0') - tonumber(s[7] or '0')
if left >= quantity and size >= quantity then return 'available' end
redis.call('HINCRBY', KEYS[1], 'waiting', quantity)
redis.call('HINCRBY', KEYS[1], 'waiting:' .. ARGV[4], quantity)
return 'ok'
"""

# KEYS: offer. ARGV: quantity, size. A waiting buyer left (or was passed over): the units are owed no more.
_LEAVE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local quantity = tonumber(ARGV[1])
local waiting = tonumber(redis.call('HGET', KEYS[1], 'waiting:' .. ARGV[2]) or '0')
local by = math.min(quantity, waiting)
redis.call('HINCRBY', KEYS[1], 'waiting:' .. ARGV[2], -by)
redis.call('HINCRBY', KEYS[1], 'waiting', -by)
return 1
"""


class GateUnavailable(Exception):
    """Redis did not answer: the caller falls back to the database path."""


@dataclass(frozen=True)
class GateAnswer:
    outcome: str  # ok, duplicate, not_started, ended, limit, sold_out, size_sold_out, unseeded
    left: int


@dataclass(frozen=True)
class DealSnapshot:
    """What the gate needs to know of a deal, computed from PostgreSQL."""

    deal_id: int
    left: int
    per_buyer_limit: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    holdings: dict[int, int]  # buyer id -> units held (active claims + units in orders)
    sizes: dict[int, int]  # variant id -> units of that size left to claim
    waiting: dict[int, int] = field(default_factory=dict)  # variant id -> units owed to waiting buyers


@cache
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.LIVEDOCK_GATE_REDIS_URL, socket_timeout=settings.LIVEDOCK_GATE_TIMEOUT,
                                socket_connect_timeout=settings.LIVEDOCK_GATE_TIMEOUT, decode_responses=True)


@cache
def _scripts():
    client = _client()
    return (client.register_script(_TAKE), client.register_script(_RELEASE), client.register_script(_SEED),
            client.register_script(_JOIN), client.register_script(_LEAVE))


def _keys(deal_id: int) -> list[str]:
    tag = f"{{deal:{deal_id}}}"
    # The offer hash replaced a state hash without sizes (":state"), whose keys are left to expire.
    return [f"livedock:gate:{tag}:offer", f"livedock:gate:{tag}:buyers", f"livedock:gate:{tag}:keys"]


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _call(script, keys, args):
    try:
        return script(keys=keys, args=args)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise GateUnavailable(str(exc)) from exc


def take(*, deal_id: int, buyer_id: int, variant_id: int, quantity: int, now: dt.datetime,
         marker: str = "", waitlist: bool = False) -> GateAnswer:
    """Units for a buyer; `waitlist` serves a waiting buyer from the units owed to the waitlist."""
    outcome, left = _call(_scripts()[0], _keys(deal_id),
                          [buyer_id, quantity, _ms(now), marker, variant_id, "1" if waitlist else "0"])
    return GateAnswer(outcome, int(left))


def waitlist_join(*, deal_id: int, buyer_id: int, variant_id: int, quantity: int, now: dt.datetime) -> str:
    """ok (the units are now owed to this buyer's place), available (claim instead), limit, not_started,
    ended or unseeded."""
    return _call(_scripts()[3], _keys(deal_id)[:2], [buyer_id, quantity, _ms(now), variant_id])


def waitlist_leave(*, deal_id: int, variant_id: int, quantity: int) -> None:
    _call(_scripts()[4], _keys(deal_id)[:1], [quantity, variant_id])


def release(*, deal_id: int, buyer_id: int, variant_id: int, quantity: int, marker: str = "") -> None:
    _call(_scripts()[1], _keys(deal_id), [buyer_id, quantity, marker, variant_id])


def seed(snapshot: DealSnapshot, *, reset: bool = False) -> bool:
    """Write the deal's counts from PostgreSQL: only where missing, or (reset) over what is there."""
    expire_at = int(snapshot.ends_at.timestamp()) + 86_400
    args = ["reset" if reset else "seed", max(snapshot.left, 0), snapshot.per_buyer_limit,
            _ms(snapshot.starts_at), _ms(snapshot.ends_at), expire_at, len(snapshot.sizes)]
    for variant_id, left in sorted(snapshot.sizes.items()):
        args += [variant_id, max(left, 0)]
    args.append(len(snapshot.waiting))
    for variant_id, waiting in sorted(snapshot.waiting.items()):
        args += [variant_id, waiting]
    for buyer_id, held in sorted(snapshot.holdings.items()):
        args += [buyer_id, held]
    return bool(_call(_scripts()[2], _keys(snapshot.deal_id)[:2], args))


def counts(*, deal_id: int) -> tuple[int | None, dict[int, int]]:
    """Units left and holdings as the gate has them (None: not seeded)."""
    offer, buyers, _ = _keys(deal_id)
    try:
        left = _client().hget(offer, "left")
        holdings = _client().hgetall(buyers)
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise GateUnavailable(str(exc)) from exc
    return (None if left is None else int(left)), {int(b): int(n) for b, n in holdings.items()}


def waiting_counts(*, deal_id: int) -> dict[int, int]:
    """Units owed to waiting buyers per size (variant id), as the gate has them."""
    try:
        offer = _client().hgetall(_keys(deal_id)[0])
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise GateUnavailable(str(exc)) from exc
    return {int(f[8:]): int(n) for f, n in offer.items() if f.startswith("waiting:") and int(n)}


def size_counts(*, deal_id: int) -> tuple[int | None, dict[int, int]]:
    """Units left in all and per size (variant id) as the gate has them, in one read (None: not seeded)."""
    try:
        offer = _client().hgetall(_keys(deal_id)[0])
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise GateUnavailable(str(exc)) from exc
    if "left" not in offer:
        return None, {}
    sizes = {int(field[5:]): int(n) for field, n in offer.items() if field.startswith("size:")}
    return int(offer["left"]), sizes
