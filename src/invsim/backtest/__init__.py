"""Backtesting: run a strategy over historical bars with the live trading engine's fill model.

The pure core (bars, intrabar, broker, strategy, engine, trades, result, sweep)
imports no database, web framework or network: the same inputs give the same
result on every machine. `data` loads bars (simulated market, Alpha Vantage
through the market service, CSV); `service` is the domain's public entry point.
"""

ENGINE_VERSION = "1"
