"""Entity pages' data: units, fields, partners, places and tasks with their measures, and the
field and place hierarchies (narrower fields, places inside a place)."""

from __future__ import annotations

from typing import Any

from api.catalog import KINDS, Catalog, NotFound, _iri, _literal, _v

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
    entries = [{"iri": _v(r, "e"), "id": catalog.entity_id(_v(r, "e")), "label": _v(r, "label"),
                "label_en": _v(r, "label_en"), "kind": _v(r, "sub"), "measures": _v(r, "measures")} for r in rows]
    return entries if include_unused else [e for e in entries if e["measures"]]


def entity_detail(catalog: Catalog, collection: str, entity_id: str) -> dict[str, Any]:
    kind = _kind(collection)
    iri = catalog.entity_iri(collection, entity_id)
    node = _iri(iri)
    labels = catalog.graph.select(
        f"SELECT ?p ?label WHERE {{ {node} a pko:{kind} ; ?p ?label . VALUES ?p {{ skos:prefLabel skos:altLabel }} }}")
    if not labels:
        raise NotFound(f"no {collection[:-1]} {entity_id!r}")
    pref = [r for r in labels if _v(r, "p").endswith("prefLabel")]
    detail: dict[str, Any] = {
        "iri": iri, "id": entity_id, "type": collection[:-1],
        "label": next((_v(r, "label") for r in pref if r["label"].get("xml:lang", "").startswith("zh")), None),
        "label_en": next((_v(r, "label") for r in pref if r["label"].get("xml:lang", "").startswith("en")), None),
        "alt_labels": sorted({_v(r, "label") for r in labels if _v(r, "p").endswith("altLabel")}),
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
        f"?p dcterms:identifier {_literal(plan)} . OPTIONAL {{ ?d rdfs:label ?deadline }} OPTIONAL {{ ?d pko:dueBy ?due }} "
        "OPTIONAL { ?m pko:task ?t } } GROUP BY ?t ?id ?index ?title ?deadline ?due ORDER BY ?index")
    if not rows and plan not in catalog._measures:
        raise NotFound(f"no plan {plan!r}")
    return [{"iri": _v(r, "t"), "id": _v(r, "id"), "title": _v(r, "title"), "deadline": _v(r, "deadline"),
             "due_by": _v(r, "due"), "measures": _v(r, "measures")} for r in rows]


def task_detail(catalog: Catalog, plan: str, task_id: str) -> dict[str, Any]:
    match = [t for t in tasks(catalog, plan) if t["id"] == task_id]
    if not match:
        raise NotFound(f"plan {plan!r} has no task {task_id!r}")
    task = match[0]
    task["measures"] = _measures(catalog, f"?m pko:task {_iri(task['iri'])} .")
    units = catalog.graph.select(
        f"SELECT ?role ?unit ?label WHERE {{ {{ {_iri(task['iri'])} pko:leadUnit ?unit BIND('lead' AS ?role) }} UNION "
        f"{{ {_iri(task['iri'])} pko:supportingUnit ?unit BIND('supporting' AS ?role) }} ?unit skos:prefLabel ?label "
        "FILTER(LANGMATCHES(LANG(?label), 'zh')) }")
    task["lead_units"] = [catalog._ref(u, "unit") for u in units if _v(u, "role") == "lead"]
    task["supporting_units"] = [catalog._ref(u, "unit") for u in units if _v(u, "role") == "supporting"]
    return task


def _measures(catalog: Catalog, pattern: str) -> list[dict[str, Any]]:
    rows = catalog.graph.select(
        "SELECT DISTINCT ?m ?id ?seq ?number ?text WHERE { " + pattern + " ?m a pko:Measure ; pko:seq ?seq ; "
        "pko:text ?text ; pko:plan/dcterms:identifier ?id . OPTIONAL { ?m eli:number ?number } } ORDER BY ?id ?seq LIMIT 500")
    return [{"iri": _v(r, "m"), "plan": _v(r, "id"), "seq": _v(r, "seq"), "number": _v(r, "number"),
             "text": _v(r, "text")} for r in rows]


def _related(catalog: Catalog, pattern: str) -> list[dict[str, Any]]:
    rows = catalog.graph.select(
        "SELECT DISTINCT ?x ?label WHERE { " + pattern + " ?x skos:prefLabel ?label FILTER(LANGMATCHES(LANG(?label), 'zh')) } "
        "ORDER BY ?label")
    return [{"iri": _v(r, "x"), "id": catalog.entity_id(_v(r, "x")), "label": _v(r, "label")} for r in rows]


def _kind(collection: str) -> str:
    if collection not in KINDS:
        raise NotFound(f"no collection {collection!r}; use {', '.join(KINDS)}")
    return KINDS[collection]
