"""Settings: typed, validated, fail fast with a message naming the setting."""

import os
import subprocess
import sys

import pytest

from invsim.config import ConfigError, load_settings


@pytest.mark.parametrize("overrides,name", [
    ({"port": "not-a-port"}, "PORT"),
    ({"access_token_minutes": 0}, "ACCESS_TOKEN_MINUTES"),
    ({"market_data_provider": "iexcloud"}, "MARKET_DATA_PROVIDER"),
    ({"database_url": "mysql://x"}, "DATABASE_URL"),
    ({"log_level": "LOUD"}, "LOG_LEVEL"),
    ({"invsim_mode": "production", "database_url": "sqlite:///x.db"}, "SECRET_KEY"),
    ({"market_data_provider": "alphavantage"}, "ALPHA_VANTAGE_API_KEY"),
])
def test_invalid_setting_stops_with_a_message_naming_it(tmp_path, overrides, name):
    with pytest.raises(ConfigError) as error:
        load_settings(var_dir=tmp_path, **overrides)
    assert name in str(error.value)
    assert "\n" not in str(error.value)


def test_embedded_secret_key_is_generated_once_and_kept(tmp_path):
    first = load_settings(var_dir=tmp_path).secret_key
    second = load_settings(var_dir=tmp_path).secret_key
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_mode_requires_database_url(tmp_path):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings(var_dir=tmp_path, invsim_mode="production", secret_key="k" * 40)


def test_production_mode_requires_a_shared_store(tmp_path):
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_settings(var_dir=tmp_path, invsim_mode="production", secret_key="k" * 40,
                      database_url="postgresql+psycopg://db/invsim")


def test_settings_are_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCESS_TOKEN_MINUTES", "7")
    monkeypatch.setenv("MARKET_SEED", "99")
    settings = load_settings(var_dir=tmp_path)
    assert settings.access_token_minutes == 7 and settings.market_seed == 99


def test_cli_exits_with_one_line_naming_the_bad_setting(tmp_path):
    env = {**os.environ, "PORT": "eighty", "VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "invsim", "db", "upgrade"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("invalid setting PORT")
