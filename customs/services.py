"""Customs declarations for paid parcels: China export (9610) messages, the destination's low-value
data set, transmission, receipts and the monthly summary."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from config.errors import Conflict
from config.task_queue import enqueue_on_commit
from customs.ceb import build as ceb
from customs.ceb.transport import TransientTransportError, transport
from customs.models import CustomsDeclaration, DeclarationReceipt
from landed_cost.calculator import territory_of
from orders.models import ORDER_SHIPPABLE, Order, OrderLine, Shipment

log = logging.getLogger(__name__)
Type, Status = CustomsDeclaration.Type, CustomsDeclaration.Status
SHIPMENT_MESSAGES = (Type.ORDER, Type.WAYBILL, Type.INVENTORY)


def _parcel(shipment: Shipment) -> ceb.Parcel:
    order = shipment.order
    lines = list(OrderLine.objects.filter(shipment=shipment).order_by("id"))
    maker = shipment.manufacturer
    freight = order.shipping_total / max(order.shipments.count(), 1)
    return ceb.Parcel(
        order_no=f"{order.number}-{shipment.pk}", waybill_no=shipment.waybill_number, cop_no=f"LD{shipment.pk:010d}",
        currency=order.currency, destination=order.destination_country, seller_code=maker.customs_code,
        seller_name=maker.name_zh or maker.name, freight=freight,
        gross_weight_kg=sum((line.gross_weight_kg * line.quantity for line in lines), Decimal(0)),
        net_weight_kg=sum((line.net_weight_kg * line.quantity for line in lines), Decimal(0)),
        export_date=timezone.now().date(),
        lines=tuple(ceb.Line(
            sku=line.sku, name=line.product_name, name_zh=line.product_name_zh, gtin=line.gtin,
            gcode=line.cn_commodity_code, gmodel=line.declaration_elements, origin=line.origin_country,
            quantity=line.quantity, unit_price=line.unit_price, total=line.line_total, legal_unit1=line.legal_unit1,
            legal_unit2=line.legal_unit2, net_weight_kg=line.net_weight_kg) for line in lines),
    )


def _destination_data(shipment: Shipment, parcel: ceb.Parcel) -> dict:
    """The low-value import data set of the destination (EU H7-style; UK, JP, AU equivalents)."""
    order = shipment.order
    address = order.shipping_address
    regime = order.landed_cost.get("regime", "")
    data = {
        "regime": regime, "transport_document": parcel.waybill_no, "consignor": parcel.seller_name,
        "consignee": {k: address.get(k, "") for k in ("full_name", "line1", "city", "postal_code", "country")},
        "intrinsic_value": {"amount": str(sum((line.total for line in parcel.lines), Decimal(0))),
                            "currency": order.currency},
        "gross_weight_kg": str(parcel.gross_weight_kg),
        "items": [{"description": line.name, "hs_code": line.gcode[:6], "quantity": line.quantity,
                   "value": str(line.total), "origin": line.origin} for line in parcel.lines],
    }
    territory = territory_of(order.destination_country)
    if territory == "EU":
        data["data_set"] = "H7"
        if regime.startswith("EU_IOSS"):
            data["ioss_number"] = settings.LIVEDOCK_IOSS_NUMBER
    elif territory == "GB":
        data["data_set"] = "UK low-value" if regime == "UK_LOW_VALUE" else "UK import"
        data["seller_vat_number"] = settings.LIVEDOCK_UK_VAT_NUMBER
    else:
        data["data_set"] = f"{territory} import"
    return data


_BUILDERS = {Type.ORDER: ceb.build_ceb303, Type.WAYBILL: ceb.build_ceb505, Type.INVENTORY: ceb.build_ceb603}


def shipment_declare(*, shipment_id: int, new_generation: bool = False) -> list[CustomsDeclaration]:
    """Build, validate and send the parcel's export messages. Idempotent: each message is created
    once per generation with a fixed guid, and a sent message is never sent again. `new_generation`
    (a resubmission after correction) builds a fresh set with new guids."""
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().select_related("order", "manufacturer").get(pk=shipment_id)
        if not shipment.waybill_number:
            shipment.waybill_number = f"LDW{shipment.pk:012d}"  # we act for the carrier (CEB505)
            shipment.save(update_fields=["waybill_number"])
        latest = (CustomsDeclaration.objects.filter(shipment=shipment).order_by("-generation")
                  .values_list("generation", flat=True).first())
        generation = (latest or 0) + 1 if new_generation else (latest or 1)
        parcel = _parcel(shipment)
        now = timezone.now()
        declarations = []
        for message_type in SHIPMENT_MESSAGES:
            declaration, created = CustomsDeclaration.objects.get_or_create(
                shipment=shipment, message_type=message_type, generation=generation,
                defaults={"guid": ceb.new_guid(), "business_no": parcel.waybill_no if message_type == Type.WAYBILL
                          else parcel.order_no})
            if created:
                try:
                    declaration.xml = _BUILDERS[message_type](parcel, declaration.guid, now).decode()
                    declaration.status = Status.READY
                except ceb.DeclarationDataError as exc:
                    declaration.status, declaration.validation_error = Status.INVALID, "\n".join(exc.problems)
                if message_type == Type.INVENTORY:
                    declaration.destination_data = _destination_data(shipment, parcel)
                declaration.save()
            declarations.append(declaration)
        invalid = [d for d in declarations if d.status == Status.INVALID]
        Shipment.objects.filter(pk=shipment.pk).update(customs_status="rejected" if invalid else "declared")
    if invalid:
        log.warning("Declarations for parcel %s are invalid: %s", shipment_id, invalid[0].validation_error)
        return declarations
    for declaration in declarations:  # the order, then the waybill, then the list
        _send(declaration)
    return declarations


def _send(declaration: CustomsDeclaration) -> None:
    if declaration.status != Status.READY or declaration.sent_at:
        return
    ref = transport().send(guid=declaration.guid, message_type=declaration.message_type, xml=declaration.xml.encode())
    CustomsDeclaration.objects.filter(pk=declaration.pk, sent_at__isnull=True).update(
        status=Status.SENT, sent_at=timezone.now(), transport_ref=ref)


def declaration_resubmit(*, declaration_id: int) -> list[CustomsDeclaration]:
    """After the data was corrected (product codes, declaration elements...): a new generation of
    the parcel's messages with new guids, built from the order as it is now."""
    declaration = CustomsDeclaration.objects.get(pk=declaration_id)
    if declaration.status not in (Status.INVALID, Status.REJECTED) or declaration.shipment_id is None:
        raise Conflict("Only an invalid or rejected parcel declaration can be resubmitted.")
    # The corrected customs data lives on the product: carry it onto the parcel's lines (never prices).
    for line in OrderLine.objects.filter(shipment_id=declaration.shipment_id).select_related("variant__product"):
        product = line.variant.product
        OrderLine.objects.filter(pk=line.pk).update(
            hs_code=product.hs_code, cn_commodity_code=product.cn_commodity_code,
            declaration_elements=product.declaration_elements, legal_unit1=product.legal_unit1,
            legal_unit2=product.legal_unit2, origin_country=product.country_of_origin,
            product_name_zh=product.name_zh)
    try:
        return shipment_declare(shipment_id=declaration.shipment_id, new_generation=True)
    except IntegrityError as exc:
        raise Conflict("A resubmission is already under way.") from exc


def receipt_apply(*, xml: bytes) -> int:
    """Record customs receipts: 800 releases the parcel; 100 or a negative status stops it for
    correction and resubmission; anything else is progress. Repeated receipts are ignored."""
    applied = 0
    for fields in ceb.parse_receipt(xml):
        declaration = CustomsDeclaration.objects.filter(guid=fields["guid"]).first()
        if declaration is None:
            log.warning("Receipt for unknown declaration %s", fields["guid"])
            continue
        try:
            status = int(fields["returnStatus"])
        except ValueError:
            continue
        with transaction.atomic():
            _, created = DeclarationReceipt.objects.get_or_create(
                declaration=declaration, return_status=status, return_time=fields.get("returnTime", "")[:17],
                defaults={"return_info": fields.get("returnInfo", "")})
            if not created:
                continue
            applied += 1
            if status == 800:
                new = Status.RELEASED
            elif status == 100 or status < 0:
                new = Status.REJECTED
            else:
                new = Status.ACCEPTED
            if declaration.status != Status.RELEASED:
                CustomsDeclaration.objects.filter(pk=declaration.pk).update(status=new)
            if declaration.message_type == Type.INVENTORY and declaration.shipment_id:
                shipment_state = {Status.RELEASED: "released", Status.REJECTED: "rejected"}.get(new)
                if shipment_state:
                    Shipment.objects.filter(pk=declaration.shipment_id).update(customs_status=shipment_state)
    return applied


def receipts_collect(*, inbox: Path | None = None) -> int:
    """Beat: read receipt files the gateway or agent dropped in the inbox; move each to processed/."""
    inbox = Path(inbox or settings.CUSTOMS_INBOX_DIR)
    if not inbox.exists():
        return 0
    processed = inbox / "processed"
    processed.mkdir(exist_ok=True)
    applied = 0
    for path in sorted(inbox.glob("*.xml")):
        try:
            applied += receipt_apply(xml=path.read_bytes())
        except ceb.DeclarationDataError as exc:
            log.error("Unreadable receipt %s: %s", path.name, exc)
        path.replace(processed / path.name)
    return applied


def summary_declare(*, period: str | None = None) -> CustomsDeclaration | None:
    """Beat, monthly: one CEB701-style roll-up of the inventory lists released in the period (YYYY-MM,
    default last month) per summary; idempotent per period."""
    today = timezone.now().date()
    if period is None:
        first_this_month = today.replace(day=1)
        period = (first_this_month - dt.timedelta(days=1)).strftime("%Y-%m")
    year, month = (int(part) for part in period.split("-"))
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    released = CustomsDeclaration.objects.filter(message_type=Type.INVENTORY, status=Status.RELEASED,
                                                 sent_at__date__gte=start, sent_at__date__lte=end)
    numbers = [d.business_no for d in released.order_by("sent_at")]
    if not numbers or CustomsDeclaration.objects.filter(message_type=Type.SUMMARY, period=period).exists():
        return None
    guid = ceb.new_guid()
    xml = ceb.build_ceb701(cop_no=f"LDSUM{period.replace('-', '')}", inventory_numbers=numbers, start=start,
                           end=end, seller_code=settings.CUSTOMS_PLATFORM_CODE,
                           seller_name=settings.CUSTOMS_PLATFORM_NAME, guid=guid, now=timezone.now())
    try:
        with transaction.atomic():
            summary = CustomsDeclaration.objects.create(message_type=Type.SUMMARY, guid=guid, period=period,
                                                        business_no=f"LDSUM{period}", xml=xml.decode())
    except IntegrityError:
        return None
    _send(summary)
    summary.refresh_from_db()
    return summary


_TO_SHIP = ORDER_SHIPPABLE


def shipments_declare_pending(*, older_than_minutes: int | None = None) -> int:
    """Beat: parcels of orders paid a while ago whose messages were never built or never all sent (the
    task could not be queued after the payment committed, or was lost) are declared now. Idempotent, like
    the task: existing messages keep their guids and a sent message is not sent again."""
    minutes = older_than_minutes if older_than_minutes is not None else settings.LIVEDOCK_RECONCILE_AFTER_MINUTES
    cutoff = timezone.now() - dt.timedelta(minutes=minutes)
    pending = (
        Shipment.objects.filter(order__status__in=_TO_SHIP, order__payment__updated_at__lte=cutoff)
        .exclude(status=Shipment.Status.CANCELLED)
        .filter(Q(customs_status="not_declared")
                | Q(declarations__status=Status.READY, declarations__sent_at__isnull=True))
        .distinct().order_by("pk").values_list("pk", flat=True)
    )
    declared = 0
    for shipment_id in list(pending):
        try:
            shipment_declare(shipment_id=shipment_id)
            declared += 1
        except (TransientTransportError, OSError) as exc:
            log.warning("Declaring parcel %s failed, the next run retries: %s", shipment_id, exc)
    return declared


def order_declare_after_payment(order: Order) -> None:
    """Queue one declaration task per parcel once the payment is committed."""

    # robust: the payment is committed whatever happens next; if the broker cannot take a task, the beat
    # customs.declare_pending declares the parcel later.
    for shipment_id in Shipment.objects.filter(order=order).values_list("pk", flat=True):
        enqueue_on_commit("customs.declare_shipment", shipment_id)
