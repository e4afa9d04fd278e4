"""A Stripe-compatible front for the local Stripe server, adding the two things real Stripe does that the
local one does not, because the fault tests depend on them:

- idempotent requests: a POST repeated with the same Idempotency-Key and the same parameters gets the
  first answer again (header Idempotent-Replayed: true) and changes nothing; the same key with other
  parameters is refused with an idempotency_error (docs.stripe.com/api/idempotent_requests);
- Connect transfers and transfer reversals, kept in memory.

Everything else is passed through to the local server. Every request is recorded, so a test can check
that a retry really repeated the same key, and what exists on the Stripe side afterwards.
"""

from __future__ import annotations

import http.client
import itertools
import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from .loopback import Answer, LoopbackServer

_PASSED_HEADERS = ("authorization", "content-type", "stripe-version", "user-agent", "x-stripe-client-user-agent")


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    idempotency_key: str
    replayed: bool


def _params(body: bytes) -> dict[str, str]:
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


def _error(status: int, kind: str, message: str) -> Answer:
    return Answer.json(status, {"error": {"type": kind, "message": message}})


class StripeFront(LoopbackServer):
    def __init__(self, upstream: str):
        self.upstream = urlsplit(upstream)
        self.seen: list[Seen] = []
        self.transfers: dict[str, dict] = {}
        self.reversals: dict[str, dict] = {}
        self._saved: dict[str, tuple[tuple, Answer]] = {}
        self._key_locks: dict[str, threading.Lock] = {}
        self._ids = itertools.count(1)
        self._state = threading.Lock()
        super().__init__()

    # --- what a test asks ---------------------------------------------------------------------------

    def calls(self, method: str, path_pattern: str) -> list[Seen]:
        with self._state:
            return [s for s in self.seen if s.method == method and re.search(path_pattern, s.path)]

    # --- serving ------------------------------------------------------------------------------------

    def answer(self, method, path, headers, body):
        key = headers.get("Idempotency-Key", "") if method == "POST" else ""
        if not key:
            answer = self._execute(method, path, headers, body)
            self._record(Seen(method, path, "", False))
            return answer
        with self._state:
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:  # one request per key at a time
            fingerprint = (method, path, tuple(sorted(_params(body).items())))
            saved = self._saved.get(key)
            if saved is not None:
                self._record(Seen(method, path, key, True))
                if saved[0] != fingerprint:
                    return _error(400, "idempotency_error", "Keys for idempotent requests can only be used with "
                                  "the same parameters they were first used with.")
                first = saved[1]
                return Answer(first.status, first.body, {**first.headers, "Idempotent-Replayed": "true"})
            answer = self._execute(method, path, headers, body)
            if answer.status < 500:  # Stripe keeps the result of a request that ran, success or refusal
                self._saved[key] = (fingerprint, answer)
            self._record(Seen(method, path, key, False))
            return answer

    def _record(self, seen: Seen) -> None:
        with self._state:
            self.seen.append(seen)

    def _execute(self, method, path, headers, body) -> Answer:
        route = urlsplit(path).path
        if route == "/v1/transfers" and method == "POST":
            return self._transfer_create(_params(body))
        match = re.fullmatch(r"/v1/transfers/(tr_\w+)/reversals", route)
        if match and method == "POST":
            return self._reversal_create(match.group(1), _params(body))
        match = re.fullmatch(r"/v1/transfers/(tr_\w+)", route)
        if match and method == "GET":
            transfer = self.transfers.get(match.group(1))
            return Answer.json(200, transfer) if transfer else _error(404, "invalid_request_error", "No such transfer")
        return self._forward(method, path, headers, body)

    def _forward(self, method, path, headers, body) -> Answer:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            conn.request(method, path, body=body or None,
                         headers={k: v for k, v in headers.items() if k.lower() in _PASSED_HEADERS})
            response = conn.getresponse()
            return Answer(response.status, response.read(),
                          {"Content-Type": response.getheader("Content-Type", "application/json")})
        finally:
            conn.close()

    # --- Connect, which the local server lacks ------------------------------------------------------

    def _transfer_create(self, params: dict[str, str]) -> Answer:
        amount = int(params.get("amount") or 0)
        if amount <= 0 or not params.get("destination", "").startswith("acct_") or len(params.get("currency", "")) != 3:
            return _error(400, "invalid_request_error", "A transfer needs a positive amount, a currency and an "
                          "acct_ destination.")
        with self._state:
            transfer_id = f"tr_front{next(self._ids):06d}"
            transfer = {
                "id": transfer_id, "object": "transfer", "amount": amount, "amount_reversed": 0,
                "currency": params["currency"], "destination": params["destination"],
                "transfer_group": params.get("transfer_group"), "source_transaction": params.get("source_transaction"),
                "metadata": {k[9:-1]: v for k, v in params.items() if k.startswith("metadata[")},
                "reversed": False, "livemode": False, "created": int(time.time()),
            }
            self.transfers[transfer_id] = transfer
        return Answer.json(200, transfer)

    def _reversal_create(self, transfer_id: str, params: dict[str, str]) -> Answer:
        with self._state:
            transfer = self.transfers.get(transfer_id)
            if transfer is None:
                return _error(404, "invalid_request_error", f"No such transfer: {transfer_id}")
            left = transfer["amount"] - transfer["amount_reversed"]
            amount = int(params.get("amount") or left)
            if not 0 < amount <= left:
                return _error(400, "invalid_request_error", f"Only {left} of the transfer is left to reverse.")
            transfer["amount_reversed"] += amount
            transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
            reversal = {"id": f"trr_front{next(self._ids):06d}", "object": "transfer_reversal", "amount": amount,
                        "currency": transfer["currency"], "transfer": transfer_id, "metadata": {},
                        "created": int(time.time())}
            self.reversals[reversal["id"]] = reversal
        return Answer.json(200, reversal)
