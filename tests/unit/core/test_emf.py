"""The EMF document builder: the specification's structure and its limits."""

from __future__ import annotations

import pytest

from invsim.core.emf import Emitter, Metric, document
from tests.emf_support import assert_valid_emf


def test_a_document_names_its_metrics_and_dimensions_and_holds_values_at_the_top():
    doc = document("invsim", {"Latency": Metric(12.5, "Milliseconds"), "Requests": Metric(1)},
                   {"Route": "/healthz", "Status": "200"},
                   dimension_sets=[["Route", "Status"], ["Route"]],
                   properties={"request_id": "abc"}, timestamp_ms=1_700_000_000_000)
    assert doc == {
        "request_id": "abc", "Route": "/healthz", "Status": "200",
        "Latency": 12.5, "Requests": 1,
        "_aws": {"Timestamp": 1_700_000_000_000, "CloudWatchMetrics": [{
            "Namespace": "invsim", "Dimensions": [["Route", "Status"], ["Route"]],
            "Metrics": [{"Name": "Latency", "Unit": "Milliseconds"},
                        {"Name": "Requests", "Unit": "Count"}]}]}}


def test_a_fresh_document_passes_the_spec_checks():
    assert_valid_emf(document("invsim", {"JobRuns": Metric(1)}, {"Job": "x"}))


@pytest.mark.parametrize(("metrics", "dimensions", "sets", "message"), [
    ({}, {}, None, "1 to 100 metrics"),
    ({f"m{i}": Metric(i) for i in range(101)}, {}, None, "1 to 100 metrics"),
    ({"A": Metric(1)}, {"Route": "/"}, [["Route", "Status"]], "unknown"),
    ({"Route": Metric(1)}, {"Route": "/"}, None, "share names"),
])
def test_a_document_the_spec_forbids_is_refused(metrics, dimensions, sets, message):
    with pytest.raises(ValueError, match=message):
        document("invsim", metrics, dimensions, dimension_sets=sets)


def test_a_disabled_emitter_writes_nothing_and_an_enabled_one_writes_each_call():
    written: list[dict[str, object]] = []
    emitter = Emitter()
    emitter.emit({"A": Metric(1)})
    emitter.configure(enabled=True, namespace="ns", sink=written.append)
    emitter.emit({"A": Metric(2)}, {"D": "x"})
    assert [(d["A"], d["D"], d["_aws"]["CloudWatchMetrics"][0]["Namespace"])  # type: ignore[index]
            for d in written] == [(2, "x", "ns")]
