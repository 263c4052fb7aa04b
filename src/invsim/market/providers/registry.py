"""The provider registry: providers by name, registered explicitly, created with settings.

A module of its own so that `base` (the interface every provider imports) never
imports a provider back. Plug-in modules register themselves when imported
(`import_providers`); the built-ins by one explicit call (in the style of
redash's query-runner registry).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

from invsim.market.providers.alphavantage import AlphaVantageProvider
from invsim.market.providers.base import MarketDataProvider
from invsim.market.providers.simulated import SimulatedProvider

ProviderFactory = Callable[..., MarketDataProvider]

_factories: dict[str, ProviderFactory] = {}


def register_provider(name: str, factory: ProviderFactory, *, enabled: bool = True) -> None:
    """Make `factory` available as provider `name`, unless it is disabled."""
    if enabled:
        _factories[name] = factory


def create_provider(name: str, **settings: Any) -> MarketDataProvider:
    """Build the provider registered as `name` with its settings."""
    try:
        factory = _factories[name]
    except KeyError:
        known = ", ".join(sorted(_factories)) or "none"
        raise ValueError(f"unknown market-data provider {name!r} (registered: {known})") from None
    return factory(**settings)


def registered_providers() -> list[str]:
    """List the names of the registered providers."""
    return sorted(_factories)


def import_providers(modules: Iterable[str]) -> None:
    """Import plug-in provider modules; each registers itself with `register_provider`."""
    for module in modules:
        importlib.import_module(module)


def register_builtin_providers() -> None:
    """Register the providers shipped with invsim: "simulated" and "alphavantage"."""
    register_provider(SimulatedProvider.name, SimulatedProvider)
    register_provider(AlphaVantageProvider.name, AlphaVantageProvider)
