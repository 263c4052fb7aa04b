"""examples/sma_bot.py trades against a running invsim with the unchanged SDKs."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from alpaca.data.historical import StockHistoricalDataClient
from alpaca.trading.client import TradingClient

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "sma_bot.py"


def load_example():
    spec = importlib.util.spec_from_file_location("sma_bot", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_bot_reaches_the_crossovers_position(bot):
    sma_bot = load_example()
    trading = TradingClient(bot.key_id, bot.secret, url_override=bot.alpaca_url)
    data = StockHistoricalDataClient(bot.key_id, bot.secret, url_override=bot.alpaca_url)
    first = sma_bot.decide(trading, data, "AAPL", Decimal(10))
    held = sma_bot.held(trading, "AAPL")
    assert held in (Decimal(0), Decimal(10)), first
    assert ("buy 10" in first) == (held == 10)
    again = sma_bot.decide(trading, data, "AAPL", Decimal(10))
    assert "holding" in again and sma_bot.held(trading, "AAPL") == held
