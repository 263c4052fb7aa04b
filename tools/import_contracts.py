"""invsim's own import-linter contracts: domain boundaries, pure cores and no cycles at all.

Registered in `.importlinter` and run by `lint-imports` (`make lint`). The stock
contract types check package-level rules; these check what ARCHITECTURE.md
states module by module:

- `public_api`: a domain imports another domain only through its public modules
  (`service`, plus the listed ones such as the pure `trading.engine`), except
  for the documented exceptions;
- `pure`: the pure cores import only each other, the standard library and the
  allowed third-party packages (no SQLAlchemy, Flask, Redis or extensions);
- `acyclic_modules`: no import cycle between any two modules, however long.
"""

from __future__ import annotations

import fnmatch
import sys
from collections.abc import Iterable, Iterator

import grimp
from importlinter import Contract, ContractCheck, fields, output

Edge = tuple[str, str]


def _matches(module: str, patterns: Iterable[str]) -> bool:
    """Say whether `module` is one of `patterns` or inside one (`a.b` covers `a.b.c`)."""
    return any(module == p or module.startswith(p + ".") or fnmatch.fnmatchcase(module, p)
               for p in patterns)


def _line(graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    """Describe one import with its line numbers."""
    details = graph.get_import_details(importer=importer, imported=imported)
    lines = ", ".join(f"l.{d['line_number']}" for d in details)
    return f"{importer} -> {imported} ({lines})"


def _render(check: ContractCheck) -> None:
    """Print each broken import of a check."""
    for problem in check.metadata["problems"]:
        output.print_error(f"- {problem}", bold=False)
    output.new_line()


class PublicApiContract(Contract):
    """Cross-domain imports go to a domain's public modules or a documented exception.

    Options: `domains` (packages), `public` (module names public in every domain,
    e.g. `service`), `public_modules` (more public modules or packages),
    `exceptions` (`importer -> imported` expressions, fnmatch wildcards allowed).
    """

    type_name = "public_api"
    domains = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    public_modules = fields.ListField(subfield=fields.StringField(), required=False)
    exceptions = fields.ListField(subfield=fields.StringField(), required=False)

    def _domain_of(self, module: str) -> str | None:
        return next((d for d in self.domains if _matches(module, [d])), None)  # type: ignore[attr-defined]

    def _allowed(self, importer: str, imported: str, target: str) -> bool:
        public = [f"{target}.{name}" for name in self.public]  # type: ignore[attr-defined]
        if imported == target or _matches(imported, public):  # the package itself is empty
            return True
        if _matches(imported, self.public_modules or []):  # type: ignore[attr-defined]
            return True
        for expression in self.exceptions or []:  # type: ignore[attr-defined]
            left, _, right = (part.strip() for part in expression.partition("->"))
            if fnmatch.fnmatchcase(importer, left) and _matches(imported, [right]):
                return True
        return False

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        problems = []
        for importer in sorted(graph.modules):
            source = self._domain_of(importer)
            if source is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = self._domain_of(imported)
                if target is None or target == source:
                    continue
                if not self._allowed(importer, imported, target):
                    problems.append(_line(graph, importer, imported))
        return ContractCheck(kept=not problems, metadata={"problems": problems})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("Import another domain through its service.py (or add a documented "
                     "exception to .importlinter and docs/ARCHITECTURE.md):")
        _render(check)


class PureContract(Contract):
    """Pure modules import only pure modules, the standard library and allowed packages.

    Options: `modules` (the pure modules or packages), `allowed_external`
    (third-party top-level packages they may use).
    """

    type_name = "pure"
    modules = fields.ListField(subfield=fields.StringField())
    allowed_external = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        pure = self.modules  # type: ignore[attr-defined]
        allowed = set(self.allowed_external or []) | set(sys.stdlib_module_names)  # type: ignore[attr-defined]
        problems = []
        for importer in sorted(m for m in graph.modules if _matches(m, pure)):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                internal = imported.split(".")[0] == importer.split(".")[0]
                if internal and not _matches(imported, pure):
                    problems.append(_line(graph, importer, imported))
                elif not internal and imported.split(".")[0] not in allowed:
                    problems.append(_line(graph, importer, imported))
        return ContractCheck(kept=not problems, metadata={"problems": problems})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("A pure module imported something that is not pure:")
        _render(check)


def _cycles(edges: dict[str, set[str]]) -> Iterator[list[str]]:
    """Yield the strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    yield sorted(component)


class AcyclicModulesContract(Contract):
    """No module imports itself back through any chain of imports (function-level ones too).

    Option: `root` (the package). A package's `__init__` counts as a module.
    """

    type_name = "acyclic_modules"
    root = fields.StringField()

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        root = self.root  # type: ignore[attr-defined]
        inside = {m for m in graph.modules if _matches(m, [root])}
        edges = {m: {i for i in graph.find_modules_directly_imported_by(m) if i in inside}
                 for m in inside}
        problems = [" <-> ".join(component) for component in _cycles(edges)]
        return ContractCheck(kept=not problems, metadata={"problems": problems})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("These modules import each other (directly or through others):")
        _render(check)
