"""The import rules (`.importlinter`): each contract breaks on the import it forbids, and the
code base keeps them all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

from tools.import_contracts import AcyclicModulesContract, PublicApiContract, PureContract

ROOT = Path(__file__).resolve().parents[2]


def graph_of(*imports: tuple[str, str]) -> grimp.ImportGraph:
    """Build an import graph from (importer, imported) pairs."""
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1,
                         line_contents=f"import {imported}")
    return graph


def domains(**options: list[str]) -> PublicApiContract:
    base = {"domains": ["app.a", "app.b"], "public": ["service"]}
    return PublicApiContract("boundaries", {}, {**base, **options})


def test_a_domain_may_import_another_through_its_service_only():
    kept = domains().check(graph_of(("app.a.api", "app.b.service")), verbose=False)
    broken = domains().check(graph_of(("app.a.api", "app.b.internals")), verbose=False)
    assert kept.kept and not broken.kept
    assert broken.metadata["problems"] == ["app.a.api -> app.b.internals (l.1)"]


def test_public_modules_and_documented_exceptions_are_allowed():
    contract = domains(public_modules=["app.b.engine"], exceptions=["app.a.* -> app.b.models"])
    graph = graph_of(("app.a.x", "app.b.engine.core"), ("app.a.y", "app.b.models"),
                     ("app.a.y", "app.b.models.more"))
    assert contract.check(graph, verbose=False).kept
    assert not contract.check(graph_of(("app.c", "app.b.models"), ("app.a.y", "app.b.other")),
                              verbose=False).kept


def test_a_pure_module_may_not_import_a_database_library_or_an_impure_module():
    contract = PureContract("pure", {}, {"modules": ["app.core"], "allowed_external": ["numpy"]})
    fine = graph_of(("app.core.a", "app.core.b"), ("app.core.a", "decimal"),
                    ("app.core.b", "numpy"))
    assert contract.check(fine, verbose=False).kept
    for forbidden in ("sqlalchemy", "app.extensions"):
        assert not contract.check(graph_of(("app.core.a", forbidden)), verbose=False).kept


def test_a_cycle_through_any_number_of_modules_breaks_the_contract():
    contract = AcyclicModulesContract("acyclic", {}, {"root": "app"})
    chain = [("app.a", "app.b"), ("app.b", "app.c"), ("app.c", "app.d")]
    assert contract.check(graph_of(*chain), verbose=False).kept
    broken = contract.check(graph_of(*chain, ("app.d", "app.b")), verbose=False)
    assert broken.metadata["problems"] == ["app.b <-> app.c <-> app.d"]


def test_the_code_base_keeps_every_contract():
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "3 kept, 0 broken" in result.stdout
