"""The payment tests' stand-in for Stripe's servers behind the SDK, where the local Stripe-compatible server
does not go (Connect transfers and reversals, and answers chosen by the test)."""

import json

import pytest
import stripe

from payments import gateway as gw


class RecordingHTTPClient(stripe.HTTPClient):
    """Answers Stripe API calls with canned objects and records every request the SDK sends."""

    name = "recording"

    def __init__(self, responder):
        super().__init__()
        self.responder = responder
        self.calls: list[dict] = []

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        call = {"method": method, "url": url, "headers": dict(headers or {}), "data": post_data or ""}
        self.calls.append(call)
        status, body = self.responder(call)
        return json.dumps(body), status, {}

    def close(self):
        pass


@pytest.fixture
def recording_gateway(monkeypatch, settings):
    """Swap the gateway's HTTP transport (Stripe's side of the wire) for a recorder."""
    state = {"responder": None, "client": None}

    def install(responder):
        client = RecordingHTTPClient(responder)
        stripe_client = stripe.StripeClient("sk_test_rec", http_client=client, max_network_retries=0)
        monkeypatch.setattr(gw, "gateway", lambda: gw.StripeGateway(stripe_client))
        state["client"] = client
        return client

    return install


