"""Size conversions and width classes against the customs spec's reference table (§7.2, §7.3)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop import sizing

# Customs spec §7.2, men's reference table (kusumin.com): foot length cm -> US men, UK, EU.
REFERENCE = [(245, "6.5", "6", "39"), (250, "7", "6.5", "40"), (255, "7.5", "7", "41"), (260, "8", "7.5", "42"),
             (265, "8.5", "8", "43"), (270, "9", "8.5", "44"), (275, "9.5", "9", "45"), (280, "10", "9.5", "46"),
             (285, "10.5", "10", "47")]


@pytest.mark.parametrize(("mm", "us", "uk", "eu"), REFERENCE)
def test_reference_table(mm, us, uk, eu):
    assert (sizing.size_label(mm, "US_M"), sizing.size_label(mm, "UK"), sizing.size_label(mm, "EU")) == (us, uk, eu)
    assert sizing.size_label(mm, "JP") == str(mm / 10).rstrip("0").rstrip(".")
    assert sizing.size_label(mm, "CN") == str(mm)
    for system, label in (("US_M", us), ("UK", uk), ("EU", eu)):
        assert sizing.length_from_label(label, system) == mm


def test_nominal_length_rounds_up_to_five_millimetres():
    assert [sizing.nominal_length_mm(x) for x in (250, 251, 254, 255)] == [250, 255, 255, 255]


def test_width_classes_from_the_jis_data_points():
    assert sizing.width_class(250, 243, "men") == "E"  # men's 25.0 cm E = 243 mm
    assert sizing.width_class(260, 261, "men") == "3E"  # TBS: men's 26.0 cm 3E = 261
    assert sizing.width_class(235, 207, "women") == "A"  # women's 23.5 cm A 207 ... 4E 249
    assert sizing.width_class(235, 249, "women") == "4E"
    assert sizing.class_distance("E", "3E") == 2


def test_unknown_system_is_refused():
    with pytest.raises(sizing.UnknownSizeSystem):
        sizing.size_label(260, "XX")


@given(a=st.integers(min_value=150, max_value=330), b=st.integers(min_value=150, max_value=330),
       system=st.sampled_from(["EU", "UK", "US_M", "US_W", "JP", "CN"]))
def test_longer_feet_never_get_a_smaller_size(a, b, system):
    short, long_ = sorted((sizing.nominal_length_mm(a), sizing.nominal_length_mm(b)))
    assert float(sizing.size_label(long_, system)) >= float(sizing.size_label(short, system))


counts = st.integers(min_value=0, max_value=30)


@settings(max_examples=1000)
@given(small=counts, right=counts, large=counts, extra=st.integers(min_value=1, max_value=50),
       minimum=st.integers(min_value=1, max_value=20))
def test_more_too_small_reports_never_recommend_a_smaller_size(small, right, large, extra, minimum):
    before = sizing.learned_offset_mm(too_small=small, right=right, too_large=large, minimum_reports=minimum)
    after = sizing.learned_offset_mm(too_small=small + extra, right=right, too_large=large, minimum_reports=minimum)
    assert after >= before
    assert -10 <= after <= 10 and after % 5 == 0


def test_no_offset_before_enough_reports():
    assert sizing.learned_offset_mm(too_small=4, right=0, too_large=0, minimum_reports=5) == 0
    assert sizing.learned_offset_mm(too_small=5, right=0, too_large=0, minimum_reports=5) == 10
    # One more "too small" must not switch on a "too large" majority that had too few reports.
    assert sizing.learned_offset_mm(too_small=0, right=0, too_large=4, minimum_reports=5) == 0
    assert sizing.learned_offset_mm(too_small=1, right=0, too_large=4, minimum_reports=5) == 0
