from .audit import AuditEvent
from .customs import (
    CustomsDeclaration,
    CustomsFxRate,
    DeclarationReceipt,
    DutyRule,
    ImportRegime,
    ShippingRate,
    TaxRate,
)
from .orders import (
    ORDER_TRANSITIONS,
    Address,
    BuyerProfile,
    Cart,
    CartLine,
    FitReport,
    FootProfile,
    IdempotencyRecord,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    Shipment,
)
from .payments import LedgerEntry, Payment, Payout, Refund, RefundLine, WebhookEvent

__all__ = [
    "AuditEvent",
    "CustomsDeclaration", "CustomsFxRate", "DeclarationReceipt", "DutyRule", "ImportRegime", "ShippingRate", "TaxRate",
    "ORDER_TRANSITIONS", "Address", "BuyerProfile", "Cart", "CartLine", "FitReport", "FootProfile", "IdempotencyRecord",
    "LedgerEntry", "Order",
    "OrderEvent", "OrderLine", "OrderStatus", "Payment", "Payout", "Refund", "RefundLine", "Shipment", "WebhookEvent",
]
