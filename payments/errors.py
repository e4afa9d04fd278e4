"""Errors of payments, refunds and payouts."""

from config.errors import ApplicationError, Conflict, InvalidInput


class TransientGatewayError(Exception):
    """Stripe could not be reached or answered 429/5xx: the task retries with backoff."""



class PaymentGatewayError(ApplicationError):
    code = "payment_gateway_error"
    status_code = 502
    default_message = "The payment provider refused the request."



class ProviderObjectMissing(PaymentGatewayError):
    """The provider answered 404: it does not know the object (a test-mode store emptied, a wrong account)."""

    code = "payment_provider_object_missing"
    default_message = "The payment provider does not know this payment."


class WebhookInvalid(InvalidInput):
    code = "webhook_invalid"
    default_message = "The webhook signature or payload is invalid."



class RefundNotPossible(Conflict):
    code = "refund_not_possible"
    default_message = "This refund cannot be made."

