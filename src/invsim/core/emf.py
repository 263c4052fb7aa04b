"""CloudWatch Embedded Metric Format (EMF): metrics as structured log lines.

A line is a JSON object whose `_aws` member says which of its top-level members are
metrics and which are dimensions; CloudWatch Logs turns such lines into metrics with
no agent and no API call (docs/deploy-aws.md, "Metrics"). The format is small, so it
is written here directly rather than through `aws-embedded-metrics`, whose logger is
asynchronous and flushes on its own schedule: here a metric is written in the same
call that records it, in the same stream (and with the same request id) as the logs.

This module only builds documents and hands them to a sink; `invsim.api.observability`
installs the sink (the structlog JSON logger) when METRICS_EMF is on. Off, `emit` is
one attribute test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

# The units CloudWatch knows that invsim uses (the full list is in the EMF specification).
Unit = Literal["Count", "Milliseconds", "Seconds", "Percent", "Bytes", "None"]
MAX_METRICS = 100  # per document (the specification's limit)
MAX_DIMENSIONS = 30  # per dimension set
Sink = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Metric:
    """One value of one metric and its unit."""

    value: float
    unit: Unit = "Count"


def document(
    namespace: str,
    metrics: Mapping[str, Metric],
    dimensions: Mapping[str, str],
    *,
    dimension_sets: Sequence[Sequence[str]] | None = None,
    properties: Mapping[str, Any] | None = None,
    timestamp_ms: int | None = None,
) -> dict[str, Any]:
    """Build one EMF document: the `_aws` directive plus every value at the top level.

    `dimension_sets` names the dimension combinations CloudWatch aggregates on (each a
    subset of `dimensions`); by default one set of every dimension given. Properties are
    extra searchable members that are not metrics (a request id, a job name).
    """
    if not metrics or len(metrics) > MAX_METRICS:
        raise ValueError(f"an EMF document holds 1 to {MAX_METRICS} metrics")
    sets = [list(s) for s in (dimension_sets if dimension_sets is not None
                              else [list(dimensions)])]
    for dimension_set in sets:
        unknown = [name for name in dimension_set if name not in dimensions]
        if unknown or len(dimension_set) > MAX_DIMENSIONS:
            raise ValueError(f"dimension set {dimension_set} names unknown {unknown}")
    clash = set(metrics) & (set(dimensions) | set(properties or {}))
    if clash:
        raise ValueError(f"a metric and a dimension or property share names: {sorted(clash)}")
    doc: dict[str, Any] = dict(properties or {})
    doc.update(dimensions)
    doc.update({name: metric.value for name, metric in metrics.items()})
    doc["_aws"] = {
        "Timestamp": timestamp_ms if timestamp_ms is not None else int(time.time() * 1000),
        "CloudWatchMetrics": [{
            "Namespace": namespace,
            "Dimensions": sets,
            "Metrics": [{"Name": name, "Unit": metric.unit} for name, metric in metrics.items()],
        }],
    }
    return doc


class Emitter:
    """Writes EMF documents to a sink when enabled; does nothing otherwise."""

    def __init__(self) -> None:
        self.enabled = False
        self.namespace = "invsim"
        self._sink: Sink | None = None
        self._lock = threading.Lock()

    def configure(self, *, enabled: bool, namespace: str, sink: Sink | None) -> None:
        """Turn emission on (with a sink) or off; called once per process by the app."""
        with self._lock:
            self.namespace = namespace
            self._sink = sink
            self.enabled = enabled and sink is not None

    def emit(
        self,
        metrics: Mapping[str, Metric],
        dimensions: Mapping[str, str] | None = None,
        *,
        dimension_sets: Sequence[Sequence[str]] | None = None,
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        """Write one document of these metrics; a no-op while disabled."""
        sink = self._sink
        if not self.enabled or sink is None:
            return
        sink(document(self.namespace, metrics, dimensions or {},
                      dimension_sets=dimension_sets, properties=properties))


# The process's emitter: metrics are a process-wide concern like the log configuration.
emitter = Emitter()


def emit(
    metrics: Mapping[str, Metric],
    dimensions: Mapping[str, str] | None = None,
    *,
    dimension_sets: Sequence[Sequence[str]] | None = None,
    properties: Mapping[str, Any] | None = None,
) -> None:
    """Write one EMF document through the process's emitter (no-op when METRICS_EMF is off)."""
    emitter.emit(metrics, dimensions, dimension_sets=dimension_sets, properties=properties)


def enabled() -> bool:
    """Tell whether metrics are being emitted (lets callers skip costly measurements)."""
    return emitter.enabled
