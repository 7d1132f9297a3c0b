"""SHACL validation of PolicyKG graphs (ontology/shapes.ttl) with readable violation lines.

Validate the union of the vocabulary graph and the plan graphs: class constraints such as
"a measure's field must be a pko:Field" resolve against types asserted in the vocabulary. No
inference runs, so graphs must assert every rdf:type a shape checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.namespaces import PKO_NS, PREFIXES

__all__ = ["ValidationReport", "Violation", "compact", "format_report", "validate"]

# Constraint components whose violation is about how many values there are, worth counting.
_COUNT_COMPONENTS = frozenset({
    SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent,
    SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent,
})


@dataclass(frozen=True)
class Violation:
    focus_node: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str  # Violation | Warning | Info
    shape: Node | None  # the property (or node) shape that failed
    component: str | None = None  # e.g. MinCountConstraintComponent
    focus_class: str | None = None  # the focus node's pko: class name, for readable lines
    found: int | None = None  # how many values the path has, for count constraints


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: tuple[Violation, ...]


def validate(data: Graph, shapes: Graph | Path) -> ValidationReport:
    """Validate ``data`` (a Dataset is validated as the union of its graphs) against ``shapes``."""
    if isinstance(data, Dataset):
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        data = union
    elif not data.store.context_aware:  # pyshacl needs a context-aware store (plan graphs use SimpleMemory)
        copy = Graph()
        copy += data
        data = copy
    shapes_graph = shapes if isinstance(shapes, Graph) else Graph().parse(shapes, format="turtle")
    conforms, results, _ = shacl_validate(
        data, shacl_graph=shapes_graph, inference="none", abort_on_first=False, allow_warnings=True
    )
    assert isinstance(results, Graph)
    violations = [_violation(results, result, data) for result in results.subjects(RDF.type, SH.ValidationResult)]
    violations.sort(key=lambda v: (str(v.focus_node), str(v.path), v.message, str(v.value)))
    return ValidationReport(conforms=bool(conforms), violations=tuple(violations))


def _violation(results: Graph, result: Node, data: Graph) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    component = results.value(result, SH.sourceConstraintComponent)
    message = results.value(result, SH.resultMessage)
    severity = results.value(result, SH.resultSeverity)
    found = None
    if component in _COUNT_COMPONENTS and isinstance(path, URIRef):
        found = len(set(data.objects(focus, path)))
    classes = sorted(str(c)[len(PKO_NS):] for c in data.objects(focus, RDF.type) if str(c).startswith(PKO_NS))
    return Violation(
        focus_node=focus,
        path=path,
        value=results.value(result, SH.value),
        message=str(message) if message is not None else "constraint not met",
        severity=_local(severity) if severity is not None else "Violation",
        shape=results.value(result, SH.sourceShape),
        component=_local(component) if component is not None else None,
        focus_class=classes[0] if classes else None,
        found=found,
    )


def _local(iri: Node) -> str:
    return str(iri).rsplit("#", 1)[-1]


def compact(node: Node | None) -> str:
    """A term as it would read in Turtle: pko:text, <https://…/measure/3>, "max"."""
    if node is None:
        return "(no path)"
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            local = str(node)[len(namespace):]
            if str(node).startswith(namespace) and local and all(c.isalnum() or c in "_-" for c in local):
                return f"{prefix}:{local}"
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    return f"_:{node}"


def format_report(report: ValidationReport) -> str:
    """One line per violation, e.g. ``Measure <…/measure/3>: pko:text — Each measure needs …
    (found 0)``, then a summary line."""
    lines = []
    for v in report.violations:
        subject = f"{v.focus_class or 'Node'} {compact(v.focus_node)}"
        detail = f" (found {v.found})" if v.found is not None else ""
        if v.value is not None and v.found is None:
            detail = f" (value {compact(v.value)})"
        level = "" if v.severity == "Violation" else f"[{v.severity}] "
        lines.append(f"{level}{subject}: {compact(v.path)} — {v.message}{detail}")
    count = len(report.violations)
    if report.conforms:
        lines.append(f"conforms ({count} warning{'s' if count != 1 else ''})" if count else "conforms")
    else:
        lines.append(f"does not conform: {count} result{'s' if count != 1 else ''}")
    return "\n".join(lines)
