"""The simulated market's floats become Decimal prices exactly as core.money.price rounds."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from invsim.core.money import price
from invsim.market.providers.simulated_bars import bid_ask, to_price, to_prices


def test_vectorised_rounding_equals_money_price_on_random_prices() -> None:
    rng = np.random.default_rng(0)
    values = np.concatenate([np.exp(rng.uniform(-4, 8, 20_000)), rng.uniform(0.5, 1.5, 5_000)])
    assert to_prices(values) == [price(Decimal(float(v))) for v in values]


def test_vectorised_rounding_equals_money_price_next_to_half_ticks() -> None:
    values = np.array([1.00005, 2.50005, 123.45665, 0.1234565, 0.9999995, 1.0, 0.999999])
    assert to_prices(values) == [price(Decimal(float(v))) for v in values]
    assert [to_price(float(v)) for v in values] == to_prices(values)


def test_prices_keep_four_decimals_or_six_below_a_dollar() -> None:
    assert to_prices(np.array([243.85, 0.5])) == [Decimal("243.8500"), Decimal("0.500000")]
    assert str(to_price(243.85)) == "243.8500"


def test_bid_and_ask_straddle_the_price_on_whole_cents() -> None:
    bid, ask = bid_ask(243.85, spread_bps=1.0)
    assert (bid, ask) == (Decimal("243.8300"), Decimal("243.8700"))
    bid, ask = bid_ask(10.0, spread_bps=1.0)
    assert bid < Decimal("10") < ask and ask - bid == Decimal("0.02")
    bid, ask = bid_ask(0.5, spread_bps=5.0)
    assert bid < Decimal("0.5") < ask
