"""JSON lookups over the graph for /api: plans, measures, tasks, units, fields, partners, places.

Every answer comes from SPARQL through the graph service, so the same code serves the embedded
store and a remote one. Measure details are cached: the graph is read-only while served.
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from typing import Any

from kg.rdf.iri import encode_path
from kg.store.terms import Row, iri_term, literal_term, value
from policykg.services import GraphService

KINDS = {"units": "Unit", "fields": "Field", "partners": "Partner", "places": "Place", "instruments": "Instrument"}
_LINKS = {"field": "pko:field", "partner": "pko:partner", "place": "pko:place", "instrument": "pko:instrument"}


class NotFound(LookupError):
    """An unknown plan, measure, task or entity; the message names it."""


class Catalog:
    def __init__(self, graph: GraphService) -> None:
        self.graph = graph
        self.base = graph.base
        # A measure's id is its seq: its place in the document, unique in the plan and the same on every
        # build of the same text (printed numbers restart per task in most plans). The id is also the
        # last segment of the measure's IRI. "#N" is accepted too, as older links wrote it.
        self._measures: dict[str, dict[str, str]] = defaultdict(dict)  # plan → id → IRI
        self.measure_keys: dict[str, tuple[str, str]] = {}  # IRI → (plan, id) for page links
        for row in graph.select("SELECT ?m ?id ?seq WHERE { ?m a pko:Measure ; pko:seq ?seq ; pko:plan ?p . "
                                "?p dcterms:identifier ?id }"):
            plan, iri, measure_id = value(row, "id"), value(row, "m"), str(value(row, "seq"))
            self._measures[plan][measure_id] = iri
            self.measure_keys[iri] = (plan, measure_id)
        self.detail = lru_cache(maxsize=4096)(self._detail)  # type: ignore[method-assign]
        self.detail_json = lru_cache(maxsize=4096)(  # type: ignore[method-assign]
            lambda iri: json.dumps(self.detail(iri), ensure_ascii=False).encode("utf-8"))

    def plans(self) -> list[dict[str, Any]]:
        rows = self.graph.select(
            "SELECT ?plan ?id ?title ?issued ?issuer ?issuer_label (COUNT(DISTINCT ?t) AS ?tasks) "
            "(COUNT(DISTINCT ?m) AS ?measures) WHERE { ?plan a pko:Plan ; dcterms:identifier ?id ; dcterms:title ?title . "
            "OPTIONAL { ?plan dcterms:issued ?issued } OPTIONAL { ?plan eli:passed_by ?issuer . "
            "?issuer skos:prefLabel ?issuer_label FILTER(LANGMATCHES(LANG(?issuer_label), 'zh')) } "
            "OPTIONAL { ?t a pko:Task ; pko:plan ?plan } OPTIONAL { ?m a pko:Measure ; pko:plan ?plan } } "
            "GROUP BY ?plan ?id ?title ?issued ?issuer ?issuer_label ORDER BY ?id")
        return [{"id": value(r, "id"), "iri": value(r, "plan"), "title": value(r, "title"), "issued": value(r, "issued"),
                 "issuer": value(r, "issuer_label"), "issuer_iri": value(r, "issuer"), "tasks": value(r, "tasks"),
                 "measures": value(r, "measures")} for r in rows]

    def measure_iri(self, plan: str, measure_id: str) -> str:
        if plan not in self._measures:
            raise NotFound(f"no plan {plan!r}")
        iri = self._measures[plan].get(measure_id.removeprefix("#"))
        if iri is None:
            raise NotFound(f"plan {plan!r} has no measure {measure_id!r} (measure ids are 1 to "
                           f"{len(self._measures[plan])}, in document order)")
        return iri

    def measures(self, *, plan: str | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        where = f"?m pko:plan ?p . ?p dcterms:identifier {literal_term(plan)} ." if plan else ""
        rows = self.graph.select(
            "SELECT ?m ?id ?seq ?number ?text ?task_id ?task_title WHERE { ?m a pko:Measure ; pko:seq ?seq ; "
            f"pko:text ?text ; pko:plan ?p ; pko:task ?t . ?p dcterms:identifier ?id . {where} ?t eli:id_local ?task_id ; "
            f"dcterms:title ?task_title . OPTIONAL {{ ?m eli:number ?number }} }} ORDER BY ?id ?seq LIMIT {int(limit)} "
            f"OFFSET {int(offset)}")
        return [{"iri": value(r, "m"), "plan": value(r, "id"), "id": str(value(r, "seq")), "seq": value(r, "seq"),
                 "number": value(r, "number"),
                 "text": value(r, "text"), "task": value(r, "task_id"), "task_title": value(r, "task_title")} for r in rows]

    def _detail(self, iri: str) -> dict[str, Any]:
        node = iri_term(iri)
        rows = self.graph.select(
            "SELECT * WHERE { " + node + " pko:seq ?seq ; pko:text ?text ; pko:task ?task ; pko:plan ?plan . "
            "?plan dcterms:identifier ?plan_id ; dcterms:title ?plan_title . "
            "OPTIONAL { " + node + " eli:number ?number } OPTIONAL { " + node + " pko:numberRaw ?number_raw } "
            "?task eli:id_local ?task_id ; dcterms:title ?task_title . "
            # a measure's own deadline (printed per measure) before its task's
            "OPTIONAL { " + node + " pko:deadline ?own_deadline } OPTIONAL { ?task pko:deadline ?task_deadline } "
            "BIND(COALESCE(?own_deadline, ?task_deadline) AS ?d) "
            "OPTIONAL { ?section eli:has_part ?task ; a pko:Section ; dcterms:title ?section_title ; eli:number ?section_number } "
            "OPTIONAL { ?d rdfs:label ?deadline_raw } OPTIONAL { ?d pko:deadlineType/skos:notation ?deadline_type } "
            "OPTIONAL { ?d pko:deadlineValue ?deadline_value } OPTIONAL { ?d pko:dueBy ?due_by } "
            "OPTIONAL { " + node + " pko:sourceSpan/oa:hasSelector ?sel . ?sel a oa:TextPositionSelector ; "
            "oa:start ?start ; oa:end ?end } }")
        if not rows:
            raise NotFound(f"no measure {iri}")
        r = rows[0]
        detail: dict[str, Any] = {
            "iri": iri, "plan": value(r, "plan_id"), "plan_title": value(r, "plan_title"), "id": str(value(r, "seq")),
            "seq": value(r, "seq"),
            "number": value(r, "number"), "number_raw": value(r, "number_raw"), "text": value(r, "text"),
            "task": {"iri": value(r, "task"), "id": value(r, "task_id"), "title": value(r, "task_title")},
            "section": {"number": value(r, "section_number"), "title": value(r, "section_title")},
            "deadline": {"raw": value(r, "deadline_raw"), "type": value(r, "deadline_type"),
                         "value": value(r, "deadline_value"), "due_by": value(r, "due_by")},
            "source_span": {"start": value(r, "start"), "end": value(r, "end")},
        }
        # A measure's own units where the plan prints them per measure, else its task's.
        units = self._units(node) or self._units(iri_term(detail["task"]["iri"]))
        detail["lead_units"] = [self._ref(u, "unit") for u in units if value(u, "role") == "lead"]
        detail["supporting_units"] = [self._ref(u, "unit") for u in units if value(u, "role") == "supporting"]
        entities = self.graph.select(
            "SELECT ?kind ?e ?label ?label_en WHERE { VALUES (?kind ?p) { " +
            " ".join(f"('{k}' {p})" for k, p in _LINKS.items()) + " } " + node + " ?p ?e . "
            "?e skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), 'zh')) "
            "OPTIONAL { ?e skos:prefLabel ?label_en FILTER(LANGMATCHES(LANG(?label_en), 'en')) } }")
        for kind in _LINKS:
            detail[kind + "s"] = [self._ref(e, kind) for e in entities if value(e, "kind") == kind]
        targets = self.graph.select(
            "SELECT ?t ?value ?unit ?qualifier ?bound ?approximate ?role ?raw WHERE { " + node + " pko:target ?t . "
            "?t schema:value ?value ; schema:unitText ?unit ; pko:role ?role ; rdfs:label ?raw . "
            "OPTIONAL { ?t pko:qualifier ?qualifier } OPTIONAL { ?t pko:bound ?bound } "
            "OPTIONAL { ?t pko:approximate ?approximate } } ORDER BY ?t")
        detail["targets"] = [{"quantity": value(t, "value"), "unit": value(t, "unit"), "qualifier": value(t, "qualifier"),
                              "bound": value(t, "bound"), "approximate": value(t, "approximate"), "role": value(t, "role"),
                              "raw": value(t, "raw")} for t in targets]
        return detail

    def _units(self, node: str) -> list[Row]:
        return self.graph.select(
            "SELECT ?role ?unit ?label WHERE { { " + node + " pko:leadUnit ?unit BIND('lead' AS ?role) } UNION { "
            + node + " pko:supportingUnit ?unit BIND('supporting' AS ?role) } ?unit skos:prefLabel ?label "
            "FILTER(LANGMATCHES(LANG(?label), 'zh')) }")

    def _ref(self, row: Row, kind: str) -> dict[str, Any]:
        iri = value(row, "unit") or value(row, "e")
        ref = {"iri": iri, "id": self.entity_id(iri), "label": value(row, "label")}
        if value(row, "label_en"):
            ref["label_en"] = value(row, "label_en")
        return ref

    def entity_id(self, iri: str) -> str:
        """``field/quantum-technology`` → ``quantum-technology`` (the {id} of /api/fields/{id})."""
        key = iri[len(self.base):] if iri.startswith(self.base) else iri
        return key.split("/", 1)[1] if "/" in key else key

    def entity_iri(self, collection: str, entity_id: str) -> str:
        return f"{self.base}{collection[:-1]}/{encode_path(entity_id)}"


def source_passage(catalog: Catalog, plan: str, start: int, end: int, context: int = 200) -> dict[str, Any]:
    """The measure's passage in the source text with some text either side."""
    if plan not in catalog._measures:
        raise NotFound(f"no plan {plan!r}")
    rows = catalog.graph.select(
        "SELECT ?text WHERE { ?p dcterms:identifier " + literal_term(plan) + " ; dcterms:source ?s . ?s pko:sourceText ?text }")
    if not rows:
        raise NotFound(f"plan {plan!r} has no source text")
    text = value(rows[0], "text")
    if not 0 <= start <= end <= len(text):
        raise NotFound(f"span {start}–{end} lies outside the source text of {plan!r} ({len(text)} characters)")
    return {"plan": plan, "start": start, "end": end, "before": text[max(0, start - context) : start],
            "passage": text[start:end], "after": text[end : end + context]}
