from decimal import Decimal

import pytest

from invsim.core import money as m


def test_money_rounds_half_even_to_the_cent():
    assert m.money(Decimal("1.005")) == Decimal("1.00")
    assert m.money(Decimal("1.015")) == Decimal("1.02")


def test_price_keeps_four_decimals_above_a_dollar_and_six_below():
    assert m.price(Decimal("12.345678")) == Decimal("12.3457")
    assert m.price(Decimal("0.12345678")) == Decimal("0.123457")


@pytest.mark.parametrize("raw", ["NaN", "inf", "-Infinity", "1e5", "1E-3", "", " ", "abc", "1_000",
                                 1.5, True, None, [], Decimal("1E+15")])
def test_parse_decimal_refuses_ambiguous_input(raw):
    with pytest.raises(m.InvalidAmount):
        m.parse_decimal(raw, max_places=6)


def test_parse_decimal_refuses_too_many_places_and_too_large():
    with pytest.raises(m.InvalidAmount):
        m.parse_decimal("0.1234567", max_places=6)
    with pytest.raises(m.InvalidAmount):
        m.parse_decimal("1000000001", max_places=6, maximum=m.MAX_QUANTITY)


def test_parse_decimal_accepts_plain_strings_ints_and_decimals():
    assert m.parse_decimal("12.50", max_places=2) == Decimal("12.5")
    assert m.parse_decimal(7, max_places=2) == Decimal(7)
    assert m.parse_decimal(Decimal("0.000001"), max_places=6) == Decimal("0.000001")


@pytest.mark.parametrize("value,scale", [("0.1", 2), ("123456789.123456", 6), ("0.000001", 6),
                                         ("-42.42", 2)])
def test_scaled_int_round_trip_is_exact(value, scale):
    number = Decimal(value)
    assert m.from_scaled_int(m.to_scaled_int(number, scale), scale) == number


def test_scaled_int_refuses_values_finer_than_the_scale():
    with pytest.raises(m.InvalidAmount):
        m.to_scaled_int(Decimal("0.001"), 2)


def test_format_money_always_has_two_decimals_and_no_exponent():
    assert m.format_money(Decimal("1E+3")) == "1000.00"
    assert m.format_decimal(Decimal("1.500000")) == "1.5"
    assert m.format_decimal(Decimal("1E+3")) == "1000"
