"""Building the China export messages (CEB303 order, CEB505 waybill, CEB603 inventory list) for one parcel and
validating them against the schemas. Pure: no database, Redis or Stripe."""

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from customs.ceb import build as ceb

NS = {"ceb": ceb.NS}
NOW = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
BOOTS = ceb.Line(sku="OUH-CHELSEA-BLK-42", name="Leather Chelsea boot", name_zh="皮革切尔西靴", gtin="6901234567892",
                 gcode="6403919000", gmodel="4|3|牛皮|橡胶|男式|Ouhai|无", origin="CN", quantity=2,
                 unit_price=Decimal("49.50"), total=Decimal("99.00"), legal_unit1="025", legal_unit2="035",
                 net_weight_kg=Decimal("1.60"))


def parcel(**changes) -> ceb.Parcel:
    values = {"order_no": "LD-261123-ABCDEF", "waybill_no": "SF1234567890", "cop_no": "LD-261123-ABCDEF-1",
              "currency": "EUR", "destination": "DE", "seller_code": "91330304MA2CQ7HX1X",
              "seller_name": "Wenzhou Ouhai Footwear", "freight": Decimal("12.90"),
              "gross_weight_kg": Decimal("2.40"), "net_weight_kg": Decimal("1.60"),
              "export_date": dt.date(2026, 11, 23), "lines": (BOOTS,)}
    return ceb.Parcel(**{**values, **changes})


def test_the_three_messages_of_a_parcel_validate_and_agree():
    order = etree.fromstring(ceb.build_ceb303(parcel(), ceb.new_guid(), NOW))
    waybill = etree.fromstring(ceb.build_ceb505(parcel(), ceb.new_guid(), NOW))
    inventory = etree.fromstring(ceb.build_ceb603(parcel(), ceb.new_guid(), NOW))
    assert order.findtext(".//ceb:orderNo", namespaces=NS) == "LD-261123-ABCDEF"
    assert waybill.findtext(".//ceb:logisticsNo", namespaces=NS) == "SF1234567890"
    assert inventory.findtext(".//ceb:copNo", namespaces=NS) == "LD-261123-ABCDEF-1"
    assert inventory.findtext(".//ceb:gcode", namespaces=NS) == "6403919000"
    assert [n.text for n in inventory.findall(".//ceb:qty", namespaces=NS)] == ["2"]


def test_a_message_the_schema_refuses_is_an_error_with_its_problems():
    xml = ceb.build_ceb303(parcel(), ceb.new_guid(), NOW).replace(b"LD-261123-ABCDEF", b"")
    with pytest.raises(ceb.DeclarationDataError) as err:
        ceb.validate("CEB303", xml)
    assert err.value.problems and all(problem.startswith("line ") for problem in err.value.problems)


def test_unknown_destination_code_is_an_actionable_error():
    with pytest.raises(ceb.DeclarationDataError) as err:
        ceb.build_ceb603(parcel(destination="AT"), ceb.new_guid(), NOW)
    assert "No CEB country code for 'AT'" in err.value.problems[0]
