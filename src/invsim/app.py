"""The application factory: a table of contents of the wiring, nothing at import time."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from apiflask import APIFlask
from werkzeug.middleware.proxy_fix import ProxyFix

from invsim import __version__
from invsim.api.errors import register_error_handlers
from invsim.api.observability import configure_logging, register_observability
from invsim.api.routing import register_routing
from invsim.api.schemas import DecimalJSONProvider
from invsim.api.security import register_security
from invsim.api.spec import register_spec_processor
from invsim.config import Settings, load_settings
from invsim.crypto.setup import init_cipher
from invsim.extensions import db, limiter, stores
from invsim.market.jobs import SYMBOLS_IN_USE
from invsim.trading import service as trading
from invsim.users.auth import authn
from invsim.users.passwords import hasher

# Order matters: the front end's catch-all route comes last.
BLUEPRINT_MODULES = (
    "invsim.api.health",
    "invsim.users.api",
    "invsim.market.api",
    "invsim.portfolios.api",
    "invsim.trading.api",
    "invsim.analytics.api",
    "invsim.challenges.api",
    "invsim.backtest.api",
    "invsim.backtest.live_api",
    "invsim.brokerapi.keys_api",
    "invsim.brokerapi.routes",
    "invsim.brokerapi.streams",  # websockets: /alpaca/stream, /alpaca/v2/iex
    "invsim.api.frontend",
)

STATIC_DIR = Path(__file__).parent / "static"


class InvsimApp(APIFlask):
    """APIFlask with exact-decimal JSON."""

    json_provider_class = DecimalJSONProvider


def create_app(settings: Settings | None = None, **overrides: Any) -> InvsimApp:
    """Build a configured app; nothing is started or connected until it is used."""
    settings = settings or load_settings(**overrides)
    app = InvsimApp(
        "invsim", title="invsim API", version=__version__,
        spec_path="/api/v1/openapi.json", docs_path=None,
        static_folder=str(STATIC_DIR), static_url_path="/static",
    )
    configure_app(app, settings)
    register_routing(app)
    register_extensions(app, settings)
    register_blueprints(app)
    wire_domains(app)
    register_error_handlers(app)
    register_security(app, settings)
    register_observability(app)
    register_spec_processor(app)
    return app


def configure_app(app: APIFlask, settings: Settings) -> None:
    """Copy settings into Flask's config."""
    app.config.update(
        INVSIM_SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        JSON_SORT_KEYS=False,
        RATELIMIT_ENABLED=settings.rate_limits_enabled,
        RATELIMIT_STORAGE_URI=settings.redis_url or "memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        RATELIMIT_DEFAULT=settings.rate_limit_default,
        RATELIMIT_KEY_PREFIX="invsim-limits",
        # Redis down: count in this process instead (limits stay on, per process) and never
        # turn a storage error into a 500; flask-limiter switches back when Redis returns.
        RATELIMIT_SWALLOW_ERRORS=True,
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        SECURITY_SCHEMES={"BearerAuth": {"type": "http", "scheme": "bearer",
                                         "bearerFormat": "JWT"}},
        INFO={"description": "Paper trading, analytics and challenges. Amounts are strings."},
    )
    configure_logging(settings)
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies,
            x_host=settings.trusted_proxies)


def register_extensions(app: APIFlask, settings: Settings) -> None:
    """Bind the database, field encryption, key-value store, rate limiter, auth and hasher."""
    db.init_app(app, settings)
    init_cipher(settings)
    stores.init_app(settings)
    limiter.init_app(app)
    authn.init_app(app, settings)
    hasher.configure(time_cost=settings.argon2_time_cost, memory_kib=settings.argon2_memory_kib,
                     concurrency=settings.password_hash_concurrency,
                     wait_seconds=settings.password_hash_wait_seconds)


def wire_domains(app: APIFlask) -> None:
    """Hand a lower domain what it may not import: the market's jobs ask trading what is held."""
    app.extensions[SYMBOLS_IN_USE] = trading.symbols_in_use


def register_blueprints(app: APIFlask) -> None:
    """Mount every domain's API, then the web front end."""
    for module_name in BLUEPRINT_MODULES:
        app.register_blueprint(importlib.import_module(module_name).bp)
