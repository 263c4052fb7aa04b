"""Request ids, structured logs and Prometheus metrics."""

from __future__ import annotations

import logging
import os
import re
import sys
import time
import uuid
from typing import Any

import structlog
from apiflask import APIFlask
from flask import Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prom_multiprocess

from invsim.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_metrics: dict[str, Any] = {}


def configure_logging(settings: Settings) -> None:
    """Send stdlib and structlog output through one renderer (JSON in production)."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if settings.json_logs
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=False,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.set_name("invsim")
    root = logging.getLogger()
    # Replace only our own handler, so handlers others installed (pytest, gunicorn) stay.
    root.handlers = [h for h in root.handlers if h.get_name() != "invsim"] + [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("werkzeug").setLevel("WARNING")


def _metric_objects() -> dict[str, Any]:
    """Create the process's metrics once (prometheus registers them globally)."""
    if not _metrics:
        _metrics["requests"] = Counter(
            "invsim_http_requests_total", "HTTP requests", ["method", "endpoint", "status"])
        _metrics["latency"] = Histogram(
            "invsim_http_request_duration_seconds", "HTTP request latency",
            ["method", "endpoint"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
    return _metrics


def _start_request() -> None:
    """Take the caller's request id (or make one) and bind it to every log line."""
    supplied = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = supplied if _VALID_REQUEST_ID.match(supplied) else uuid.uuid4().hex
    g.started_at = time.perf_counter()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def _finish_request(response: Response) -> Response:
    """Echo the request id and record request count and latency."""
    response.headers[REQUEST_ID_HEADER] = g.get("request_id", "")
    endpoint = request.url_rule.rule if request.url_rule else "unmatched"
    if endpoint != "/metrics":
        metrics = _metric_objects()
        metrics["requests"].labels(request.method, endpoint, str(response.status_code)).inc()
        elapsed = time.perf_counter() - g.get("started_at", time.perf_counter())
        metrics["latency"].labels(request.method, endpoint).observe(elapsed)
    return response


def _metrics_view() -> Response:
    """Expose Prometheus metrics; aggregate gunicorn workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prom_multiprocess.MultiProcessCollector(registry)
        payload = generate_latest(registry)
    else:
        payload = generate_latest()
    return Response(payload, mimetype=CONTENT_TYPE_LATEST)


def register_observability(app: APIFlask) -> None:
    """Install request ids, access metrics and the /metrics endpoint."""
    _metric_objects()
    app.before_request(_start_request)
    app.after_request(_finish_request)
    app.add_url_rule("/metrics", "metrics", _metrics_view, methods=["GET"])
