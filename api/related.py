"""Related measures: the graph's shared nodes (networkx) and the encoder's similarity, together."""

from __future__ import annotations

from typing import Any

GRAPH_SHARE = 0.6  # the rest is embedding similarity


def related_measures(artifacts: Any, iri: str, k: int) -> list[dict[str, Any]]:
    network = artifacts.graph.network()
    graph_hits = {r.iri: r for r in network.related(iri, 50)} if iri in network.graph else {}
    similar: dict[str, float] = {}
    if artifacts.search is not None:
        try:
            similar = dict(artifacts.search.engine.similar(iri, 50))
        except KeyError:
            similar = {}
    top_graph = max((r.score for r in graph_hits.values()), default=0.0) or 1.0
    low = min(similar.values(), default=0.0)
    high = max(similar.values(), default=1.0)
    scored = []
    for candidate in set(graph_hits) | set(similar):
        graph_part = graph_hits[candidate].score / top_graph if candidate in graph_hits else 0.0
        sim = similar.get(candidate)
        sim_part = (sim - low) / (high - low) if sim is not None and high > low else 0.0
        scored.append((GRAPH_SHARE * graph_part + (1 - GRAPH_SHARE) * sim_part, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    results = []
    for score, candidate in scored[:k]:
        shared = graph_hits[candidate].shared if candidate in graph_hits else ()
        summary = artifacts.catalog.detail(candidate)
        results.append({
            "iri": candidate, "plan": summary["plan"], "id": summary["id"], "number": summary["number"],
            "seq": summary["seq"],
            "text": summary["text"], "task": summary["task"]["id"], "score": round(score, 4),
            "why": {"shared": [{"kind": s.kind, "iri": s.iri, "label": s.label} for s in shared],
                    "similarity": round(similar[candidate], 4) if candidate in similar else None},
        })
    return results
