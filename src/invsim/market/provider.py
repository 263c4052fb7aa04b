"""The market-data provider of this process: chosen by settings, built lazily, once.

Nothing here runs at import time. The provider and calendar are cached per distinct
configuration, so several apps in one process (tests) each get their own.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import current_app

from invsim.config import Settings
from invsim.core.clock import MarketCalendar, calendar_for
from invsim.market.providers.base import MarketDataProvider
from invsim.market.providers.registry import (
    create_provider,
    register_builtin_providers,
    registered_providers,
)

_lock = threading.Lock()
_providers: dict[tuple[Any, ...], MarketDataProvider] = {}


def settings() -> Settings:
    """Return the settings of the current app."""
    value: Settings = current_app.config["INVSIM_SETTINGS"]
    return value


def is_simulated() -> bool:
    """Tell whether this deployment uses the simulated market."""
    return settings().market_data_provider == "simulated"


def provider_options(config: Settings) -> dict[str, Any]:
    """Return the constructor arguments of the configured provider."""
    if config.market_data_provider == "simulated":
        return {"seed": config.market_seed, "calendar": config.market_calendar,
                "tick_seconds": config.market_tick_seconds}
    return {"api_key": config.alpha_vantage_api_key, "base_url": config.alpha_vantage_base_url,
            "timeout_seconds": config.alpha_vantage_timeout_seconds,
            "full_history_entitled": config.alpha_vantage_full_history}


def cache_namespace(config: Settings | None = None) -> str:
    """Return the key prefix that separates quotes of different markets in the shared store."""
    config = config or settings()
    if config.market_data_provider == "simulated":
        return (f"simulated:{config.market_seed}:{config.market_calendar}:"
                f"{config.market_tick_seconds}")
    return config.market_data_provider


def get_provider() -> MarketDataProvider:
    """Return this process's provider for the current settings, building it on first use."""
    config = settings()
    options = provider_options(config)
    key = (config.market_data_provider, *sorted(options.items()))
    provider = _providers.get(key)
    if provider is None:
        with _lock:
            provider = _providers.get(key)
            if provider is None:
                if config.market_data_provider not in registered_providers():
                    register_builtin_providers()
                provider = create_provider(config.market_data_provider, **options)
                _providers[key] = provider
    return provider


def market_calendar() -> MarketCalendar:
    """Return the configured exchange calendar."""
    return _calendar(settings().market_calendar)


_calendars: dict[str, MarketCalendar] = {}


def _calendar(name: str) -> MarketCalendar:
    """Return (and keep) the calendar called `name`."""
    calendar = _calendars.get(name)
    if calendar is None:
        calendar = _calendars.setdefault(name, calendar_for(name))
    return calendar
