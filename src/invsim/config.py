"""Typed settings read from the environment and an optional `.env` file.

Invalid values stop the start with one line naming the setting. In the embedded
default a random secret key is generated once into ./var/; production mode
requires SECRET_KEY from the environment.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Mode(StrEnum):
    """Where invsim runs: one machine with no services, or production."""

    EMBEDDED = "embedded"
    PRODUCTION = "production"


class ConfigError(SystemExit):
    """A setting is missing or invalid; the message names it."""


class Settings(BaseSettings):
    """Every setting invsim reads; the README's configuration table mirrors this class."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    invsim_mode: Mode = Mode.EMBEDDED
    var_dir: Path = Path("var")
    secret_key: str = ""
    database_url: str = ""
    redis_url: str = ""
    log_level: str = "INFO"
    # A database that does not answer must cost a request seconds, not minutes (503, not a hang)
    db_connect_timeout_seconds: int = Field(5, ge=1, le=120)
    db_statement_timeout_ms: int = Field(30_000, ge=0, le=3_600_000)  # PostgreSQL; 0 = none
    log_json: bool | None = None
    # CloudWatch Embedded Metric Format lines in the JSON logs (docs/deploy-aws.md)
    metrics_emf: bool = False
    metrics_namespace: str = Field("invsim", min_length=1, max_length=255)

    access_token_minutes: int = Field(15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(30, ge=1, le=365)
    argon2_time_cost: int = Field(3, ge=1, le=20)
    argon2_memory_kib: int = Field(65536, ge=8, le=1 << 21)
    # Password checks in flight per process (0 = one per CPU) and how long one may wait
    # for a slot before the request is shed with 503 + Retry-After (docs/load-testing.md).
    password_hash_concurrency: int = Field(0, ge=0, le=256)
    password_hash_wait_seconds: float = Field(2.0, ge=0, le=60)

    rate_limit_login: str = "10 per minute;100 per hour"
    rate_limit_register: str = "5 per minute;50 per hour"
    rate_limit_default: str = "600 per minute"
    # Alpaca's own limit for a key of its trading API
    rate_limit_api_key: str = "200 per minute"
    rate_limits_enabled: bool = True
    max_body_bytes: int = Field(64 * 1024, ge=1024, le=10 * 1024 * 1024)
    cors_origins: str = ""
    behind_tls: bool = False
    trusted_proxies: int = Field(0, ge=0, le=5)

    market_data_provider: str = "simulated"
    market_seed: int = 20240101
    market_calendar: str = "always_open"
    market_tick_seconds: int = Field(5, ge=1, le=3600)
    alpha_vantage_api_key: str = ""
    alpha_vantage_base_url: str = "https://www.alphavantage.co/query"
    alpha_vantage_per_minute: int = Field(5, ge=1, le=1200)
    alpha_vantage_per_day: int = Field(25, ge=1, le=1_000_000)
    alpha_vantage_full_history: bool = False
    alpha_vantage_timeout_seconds: float = Field(10.0, gt=0, le=120)

    risk_free_rate: Decimal = Field(Decimal("0.04"), ge=0, le=1)
    margin_interest_rate: Decimal = Field(Decimal("0.08"), ge=0, le=1)
    snapshot_interval_seconds: int = Field(300, ge=10, le=86400)
    standings_interval_seconds: int = Field(60, ge=5, le=86400)
    scheduler_enabled: bool = True

    # Backtests (docs/backtesting-api.md): per-user limits and the in-process worker pool
    backtest_max_concurrent: int = Field(2, ge=1, le=100)
    backtest_max_daily: int = Field(50, ge=1, le=100_000)
    backtest_max_symbols: int = Field(100, ge=1, le=100)
    backtest_stale_seconds: int = Field(3600, ge=60, le=7 * 86400)
    backtest_embedded_workers: int = Field(2, ge=1, le=16)

    key_provider: str = "local"
    allow_local_keys_in_production: bool = False
    local_keyring: Path | None = None
    blind_index_key: str = ""
    kms_key_ids: str = ""
    kms_endpoint_url: str = ""
    aws_region: str = "us-east-1"
    kms_max_attempts: int = Field(3, ge=1, le=10)
    data_key_max_age_seconds: int = Field(300, ge=1, le=86400)
    data_key_max_uses: int = Field(10_000, ge=1, le=1 << 32)

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    web_workers: int = Field(2, ge=1, le=64)

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("market_data_provider")
    @classmethod
    def _known_provider(cls, value: str) -> str:
        if value not in {"simulated", "alphavantage"}:
            raise ValueError("must be 'simulated' or 'alphavantage'")
        return value

    @field_validator("market_calendar")
    @classmethod
    def _known_calendar(cls, value: str) -> str:
        if value not in {"always_open", "nyse"}:
            raise ValueError("must be 'always_open' or 'nyse'")
        return value

    @field_validator("key_provider")
    @classmethod
    def _known_key_provider(cls, value: str) -> str:
        if value not in {"local", "aws-kms"}:
            raise ValueError("must be 'local' or 'aws-kms'")
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        supported = ("sqlite://", "sqlite+pysqlite://", "postgresql+psycopg://")
        if value and not value.startswith(supported):
            raise ValueError("must start with sqlite:// or postgresql+psycopg://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @model_validator(mode="after")
    def _production_requirements(self) -> Settings:
        if self.invsim_mode is Mode.PRODUCTION:
            if len(self.secret_key) < 32:
                raise ValueError("SECRET_KEY: required in production (at least 32 characters)")
            if not self.database_url:
                raise ValueError("DATABASE_URL: required in production")
            if not self.redis_url:
                # Revocations, rate-limit counters and live prices must be shared by every
                # worker and survive a restart; an in-process store is neither.
                raise ValueError("REDIS_URL: required in production (token revocations and "
                                 "rate limits are shared by every worker through it)")
            self._production_keys()
        if self.key_provider == "aws-kms" and not self.kms_key_id_list:
            raise ValueError("KMS_KEY_IDS: required when KEY_PROVIDER=aws-kms")
        if self.metrics_emf and self.log_json is False:
            raise ValueError("METRICS_EMF: needs JSON logs (leave LOG_JSON unset or true)")
        if self.market_data_provider == "alphavantage" and not self.alpha_vantage_api_key:
            raise ValueError(
                "ALPHA_VANTAGE_API_KEY: required when MARKET_DATA_PROVIDER=alphavantage")
        return self

    def _production_keys(self) -> None:
        """Refuse a key file on local disk in production unless the operator says so."""
        if self.key_provider == "local" and not self.allow_local_keys_in_production:
            raise ValueError("KEY_PROVIDER: 'local' keeps the key-encryption key on local disk; "
                             "use aws-kms in production or set ALLOW_LOCAL_KEYS_IN_PRODUCTION=true")
        if len(self.blind_index_key) < 32:
            raise ValueError("BLIND_INDEX_KEY: required in production (at least 32 characters)")

    @property
    def kms_key_id_list(self) -> list[str]:
        """Return KMS_KEY_IDS split on commas, oldest first (the last is current)."""
        return [key.strip() for key in self.kms_key_ids.split(",") if key.strip()]

    @property
    def effective_local_keyring(self) -> Path:
        """Return LOCAL_KEYRING, or the keyring file under var_dir."""
        return self.local_keyring or self.var_dir / "keyring.json"

    @property
    def production(self) -> bool:
        """Tell whether invsim runs with external services."""
        return self.invsim_mode is Mode.PRODUCTION

    @property
    def effective_database_url(self) -> str:
        """Return DATABASE_URL, or the embedded SQLite file under var_dir."""
        return self.database_url or f"sqlite:///{(self.var_dir / 'invsim.sqlite3').resolve()}"

    @property
    def json_logs(self) -> bool:
        """Use structured JSON logs in production (and for EMF metrics) unless told otherwise."""
        if self.log_json is None:
            return self.production or self.metrics_emf
        return self.log_json


def _describe(error: ValidationError) -> str:
    """Turn the first pydantic error into one line naming the setting."""
    first = error.errors()[0]
    name = ".".join(str(part) for part in first["loc"]).upper()
    message = str(first["msg"]).removeprefix("Value error, ")
    if not name:
        return f"invalid configuration: {message}"
    return f"invalid setting {name}: {message}"


def _generated(settings: Settings, name: str) -> str:
    """Return the random value kept in var_dir/NAME, generating it the first time."""
    path = settings.var_dir / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _ensure_secret(settings: Settings) -> Settings:
    """Generate the embedded secret and blind-index keys once and keep them in var_dir."""
    update = {name: _generated(settings, name) for name in ("secret_key", "blind_index_key")
              if not getattr(settings, name)}
    return settings.model_copy(update=update) if update else settings


def load_settings(**overrides: Any) -> Settings:
    """Read and validate settings; exit with one line naming a bad setting."""
    try:
        settings = Settings(**overrides)
    except ValidationError as error:
        raise ConfigError(_describe(error)) from None
    return _ensure_secret(settings)
