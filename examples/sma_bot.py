"""A moving-average crossover bot in alpaca-py, run unchanged against invsim.

    make run                                   # invsim on http://127.0.0.1:8000
    # in the web app: Portfolio -> API keys -> Create key; then
    export APCA_API_KEY_ID=PK... APCA_API_SECRET_KEY=...
    .venv/bin/python examples/sma_bot.py --symbol AAPL --once

Each pass reads daily bars, compares the 10-day and 30-day simple moving averages
and holds 10 shares while the short one is above the long one (flat otherwise).
`--once` decides once and exits; without it the bot decides every `--every` seconds.
The same code trades Alpaca's paper account if you drop the url_override arguments.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from alpaca.common.exceptions import APIError
from alpaca.data.historical import StockHistoricalDataClient
from alpaca.data.requests import StockBarsRequest
from alpaca.data.timeframe import TimeFrame
from alpaca.trading.client import TradingClient
from alpaca.trading.enums import OrderSide, TimeInForce
from alpaca.trading.requests import MarketOrderRequest


def sma(values: list[Decimal], days: int) -> Decimal:
    """The simple moving average of the last `days` values."""
    return sum(values[-days:], Decimal(0)) / days


def held(trading: TradingClient, symbol: str) -> Decimal:
    """Shares held now (0 without a position)."""
    try:
        return Decimal(trading.get_open_position(symbol).qty)
    except APIError as error:
        if error.status_code == 404:
            return Decimal(0)
        raise


def decide(trading: TradingClient, data: StockHistoricalDataClient, symbol: str,
           target: Decimal) -> str:
    """Trade once toward the crossover's position; say what was done."""
    now = trading.get_clock().timestamp  # the market's time, not this machine's
    bars = data.get_stock_bars(StockBarsRequest(
        symbol_or_symbols=symbol, timeframe=TimeFrame.Day, start=now - timedelta(days=90),
        end=now)).data[symbol]
    closes = [Decimal(str(bar.close)) for bar in bars]
    if len(closes) < 30:
        return f"only {len(closes)} bars: waiting"
    fast, slow = sma(closes, 10), sma(closes, 30)
    want = target if fast > slow else Decimal(0)
    have = held(trading, symbol)
    if want == have:
        return f"SMA10 {fast:.2f} vs SMA30 {slow:.2f}: holding {have}"
    side = OrderSide.BUY if want > have else OrderSide.SELL
    order = trading.submit_order(MarketOrderRequest(symbol=symbol, qty=float(abs(want - have)),
                                                    side=side, time_in_force=TimeInForce.DAY))
    trend = f"SMA10 {fast:.2f} vs SMA30 {slow:.2f}"
    return f"{trend}: {side.value} {abs(want - have)} -> {order.status}"


def main() -> None:
    """Parse arguments and run the bot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("INVSIM_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--symbol", default="AAPL")
    parser.add_argument("--qty", type=Decimal, default=Decimal(10))
    parser.add_argument("--every", type=float, default=60.0)
    parser.add_argument("--once", action="store_true")
    args = parser.parse_args()
    key, secret = os.environ["APCA_API_KEY_ID"], os.environ["APCA_API_SECRET_KEY"]
    base = f"{args.url.rstrip('/')}/alpaca"
    trading = TradingClient(key, secret, url_override=base)
    data = StockHistoricalDataClient(key, secret, url_override=base)
    while True:
        print(datetime.now(UTC).isoformat(timespec="seconds"),
              decide(trading, data, args.symbol, args.qty), flush=True)
        if args.once:
            return
        time.sleep(args.every)


if __name__ == "__main__":
    main()
