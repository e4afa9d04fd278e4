"""China 9610 export messages (CEB303 order, CEB505 waybill, CEB603 inventory list, CEB701 summary)
in the `http://www.chinaport.gov.cn/ceb` namespace, validated against the schemas beside this file
before anything is sent.

Code tables: CEB messages use the legacy numeric customs codes (customs spec §1.9, [S]/[X]); a
country or currency not in the table stops the declaration with an actionable error.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

NS = "http://www.chinaport.gov.cn/ceb"
CEB = f"{{{NS}}}"

# Customs spec §1.9 (implementation enums; verify against the official parameter tables).
COUNTRY_CODES = {"CN": "142", "JP": "116", "US": "502", "DE": "304", "GB": "303", "FR": "305", "IT": "307",
                 "ES": "312", "NL": "309", "AU": "601", "CA": "501", "KR": "133", "SG": "132", "MY": "122",
                 "VN": "141"}
CURRENCY_CODES = {"CNY": "142", "USD": "502", "EUR": "300", "GBP": "303", "JPY": "116", "AUD": "601",
                  "CAD": "501", "SGD": "132"}


class DeclarationDataError(Exception):
    """The data cannot make a valid message; `problems` says what to fix."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@cache
def _schema(message_type: str) -> etree.XMLSchema:
    path = Path(__file__).with_name(f"{message_type.lower()}.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def validate(message_type: str, xml: bytes) -> None:
    schema = _schema(message_type)
    document = etree.fromstring(xml)
    if not schema.validate(document):
        problems = [f"line {e.line}: {e.message}" for e in schema.error_log]
        raise DeclarationDataError(problems)


def new_guid() -> str:
    return str(uuid.uuid4()).upper()


def _el(parent, name: str, value) -> None:
    child = etree.SubElement(parent, CEB + name)
    child.text = "" if value is None else str(value)


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _code(table: dict[str, str], key: str, what: str, problems: list[str]) -> str:
    code = table.get(key)
    if code is None:
        problems.append(f"No CEB {what} code for {key!r}: add it to customs/ceb/build.py once verified.")
        return "000"
    return code


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    name_zh: str
    gtin: str
    gcode: str
    gmodel: str
    origin: str
    quantity: int
    unit_price: Decimal
    total: Decimal
    legal_unit1: str
    legal_unit2: str
    net_weight_kg: Decimal


@dataclass(frozen=True)
class Parcel:
    order_no: str
    waybill_no: str
    cop_no: str
    currency: str
    destination: str
    seller_code: str
    seller_name: str
    freight: Decimal
    gross_weight_kg: Decimal
    net_weight_kg: Decimal
    export_date: dt.date
    lines: tuple[Line, ...]


def _envelope(message: str, guid: str) -> etree._Element:
    root = etree.Element(CEB + message, nsmap={"ceb": NS})
    root.set("guid", guid)
    root.set("version", "1.0")
    return root


def _head(parent, guid: str, now: dt.datetime) -> None:
    _el(parent, "guid", guid)
    _el(parent, "appType", "1")  # new declaration
    _el(parent, "appTime", now.strftime("%Y%m%d%H%M%S"))
    _el(parent, "appStatus", "2")  # declare (not just save)


def _base_transfer(root) -> None:
    transfer = etree.SubElement(root, CEB + "BaseTransfer")
    _el(transfer, "copCode", settings.CUSTOMS_PLATFORM_CODE)
    _el(transfer, "copName", settings.CUSTOMS_PLATFORM_NAME)
    _el(transfer, "dxpMode", "DXP")
    _el(transfer, "dxpId", settings.CUSTOMS_DXP_ID)


def _finish(message_type: str, root) -> bytes:
    _base_transfer(root)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(message_type, xml)
    return xml


def build_ceb303(parcel: Parcel, guid: str, now: dt.datetime) -> bytes:
    problems: list[str] = []
    currency = _code(CURRENCY_CODES, parcel.currency, "currency", problems)
    root = _envelope("CEB303Message", guid)
    order = etree.SubElement(root, CEB + "Order")
    head = etree.SubElement(order, CEB + "OrderHead")
    _head(head, guid, now)
    for name, value in (("orderType", "E"), ("orderNo", parcel.order_no), ("ebpCode", settings.CUSTOMS_PLATFORM_CODE),
                        ("ebpName", settings.CUSTOMS_PLATFORM_NAME), ("ebcCode", parcel.seller_code),
                        ("ebcName", parcel.seller_name),
                        ("goodsValue", _money(sum((line.total for line in parcel.lines), Decimal(0)))),
                        ("freight", _money(parcel.freight)), ("currency", currency)):
        _el(head, name, value)
    for gnum, line in enumerate(parcel.lines, start=1):
        row = etree.SubElement(order, CEB + "OrderList")
        for name, value in (("gnum", gnum), ("itemNo", line.sku[:30]), ("itemName", line.name_zh or line.name),
                            ("itemDescribe", line.name), ("barCode", line.gtin or "无"), ("unit", line.legal_unit1),
                            ("currency", currency), ("qty", line.quantity), ("price", line.unit_price),
                            ("totalPrice", line.total)):
            _el(row, name, value)
    if problems:
        raise DeclarationDataError(problems)
    return _finish("CEB303", root)


def build_ceb505(parcel: Parcel, guid: str, now: dt.datetime) -> bytes:
    problems: list[str] = []
    currency = _code(CURRENCY_CODES, parcel.currency, "currency", problems)
    root = _envelope("CEB505Message", guid)
    logistics = etree.SubElement(root, CEB + "Logistics")
    head = etree.SubElement(logistics, CEB + "LogisticsHead")
    _head(head, guid, now)
    goods = "; ".join(f"{line.name} x{line.quantity}" for line in parcel.lines)[:250]
    for name, value in (("logisticsCode", settings.CUSTOMS_LOGISTICS_CODE),
                        ("logisticsName", settings.CUSTOMS_LOGISTICS_NAME), ("logisticsNo", parcel.waybill_no),
                        ("freight", _money(parcel.freight)), ("insuredFee", "0.00"), ("currency", currency),
                        ("grossWeight", parcel.gross_weight_kg), ("packNo", 1), ("goodsInfo", goods),
                        ("ebcCode", parcel.seller_code), ("ebcName", parcel.seller_name)):
        _el(head, name, value)
    if problems:
        raise DeclarationDataError(problems)
    return _finish("CEB505", root)


def build_ceb603(parcel: Parcel, guid: str, now: dt.datetime) -> bytes:
    problems: list[str] = []
    currency = _code(CURRENCY_CODES, parcel.currency, "currency", problems)
    destination = _code(COUNTRY_CODES, parcel.destination, "country", problems)
    root = _envelope("CEB603Message", guid)
    inventory = etree.SubElement(root, CEB + "Inventory")
    head = etree.SubElement(inventory, CEB + "InventoryHead")
    _head(head, guid, now)
    for name, value in (
        ("customsCode", settings.CUSTOMS_OFFICE_CODE), ("ebpCode", settings.CUSTOMS_PLATFORM_CODE),
        ("ebpName", settings.CUSTOMS_PLATFORM_NAME), ("orderNo", parcel.order_no),
        ("logisticsCode", settings.CUSTOMS_LOGISTICS_CODE), ("logisticsName", settings.CUSTOMS_LOGISTICS_NAME),
        ("logisticsNo", parcel.waybill_no), ("copNo", parcel.cop_no), ("ieFlag", "E"),
        ("portCode", settings.CUSTOMS_PORT_CODE), ("ieDate", parcel.export_date.strftime("%Y%m%d")),
        ("statisticsFlag", "B"), ("agentCode", settings.CUSTOMS_AGENT_CODE),
        ("agentName", settings.CUSTOMS_AGENT_NAME), ("ebcCode", parcel.seller_code), ("ebcName", parcel.seller_name),
        ("ownerCode", parcel.seller_code), ("ownerName", parcel.seller_name), ("tradeMode", "9610"),
        ("trafMode", "5"),  # air
        ("country", destination), ("freight", _money(parcel.freight)), ("fCurrency", currency), ("fFlag", "3"),
        ("insuredFee", "0.00"), ("iCurrency", currency), ("iFlag", "3"), ("packNo", 1),
        ("grossWeight", parcel.gross_weight_kg), ("netWeight", parcel.net_weight_kg),
    ):
        _el(head, name, value)
    for gnum, line in enumerate(parcel.lines, start=1):
        if not line.gmodel:
            problems.append(f"{line.sku}: declaration elements (gmodel) are empty; fill them in on the product.")
        origin = _code(COUNTRY_CODES, line.origin, "country", problems)
        row = etree.SubElement(inventory, CEB + "InventoryList")
        values = [("gnum", gnum), ("itemNo", line.sku[:30]), ("itemName", line.name_zh or line.name),
                  ("gcode", line.gcode), ("gname", line.name_zh or line.name), ("gmodel", line.gmodel or "-"),
                  ("barCode", line.gtin or "无"), ("country", origin), ("currency", currency),
                  ("qty", line.quantity), ("qty1", line.quantity), ("unit1", line.legal_unit1)]
        if line.legal_unit2:
            values += [("qty2", line.net_weight_kg * line.quantity), ("unit2", line.legal_unit2)]
        values += [("unit", line.legal_unit1), ("price", line.unit_price), ("totalPrice", line.total)]
        for name, value in values:
            _el(row, name, value)
    if problems:
        raise DeclarationDataError(problems)
    return _finish("CEB603", root)


def build_ceb701(*, cop_no: str, inventory_numbers: list[str], start: dt.date, end: dt.date, seller_code: str,
                 seller_name: str, guid: str, now: dt.datetime) -> bytes:
    root = _envelope("CEB701Message", guid)
    apply = etree.SubElement(root, CEB + "SummaryApply")
    head = etree.SubElement(apply, CEB + "SummaryApplyHead")
    _head(head, guid, now)
    for name, value in (("customsCode", settings.CUSTOMS_OFFICE_CODE), ("copNo", cop_no),
                        ("agentCode", settings.CUSTOMS_AGENT_CODE), ("agentName", settings.CUSTOMS_AGENT_NAME),
                        ("ebcCode", seller_code), ("ebcName", seller_name),
                        ("declAgentCode", settings.CUSTOMS_AGENT_CODE), ("declAgentName", settings.CUSTOMS_AGENT_NAME),
                        ("startTime", start.strftime("%Y%m%d")), ("endTime", end.strftime("%Y%m%d")),
                        ("msgCount", 1), ("msgSeqNo", 1)):
        _el(head, name, value)
    for number in inventory_numbers:
        row = etree.SubElement(apply, CEB + "SummaryApplyList")
        _el(row, "invtNo", number)
    return _finish("CEB701", root)


def parse_receipt(xml: bytes) -> list[dict]:
    """Receipts (CEB304/CEB506/CEB604/CEB702 style): guid, returnStatus, returnTime, returnInfo,
    and the list number customs assigned (invtNo) where given."""
    try:
        document = etree.fromstring(xml)
    except etree.XMLSyntaxError as exc:
        raise DeclarationDataError([f"Receipt is not XML: {exc}"]) from exc
    receipts = []
    for node in document.iter():
        if not isinstance(node.tag, str) or not node.tag.endswith("Return"):
            continue
        fields = {etree.QName(child).localname: (child.text or "").strip() for child in node}
        if "returnStatus" in fields and "guid" in fields:
            receipts.append(fields)
    if not receipts:
        raise DeclarationDataError(["No receipt with guid and returnStatus found."])
    return receipts
