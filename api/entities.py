"""Entity pages' data: units, fields, partners, places and tasks with their measures, and the
field and place hierarchies (narrower fields, places inside a place)."""

from __future__ import annotations

from typing import Any

from api.catalog import KINDS, Catalog, NotFound
from kg.store.terms import iri_term, literal_term, value

_MEASURES_OF = {
    "units": "{ ?t pko:leadUnit ?e } UNION { ?t pko:supportingUnit ?e } ?m pko:task ?t .",
    "fields": "?m pko:field ?e .",
    "partners": "?m pko:partner ?e .",
    "places": "?m pko:place ?e .",
    "instruments": "?m pko:instrument ?e .",
}
# Measures reached through the hierarchy: a broad field reaches narrower ones, a city its districts.
_WITHIN = {"fields": "?inner skos:broader+ ?e . ?m pko:field ?inner .",
           "places": "?inner schema:containedInPlace+ ?e . ?m pko:place ?inner ."}
_UP = {"fields": "skos:broader", "places": "schema:containedInPlace", "units": "org:unitOf|org:subOrganizationOf",
       "partners": "pko:country"}


def entity_list(catalog: Catalog, collection: str, *, include_unused: bool = False) -> list[dict[str, Any]]:
    kind = _kind(collection)
    rows = catalog.graph.select(
        f"SELECT ?e ?label ?label_en ?sub (COUNT(DISTINCT ?m) AS ?measures) WHERE {{ ?e a pko:{kind} ; skos:prefLabel ?label "
        "FILTER(LANGMATCHES(LANG(?label), 'zh')) OPTIONAL { ?e skos:prefLabel ?label_en FILTER(LANGMATCHES(LANG(?label_en), 'en')) } "
        "OPTIONAL { ?e pko:partnerKind|pko:placeKind|pko:unitKind ?k . ?k skos:notation ?sub } "
        f"OPTIONAL {{ {_MEASURES_OF[collection]} }} }} GROUP BY ?e ?label ?label_en ?sub ORDER BY DESC(?measures) ?label"
    )
    entries = [{"iri": value(r, "e"), "id": catalog.entity_id(value(r, "e")), "label": value(r, "label"),
                "label_en": value(r, "label_en"), "kind": value(r, "sub"), "measures": value(r, "measures")} for r in rows]
    return entries if include_unused else [e for e in entries if e["measures"]]


def entity_detail(catalog: Catalog, collection: str, entity_id: str) -> dict[str, Any]:
    kind = _kind(collection)
    iri = catalog.entity_iri(collection, entity_id)
    node = iri_term(iri)
    labels = catalog.graph.select(
        f"SELECT ?p ?label WHERE {{ {node} a pko:{kind} ; ?p ?label . VALUES ?p {{ skos:prefLabel skos:altLabel }} }}")
    if not labels:
        raise NotFound(f"no {collection[:-1]} {entity_id!r}")
    pref = [r for r in labels if value(r, "p").endswith("prefLabel")]
    detail: dict[str, Any] = {
        "iri": iri, "id": entity_id, "type": collection[:-1],
        "label": next((value(r, "label") for r in pref if r["label"].get("xml:lang", "").startswith("zh")), None),
        "label_en": next((value(r, "label") for r in pref if r["label"].get("xml:lang", "").startswith("en")), None),
        "alt_labels": sorted({value(r, "label") for r in labels if value(r, "p").endswith("altLabel")}),
    }
    if collection in _UP:
        detail["broader"] = _related(catalog, f"{node} {_UP[collection]} ?x .")
        detail["narrower"] = _related(catalog, f"?x {_UP[collection]} {node} .")
    detail["measures"] = _measures(catalog, _MEASURES_OF[collection].replace("?e", node))
    if collection in _WITHIN:
        direct = {m["iri"] for m in detail["measures"]}
        detail["measures_within"] = [m for m in _measures(catalog, _WITHIN[collection].replace("?e", node))
                                     if m["iri"] not in direct]
    return detail


def tasks(catalog: Catalog, plan: str) -> list[dict[str, Any]]:
    rows = catalog.graph.select(
        "SELECT ?t ?id ?index ?title ?deadline ?due (COUNT(DISTINCT ?m) AS ?measures) WHERE { ?t a pko:Task ; "
        f"pko:plan ?p ; eli:id_local ?id ; pko:index ?index ; dcterms:title ?title ; pko:deadline ?d . "
        f"?p dcterms:identifier {literal_term(plan)} . OPTIONAL {{ ?d rdfs:label ?deadline }} OPTIONAL {{ ?d pko:dueBy ?due }} "
        "OPTIONAL { ?m pko:task ?t } } GROUP BY ?t ?id ?index ?title ?deadline ?due ORDER BY ?index")
    if not rows and plan not in catalog._measures:
        raise NotFound(f"no plan {plan!r}")
    return [{"iri": value(r, "t"), "id": value(r, "id"), "title": value(r, "title"), "deadline": value(r, "deadline"),
             "due_by": value(r, "due"), "measures": value(r, "measures")} for r in rows]


def task_detail(catalog: Catalog, plan: str, task_id: str) -> dict[str, Any]:
    match = [t for t in tasks(catalog, plan) if t["id"] == task_id]
    if not match:
        raise NotFound(f"plan {plan!r} has no task {task_id!r}")
    task = match[0]
    task["measures"] = _measures(catalog, f"?m pko:task {iri_term(task['iri'])} .")
    units = catalog.graph.select(
        f"SELECT ?role ?unit ?label WHERE {{ {{ {iri_term(task['iri'])} pko:leadUnit ?unit BIND('lead' AS ?role) }} UNION "
        f"{{ {iri_term(task['iri'])} pko:supportingUnit ?unit BIND('supporting' AS ?role) }} ?unit skos:prefLabel ?label "
        "FILTER(LANGMATCHES(LANG(?label), 'zh')) }")
    task["lead_units"] = [catalog._ref(u, "unit") for u in units if value(u, "role") == "lead"]
    task["supporting_units"] = [catalog._ref(u, "unit") for u in units if value(u, "role") == "supporting"]
    return task


def _measures(catalog: Catalog, pattern: str) -> list[dict[str, Any]]:
    rows = catalog.graph.select(
        "SELECT DISTINCT ?m ?id ?seq ?number ?text WHERE { " + pattern + " ?m a pko:Measure ; pko:seq ?seq ; "
        "pko:text ?text ; pko:plan/dcterms:identifier ?id . OPTIONAL { ?m eli:number ?number } } ORDER BY ?id ?seq LIMIT 500")
    return [{"iri": value(r, "m"), "plan": value(r, "id"), "id": str(value(r, "seq")), "seq": value(r, "seq"),
             "number": value(r, "number"),
             "text": value(r, "text")} for r in rows]


def _related(catalog: Catalog, pattern: str) -> list[dict[str, Any]]:
    rows = catalog.graph.select(
        "SELECT DISTINCT ?x ?label WHERE { " + pattern + " ?x skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), 'zh')) } "
        "ORDER BY ?label")
    return [{"iri": value(r, "x"), "id": catalog.entity_id(value(r, "x")), "label": value(r, "label")} for r in rows]


def _kind(collection: str) -> str:
    if collection not in KINDS:
        raise NotFound(f"no collection {collection!r}; use {', '.join(KINDS)}")
    return KINDS[collection]
