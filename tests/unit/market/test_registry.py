"""The provider registry: explicit registration, creation by name with settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invsim.market.providers import base, registry
from invsim.market.providers.alphavantage import AlphaVantageProvider
from invsim.market.providers.simulated import SimulatedProvider


@pytest.fixture()
def empty_registry() -> Iterator[dict[str, registry.ProviderFactory]]:
    """Give a test an empty registry and restore the real one afterwards."""
    saved = dict(registry._factories)
    registry._factories.clear()
    yield registry._factories
    registry._factories.clear()
    registry._factories.update(saved)


def test_nothing_is_registered_until_asked(empty_registry: dict[str, registry.ProviderFactory]) -> None:
    assert registry.registered_providers() == []
    with pytest.raises(ValueError, match="unknown market-data provider"):
        registry.create_provider("simulated")


def test_builtin_providers_are_registered_by_an_explicit_call(
    empty_registry: dict[str, registry.ProviderFactory],
) -> None:
    registry.register_builtin_providers()
    assert registry.registered_providers() == ["alphavantage", "simulated"]
    simulated = registry.create_provider("simulated", seed=9, calendar="nyse")
    assert isinstance(simulated, SimulatedProvider) and simulated.seed == 9
    alpha = registry.create_provider("alphavantage", api_key="k", base_url="http://127.0.0.1:9/q")
    assert isinstance(alpha, AlphaVantageProvider) and alpha.base_url == "http://127.0.0.1:9/q"


def test_a_disabled_provider_is_not_registered(empty_registry: dict[str, registry.ProviderFactory]) -> None:
    registry.register_provider("simulated", SimulatedProvider, enabled=False)
    assert registry.registered_providers() == []


def test_plugin_modules_register_themselves_when_imported(
    empty_registry: dict[str, registry.ProviderFactory], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "invsim_test_plugin.py").write_text(
        "from invsim.market.providers.registry import register_provider\n"
        "from invsim.market.providers.simulated import SimulatedProvider\n"
        "register_provider('plugin', SimulatedProvider)\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    registry.import_providers(["invsim_test_plugin"])
    assert registry.registered_providers() == ["plugin"]
    sys.modules.pop("invsim_test_plugin", None)


def test_provider_errors_say_whether_to_retry() -> None:
    assert base.Throttled("slow down", retry_after_seconds=60).retryable
    assert base.ProviderUnavailable("down").retryable
    assert not base.NotEntitled("premium").retryable
    assert not base.UnknownSymbol("NOPE").retryable
    assert isinstance(base.InvalidApiKey("bad key"), base.NotEntitled)
