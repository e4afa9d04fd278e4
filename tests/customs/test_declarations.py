"""China export declarations for paid parcels: built, schema-validated, sent once, receipts applied."""

import datetime as dt

import pytest
from django.urls import reverse
from lxml import etree

from customs import services as declarations
from customs.ceb import build as ceb
from customs.models import CustomsDeclaration
from customs.tasks import declare_shipment
from orders.models import Shipment
from payments.services import intents as payment_intents
from shop.models import Product
from tests.payments.factories import order_paid_at_stripe
from tests.shop.factories import UserFactory, priced_variant

pytestmark = pytest.mark.django_db
NS = {"ceb": ceb.NS}


@pytest.fixture(autouse=True)
def customs_dirs(settings, tmp_path):
    settings.CUSTOMS_OUTBOX_DIR = tmp_path / "outbox"
    settings.CUSTOMS_INBOX_DIR = tmp_path / "inbox"
    return tmp_path


def paid_order(variants_and_quantities, capture):
    """Paid, with the tasks the payment queues after commit captured rather than run."""
    order, payment = order_paid_at_stripe(variants_and_quantities)
    with capture(execute=False) as callbacks:
        payment_intents.payment_sync(payment_id=payment.pk)
    return order, callbacks


def test_payment_queues_one_declaration_task_per_parcel(rates, django_capture_on_commit_callbacks):
    order, callbacks = paid_order([(priced_variant(stock=5), 1), (priced_variant(stock=5), 1)],
                                  django_capture_on_commit_callbacks)
    assert order.shipments.count() == 2
    assert len(callbacks) == 2


def test_parcel_messages_agree_validate_and_are_sent_once(rates, django_capture_on_commit_callbacks, customs_dirs):
    variant = priced_variant(amount="60.00", stock=5)
    order, _ = paid_order([(variant, 2)], django_capture_on_commit_callbacks)
    shipment = order.shipments.get()
    declare_shipment.run(shipment.pk)
    declare_shipment.run(shipment.pk)  # a redelivered task

    rows = list(CustomsDeclaration.objects.filter(shipment=shipment).order_by("message_type"))
    assert [(d.message_type, d.status, d.generation) for d in rows] == [
        ("CEB303", "sent", 1), ("CEB505", "sent", 1), ("CEB603", "sent", 1)]
    files = sorted(p.name for p in (customs_dirs / "outbox").iterdir())
    assert files == sorted(f"{d.message_type}_{d.guid}.xml" for d in rows)
    shipment.refresh_from_db()
    assert shipment.customs_status == "declared" and shipment.waybill_number.startswith("LDW")

    docs = {d.message_type: etree.fromstring(d.xml.encode()) for d in rows}
    for message_type, doc in docs.items():
        ceb.validate(message_type, etree.tostring(doc))  # what we store is what validates
    order_no = docs["CEB303"].findtext(".//ceb:OrderHead/ceb:orderNo", namespaces=NS)
    assert order_no == f"{order.number}-{shipment.pk}"
    assert docs["CEB603"].findtext(".//ceb:InventoryHead/ceb:orderNo", namespaces=NS) == order_no
    waybill = docs["CEB505"].findtext(".//ceb:LogisticsHead/ceb:logisticsNo", namespaces=NS)
    assert waybill == shipment.waybill_number
    assert docs["CEB603"].findtext(".//ceb:InventoryHead/ceb:logisticsNo", namespaces=NS) == waybill
    goods_value = docs["CEB303"].findtext(".//ceb:goodsValue", namespaces=NS)
    total = docs["CEB603"].findtext(".//ceb:InventoryList/ceb:totalPrice", namespaces=NS)
    assert goods_value == "103.20" and total == "103.200"  # 2 x 60 USD x 0.86, in EUR (currency 300)
    line = docs["CEB603"].find(".//ceb:InventoryList", namespaces=NS)
    assert [line.findtext(f"ceb:{f}", namespaces=NS) for f in ("gcode", "unit1", "qty1", "unit2", "country")] == [
        "6403911900", "025", "2", "035", "142"]
    assert docs["CEB603"].findtext(".//ceb:InventoryHead/ceb:country", namespaces=NS) == "304"  # Germany
    h7 = rows[2].destination_data
    assert h7["data_set"] == "H7" and h7["ioss_number"] and h7["items"][0]["hs_code"] == "640391"


def test_missing_declaration_elements_stop_the_parcel_with_an_actionable_error(
        rates, django_capture_on_commit_callbacks, customs_dirs):
    variant = priced_variant(stock=5, product__declaration_elements="")
    order, _ = paid_order([(variant, 1)], django_capture_on_commit_callbacks)
    shipment = order.shipments.get()
    declare_shipment.run(shipment.pk)
    inventory = CustomsDeclaration.objects.get(shipment=shipment, message_type="CEB603")
    assert inventory.status == "invalid"
    assert f"{variant.sku}: declaration elements (gmodel) are empty" in inventory.validation_error
    assert not (customs_dirs / "outbox").exists() or not list((customs_dirs / "outbox").iterdir())
    assert Shipment.objects.get(pk=shipment.pk).customs_status == "rejected"

    Product.objects.filter(pk=variant.product_id).update(declaration_elements="0|0|包脚踝|牛皮|橡胶|品牌|款号")
    declarations.declaration_resubmit(declaration_id=inventory.pk)
    second = CustomsDeclaration.objects.filter(shipment=shipment, generation=2)
    assert sorted(second.values_list("status", flat=True)) == ["sent", "sent", "sent"]
    assert not set(second.values_list("guid", flat=True)) & set(
        CustomsDeclaration.objects.filter(shipment=shipment, generation=1).values_list("guid", flat=True))


def _receipt(guid: str, status: int, info: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><ceb:CEB604Message xmlns:ceb="{ceb.NS}" guid="{guid}" '
            f'version="1.0"><ceb:InventoryReturn><ceb:guid>{guid}</ceb:guid><ceb:returnStatus>{status}'
            f'</ceb:returnStatus><ceb:returnTime>20261123101500123</ceb:returnTime><ceb:returnInfo>{info}'
            f'</ceb:returnInfo></ceb:InventoryReturn></ceb:CEB604Message>').encode()


def test_receipts_release_or_reject_the_parcel(rates, django_capture_on_commit_callbacks, customs_dirs):
    order, _ = paid_order([(priced_variant(stock=5), 1), (priced_variant(stock=5), 1)],
                          django_capture_on_commit_callbacks)
    first, second = order.shipments.order_by("id")
    for shipment in (first, second):
        declare_shipment.run(shipment.pk)
    list_1 = CustomsDeclaration.objects.get(shipment=first, message_type="CEB603")
    list_2 = CustomsDeclaration.objects.get(shipment=second, message_type="CEB603")
    inbox = customs_dirs / "inbox"
    inbox.mkdir()
    (inbox / "r1.xml").write_bytes(_receipt(list_1.guid, 800, "放行"))
    (inbox / "r2.xml").write_bytes(_receipt(list_2.guid, 100, "商品编码不符"))
    (inbox / "r3.xml").write_bytes(_receipt(list_1.guid, 800, "放行"))  # the same receipt twice
    assert declarations.receipts_collect() == 2
    assert Shipment.objects.get(pk=first.pk).customs_status == "released"
    assert Shipment.objects.get(pk=second.pk).customs_status == "rejected"
    assert list(list_1.receipts.values_list("return_status", flat=True)) == [800]
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == ["r1.xml", "r2.xml", "r3.xml"]

    # The monthly roll-up lists what was released, once.
    CustomsDeclaration.objects.filter(pk=list_1.pk).update(sent_at=dt.datetime(2026, 10, 15, tzinfo=dt.UTC))
    summary = declarations.summary_declare(period="2026-10")
    assert summary is not None and summary.status == "sent"
    doc = etree.fromstring(summary.xml.encode())
    assert [n.text for n in doc.findall(".//ceb:SummaryApplyList/ceb:invtNo", namespaces=NS)] == [list_1.business_no]
    assert declarations.summary_declare(period="2026-10") is None


def test_operator_sees_the_xml_and_downloads_it(client, rates, django_capture_on_commit_callbacks):
    order, _ = paid_order([(priced_variant(stock=5), 1)], django_capture_on_commit_callbacks)
    declare_shipment.run(order.shipments.get().pk)
    declaration = CustomsDeclaration.objects.get(message_type="CEB603")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:customs_customsdeclaration_change", args=[declaration.pk]))
    assert page.status_code == 200 and b"InventoryHead" in page.content
    download = client.get(reverse("admin:customs_customsdeclaration_xml", args=[declaration.pk]))
    assert download["Content-Type"] == "application/xml" and download.content == declaration.xml.encode()
