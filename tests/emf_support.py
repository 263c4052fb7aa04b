"""Reading CloudWatch EMF lines out of the app's real log stream, checked against the spec."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from invsim.api.observability import configure_logging
from invsim.config import load_settings
from invsim.core import emf

UNITS = {"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
         "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
         "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
         "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
         "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None"}


def log_handler() -> logging.StreamHandler[Any]:
    """The handler invsim installs on the root logger (its JSON or console renderer)."""
    for handler in logging.getLogger().handlers:
        if handler.get_name() == "invsim" and isinstance(handler, logging.StreamHandler):
            return handler
    raise AssertionError("invsim's log handler is not installed")


@contextmanager
def captured_log_stream() -> Iterator[io.StringIO]:
    """Point invsim's log handler at a buffer for the block (the records still go through
    structlog's processors and renderer: only the stream is swapped)."""
    handler = log_handler()
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        if previous is not None:
            handler.setStream(previous)


def turn_emf_off(var_dir: Any) -> None:
    """Restore what the other tests expect: metrics off, console logs."""
    emf.emitter.configure(enabled=False, namespace="invsim", sink=None)
    configure_logging(load_settings(var_dir=var_dir, log_level="WARNING"))


def assert_valid_emf(doc: dict[str, Any]) -> None:
    """Check one document against the EMF specification's rules (not only its shape)."""
    metadata = doc["_aws"]
    assert isinstance(metadata["Timestamp"], int)
    assert abs(metadata["Timestamp"] - time.time() * 1000) < 600_000  # epoch milliseconds
    directives = metadata["CloudWatchMetrics"]
    assert isinstance(directives, list) and directives
    for directive in directives:
        assert set(directive) <= {"Namespace", "Dimensions", "Metrics"}
        assert isinstance(directive["Namespace"], str) and 1 <= len(directive["Namespace"]) <= 255
        assert isinstance(directive["Dimensions"], list)
        for dimension_set in directive["Dimensions"]:
            assert isinstance(dimension_set, list) and 1 <= len(dimension_set) <= 30
            for name in dimension_set:  # every dimension is a top-level string member
                assert isinstance(doc[name], str) and doc[name], name
        assert 1 <= len(directive["Metrics"]) <= 100
        for metric in directive["Metrics"]:
            assert set(metric) <= {"Name", "Unit", "StorageResolution"}
            assert metric.get("Unit", "None") in UNITS
            value = doc[metric["Name"]]  # every metric's value is a top-level number
            assert isinstance(value, int | float) and not isinstance(value, bool), metric


def emf_documents(text: str) -> list[dict[str, Any]]:
    """Every EMF line of a log stream, each checked; every line must be one JSON object."""
    documents = []
    for line in text.splitlines():
        if not line.strip():
            continue
        record = json.loads(line)  # strict: no text before or after the object
        assert isinstance(record, dict)
        if "_aws" in record:
            assert_valid_emf(record)
            documents.append(record)
    return documents


def with_metric(documents: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    """The documents that declare the metric `name`."""
    return [d for d in documents
            if any(m["Name"] == name for c in d["_aws"]["CloudWatchMetrics"]
                   for m in c["Metrics"])]
