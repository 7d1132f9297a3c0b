"""Graph analytics with networkx: measures and the entities they share.

``MeasureNetwork`` is a bipartite ``digraph``-free view (an undirected ``nx.Graph``): measure
nodes linked to their fields, partners, places, instruments, lead units and task. ``related``
ranks other measures by the shared nodes, rarer nodes counting more, and returns those shared
nodes as the explanation.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.store.backend import GraphBackend

KIND_WEIGHTS = {"field": 3.0, "partner": 3.0, "place": 2.0, "instrument": 2.0, "unit": 1.0, "task": 1.5}
_NEIGHBOURS = """
SELECT ?measure ?kind ?entity ?label WHERE {
  ?measure a pko:Measure ; pko:task ?task .
  { ?measure pko:field ?entity BIND("field" AS ?kind) }
  UNION { ?measure pko:partner ?entity BIND("partner" AS ?kind) }
  UNION { ?measure pko:place ?entity BIND("place" AS ?kind) }
  UNION { ?measure pko:instrument ?entity BIND("instrument" AS ?kind) }
  UNION { ?task pko:leadUnit ?entity BIND("unit" AS ?kind) }
  UNION { ?measure pko:task ?entity BIND("task" AS ?kind) }
  OPTIONAL { ?entity skos:prefLabel|dcterms:title ?label FILTER(LANGMATCHES(LANG(?label), "zh")) }
}
"""


@dataclass(frozen=True)
class SharedNode:
    kind: str
    iri: str
    label: str


@dataclass(frozen=True)
class RelatedMeasure:
    iri: str
    score: float
    shared: tuple[SharedNode, ...]


class MeasureNetwork:
    def __init__(self, graph: nx.Graph) -> None:
        self.graph = graph

    @classmethod
    def from_backend(cls, backend: GraphBackend) -> MeasureNetwork:
        graph = nx.Graph()
        for row in backend.select(_NEIGHBOURS):
            measure, entity = row["measure"]["value"], row["entity"]["value"]
            kind = row["kind"]["value"]
            label = row["label"]["value"] if "label" in row else entity.rsplit("/", 1)[-1]
            if measure not in graph:
                graph.add_node(measure, kind="measure", label="措施" + measure.rsplit("/", 1)[-1])
            if entity not in graph or "label" not in graph.nodes[entity]:
                graph.add_node(entity, kind=kind, label=label)
            graph.add_edge(measure, entity, kind=kind)
        return cls(graph)

    def measures(self) -> list[str]:
        return [n for n, data in self.graph.nodes(data=True) if data.get("kind") == "measure"]

    def related(self, measure: str, k: int = 10) -> list[RelatedMeasure]:
        if measure not in self.graph:
            raise KeyError(measure)
        scores: dict[str, float] = defaultdict(float)
        shared: dict[str, list[SharedNode]] = defaultdict(list)
        for entity in self.graph.neighbors(measure):
            data = self.graph.nodes[entity]
            others = [m for m in self.graph.neighbors(entity) if m != measure]
            if not others:
                continue
            # A node shared by few measures says more than one shared by half the plan.
            weight = KIND_WEIGHTS[data["kind"]] / math.log2(1 + len(others) + 1)
            node = SharedNode(kind=data["kind"], iri=entity, label=data["label"])
            for other in others:
                scores[other] += weight
                shared[other].append(node)
        ranked = sorted(scores, key=lambda m: (-scores[m], m))[:k]
        return [RelatedMeasure(iri=m, score=round(scores[m], 4), shared=tuple(shared[m])) for m in ranked]

    def neighbourhood(self, iri: str, limit: int = 40) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Nodes and edges around a measure (its entities, then measures sharing them) or around
        an entity (its measures, then their other entities), at most ``limit`` nodes."""
        if iri not in self.graph:
            raise KeyError(iri)
        nodes = [iri]
        seen = {iri}
        edges: list[tuple[str, str]] = []
        for first in sorted(self.graph.neighbors(iri)):
            if len(nodes) >= limit:
                break
            nodes.append(first)
            seen.add(first)
            edges.append((iri, first))
        for first in list(nodes[1:]):
            for second in sorted(self.graph.neighbors(first)):
                if len(nodes) >= limit:
                    break
                if second not in seen:
                    nodes.append(second)
                    seen.add(second)
                edges.append((first, second))
        data = [{"id": n, "label": self.graph.nodes[n].get("label", ""), "kind": self.graph.nodes[n]["kind"]}
                for n in nodes]
        unique = sorted({(a, b) for a, b in edges if a in seen and b in seen})
        return data, [{"source": a, "target": b} for a, b in unique]
