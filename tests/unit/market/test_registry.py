"""The provider registry: explicit registration, creation by name with settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from invsim.market.providers import base
from invsim.market.providers.alphavantage import AlphaVantageProvider
from invsim.market.providers.simulated import SimulatedProvider


@pytest.fixture()
def registry() -> Iterator[dict[str, base.ProviderFactory]]:
    """Give a test an empty registry and restore the real one afterwards."""
    saved = dict(base._factories)
    base._factories.clear()
    yield base._factories
    base._factories.clear()
    base._factories.update(saved)


def test_nothing_is_registered_until_asked(registry: dict[str, base.ProviderFactory]) -> None:
    assert base.registered_providers() == []
    with pytest.raises(ValueError, match="unknown market-data provider"):
        base.create_provider("simulated")


def test_builtin_providers_are_registered_by_an_explicit_call(
    registry: dict[str, base.ProviderFactory],
) -> None:
    base.register_builtin_providers()
    assert base.registered_providers() == ["alphavantage", "simulated"]
    simulated = base.create_provider("simulated", seed=9, calendar="nyse")
    assert isinstance(simulated, SimulatedProvider) and simulated.seed == 9
    alpha = base.create_provider("alphavantage", api_key="k", base_url="http://127.0.0.1:9/q")
    assert isinstance(alpha, AlphaVantageProvider) and alpha.base_url == "http://127.0.0.1:9/q"


def test_a_disabled_provider_is_not_registered(registry: dict[str, base.ProviderFactory]) -> None:
    base.register_provider("simulated", SimulatedProvider, enabled=False)
    assert base.registered_providers() == []


def test_plugin_modules_register_themselves_when_imported(
    registry: dict[str, base.ProviderFactory], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    from pathlib import Path

    folder = Path(str(tmp_path))
    (folder / "invsim_test_plugin.py").write_text(
        "from invsim.market.providers.base import register_provider\n"
        "from invsim.market.providers.simulated import SimulatedProvider\n"
        "register_provider('plugin', SimulatedProvider)\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    base.import_providers(["invsim_test_plugin"])
    assert base.registered_providers() == ["plugin"]
    sys.modules.pop("invsim_test_plugin", None)


def test_provider_errors_say_whether_to_retry() -> None:
    assert base.Throttled("slow down", retry_after_seconds=60).retryable
    assert base.ProviderUnavailable("down").retryable
    assert not base.NotEntitled("premium").retryable
    assert not base.UnknownSymbol("NOPE").retryable
    assert isinstance(base.InvalidApiKey("bad key"), base.NotEntitled)
