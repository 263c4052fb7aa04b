"""The /alpaca blueprint with every route module attached (what `create_app` registers)."""

from __future__ import annotations

from invsim.brokerapi import account_api, marketdata_api, trading_api
from invsim.brokerapi.blueprint import bp

ROUTE_MODULES = (trading_api, account_api, marketdata_api)

__all__ = ["ROUTE_MODULES", "bp"]
