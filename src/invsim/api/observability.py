"""Request ids, structured logs, Prometheus metrics and (when METRICS_EMF) CloudWatch EMF lines."""

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
from invsim.core import emf
from invsim.core.emf import Metric

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_metrics: dict[str, Any] = {}
EMF_LOGGER = "invsim.metrics"
# One series per route and status, one per status class (the 5xx rate's numerator and
# denominator), one per route (its latency percentiles whatever the status).
REQUEST_DIMENSIONS = (("Route", "Method", "Status"), ("StatusClass",), ("Route",))


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
    configure_metrics(settings)


def configure_metrics(settings: Settings) -> None:
    """Send EMF documents through the JSON logs when METRICS_EMF is on.

    Metric lines are INFO records of their own logger, kept at INFO so LOG_LEVEL=WARNING
    quiets the logs without silencing the metrics the alarms read.
    """
    metrics_logger = logging.getLogger(EMF_LOGGER)
    metrics_logger.setLevel("INFO")
    sink = structlog.get_logger(EMF_LOGGER)

    def write(document: dict[str, Any]) -> None:
        """Log one EMF document; its members become the JSON line's top-level members."""
        sink.info("metrics", **document)

    emf.emitter.configure(enabled=settings.metrics_emf, namespace=settings.metrics_namespace,
                          sink=write)


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
        _emit_request(endpoint, response.status_code, elapsed)
    return response


def _emit_request(route: str, status: int, elapsed: float) -> None:
    """Write the request's count and latency as EMF (no-op when METRICS_EMF is off)."""
    if not emf.enabled():
        return
    emf.emit({"Requests": Metric(1), "Latency": Metric(round(elapsed * 1000, 3), "Milliseconds")},
             {"Route": route, "Method": request.method, "Status": str(status),
              "StatusClass": f"{status // 100}xx"},
             dimension_sets=REQUEST_DIMENSIONS)


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
