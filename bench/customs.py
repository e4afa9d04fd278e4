"""Customs throughput: landed-cost quotes per second in-process (pure calculation, one core), and
parcels declared per second by one worker (CEB303 + CEB505 + CEB603 built and schema-validated).
Records results in docs/benchmarks.md.

    .venv/bin/python bench/customs.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_database_url, django_setup, machine_line, recreate_database, write_section  # noqa: E402


def timed(fn, seconds: float) -> tuple[int, float]:
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        fn(count)
        count += 1
    return count, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    url = bench_database_url("livedock_bench_customs")
    recreate_database(url)
    django_setup(url)
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from customs.ceb import build as ceb
    from landed_cost import calculator as lc
    from landed_cost.selectors import rules_in_force

    call_command("migrate", "--noinput", "-v", "0")
    call_command("load_customs_rules", str(Path(settings.BASE_DIR) / "data/customs/rules-2026-11.json"),
                 stdout=open("/dev/null", "w"))  # noqa: SIM115
    on = dt.date(2026, 11, 22)
    rates = {"EUR": Decimal("0.86"), "JPY": Decimal("150"), "USD": Decimal(1), "GBP": Decimal("0.75")}

    def fx(base, quote):
        return lc.FxUsed(base, quote, rates[quote] / rates[base], "bench", False)

    rule_sets = {c: dataclasses.replace(rules_in_force(on=on, territory=lc.territory_of(c), country=c), fx=fx)
                 for c in ("DE", "JP", "GB", "US")}
    boots = lc.QuoteLine(key="BOOT", hs_code="640391", origin="CN", quantity=1, unit_price=Decimal("120.00"),
                         gender="men")
    jersey = lc.QuoteLine(key="JER", hs_code="611030", origin="CN", quantity=2, unit_price=Decimal("35.00"),
                          rcep_origin_country="CN", rcep_criterion="PE")
    countries = list(rule_sets)

    def one_quote(i: int) -> None:
        country = countries[i % len(countries)]
        lines = (boots, jersey) if i % 2 and country != "US" else (boots,)  # no US apparel rule on file
        lc.quote(lc.QuoteInput(country, on, "USD", lines, Decimal("15.00")), rule_sets[country])

    quotes, quote_s = timed(one_quote, args.seconds)

    line = ceb.Line(sku="OUH-CHELSEA-BLA-42", name="Chelsea Boot", name_zh="切尔西靴", gtin="6901234567892",
                    gcode="6403911900", gmodel="0|0|包脚踝|牛皮|橡胶|Ouhai|CH-42", origin="CN", quantity=1,
                    unit_price=Decimal("103.20"), total=Decimal("103.20"), legal_unit1="025", legal_unit2="035",
                    net_weight_kg=Decimal("0.9"))
    now = timezone.now()

    def one_parcel(i: int) -> None:
        parcel = ceb.Parcel(order_no=f"LD-261123-BENCH-{i}", waybill_no=f"LDW{i:012d}", cop_no=f"LD{i:010d}",
                            currency="EUR", destination="DE", seller_code="91330304MA2CQ7HX1K",
                            seller_name="瓯海皮革制品有限公司", freight=Decimal("12.90"),
                            gross_weight_kg=Decimal("1.2"), net_weight_kg=Decimal("0.9"),
                            export_date=now.date(), lines=(line,))
        ceb.build_ceb303(parcel, ceb.new_guid(), now)
        ceb.build_ceb505(parcel, ceb.new_guid(), now)
        ceb.build_ceb603(parcel, ceb.new_guid(), now)

    parcels, parcel_s = timed(one_parcel, args.seconds)
    quote_rate, parcel_rate = quotes / quote_s, parcels / parcel_s
    print(f"landed-cost quotes: {quote_rate:,.0f}/s; parcels declared and validated: {parcel_rate:,.0f}/s")
    if not args.no_write:
        write_section("customs", f"""
## Customs throughput (`bench/customs.py`)

In one process on one core, {args.seconds:.0f} s each, measured {dt.datetime.now(dt.UTC).date().isoformat()} on
{machine_line()}.

| what | result | target |
|---|---|---|
| landed-cost quotes (DE, JP, GB, US alternating; 1-2 lines; rules preloaded) | {quote_rate:,.0f}/s | >= 5,000/s |
| parcels declared (CEB303, CEB505, CEB603 built and schema-validated) | {parcel_rate:,.0f}/s | >= 500/s |

The quote is pure arithmetic on preloaded rules; in a request the rules cost a few queries more. A
declaring worker also writes the three messages and their rows, which the database bounds, not XML.
""")
    return 0


if __name__ == "__main__":
    sys.exit(main())
