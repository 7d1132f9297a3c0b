"""A parsed plan and its extraction → the triples of the plan's own named graph.

The graph describes the plan with ELI, schema.org, DCTERMS, PROV-O, OWL-Time and Web
Annotation terms plus pko: terms, every fact pointing back to its passage of the source text
through an oa:SpecificResource with position and quote selectors. IRIs are minted from the
base by kg.rdf.iri, so the same input under the same base always gives the same graph.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, TIME, XSD
from rdflib.plugins.stores.memory import SimpleMemory

from kg.model import Deadline, Entity, Extraction, Measure, Mention, NumericTarget, Plan, Task
from kg.rdf.iri import entity_iri, measure_iri, normalise_base, plan_iri, section_iri, source_iri, task_iri
from kg.rdf.vocab import (
    DEADLINE_TYPES,
    ELI,
    OA,
    PARTNER_KINDS,
    PKO,
    PLACE_KINDS,
    SCHEMA,
    UNIT_KINDS,
    bind_prefixes,
    kind_iri,
)

__all__ = ["load_vocabulary", "plan_graph"]

_QUOTE_CONTEXT = 16  # characters of oa:prefix / oa:suffix: enough to place a short quote
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CJK = re.compile(r"[\u3400-\u9fff]")

_MENTION_PROPERTIES = MappingProxyType({
    "field": PKO.field, "partner": PKO.partner, "place": PKO.place, "instrument": PKO.instrument,
})
_KIND_PROPERTIES = MappingProxyType({
    "partner": (PKO.partnerKind, PARTNER_KINDS), "place": (PKO.placeKind, PLACE_KINDS),
    "unit": (PKO.unitKind, UNIT_KINDS),
})
# Partners get org:Organization or schema:Country once their kind is known (see _new_entity).
_ENTITY_CLASSES = MappingProxyType({
    "field": (PKO.Field, SKOS.Concept), "instrument": (PKO.Instrument, SKOS.Concept),
    "unit": (PKO.Unit, ORG.Organization), "place": (PKO.Place, SCHEMA.Place), "partner": (PKO.Partner,),
})


_Object = URIRef | Literal | None


@dataclass(frozen=True)
class _Context:
    graph: Graph
    plan: Plan
    base: str
    node: URIRef  # the plan
    source: URIRef

    def add(self, subject: URIRef, *pairs: tuple[URIRef, _Object]) -> URIRef:
        """Add (subject, predicate, object) for each pair, skipping absent (None) objects."""
        for predicate, obj in pairs:
            if obj is not None:
                self.graph.add((subject, predicate, obj))
        return subject


def _zh(text: str | None) -> Literal | None:
    return Literal(text, lang="zh") if text else None


def _plain(value: str | None) -> Literal | None:
    return Literal(value) if value else None


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _types(*classes: URIRef) -> tuple[tuple[URIRef, URIRef], ...]:
    return tuple((RDF.type, cls) for cls in classes)


def plan_graph(plan: Plan, extraction: Extraction, *, base: str, generated_at: str | None = None) -> Graph:
    """All triples of one plan's named graph; ``generated_at`` is an xsd:dateTime for provenance."""
    base = normalise_base(base)
    node = plan_iri(base, plan.id)
    # SimpleMemory: a plan's graph is written once and read back whole, so the indexes of the
    # default store only cost time (about a third of graph building).
    ctx = _Context(bind_prefixes(Graph(store=SimpleMemory())), plan, base, node, source_iri(node))
    task_nodes = {task.id: task_iri(node, task.index) for task in plan.tasks}
    measure_nodes = {measure.seq: measure_iri(node, measure.seq) for measure in plan.measures}
    section_nodes = {section.number: section_iri(node, section.index) for section in plan.sections}

    loose_tasks = [task_nodes[t.id] for t in plan.tasks if t.section is None]
    _plan(ctx, extraction, generated_at, [*section_nodes.values(), *loose_tasks])
    for section in plan.sections:
        ctx.add(section_nodes[section.number], *_types(PKO.Section, ELI.LegalResourceSubdivision),
                (ELI.number, Literal(section.number)), (PKO.index, _integer(section.index)),
                (DCTERMS.title, _zh(section.title)), (RDFS.label, _zh(f"{section.number}、{section.title}")),
                (ELI.is_part_of, node), *((ELI.has_part, task_nodes[t]) for t in section.tasks))
    for task in plan.tasks:
        if task.section is not None and task.section not in section_nodes:
            raise ValueError(f"{plan.file}: task {task.id} names section {task.section!r}, which the plan lacks")
        parent = section_nodes[task.section] if task.section is not None else node
        _task(ctx, task, task_nodes[task.id], parent, [measure_nodes[s] for s in task.measures], extraction)
    for measure in plan.measures:
        _measure(ctx, measure, measure_nodes[measure.seq], task_nodes[measure.task], extraction)
    _mentions(ctx, extraction.mentions, task_nodes, measure_nodes)
    _targets(ctx, extraction, task_nodes, measure_nodes)
    for entity in extraction.new_entities:
        _new_entity(ctx, entity)
    return ctx.graph


def load_vocabulary(ontology_dir: Path, *, base: str) -> Graph:
    """The ontology and the curated vocabularies, their relative entity IRIs resolved against ``base``."""
    base = normalise_base(base)
    graph = bind_prefixes(Graph())
    for path in [ontology_dir / "policykg.ttl", *sorted((ontology_dir / "vocab").glob("*.ttl"))]:
        graph.parse(path, format="turtle", publicID=base)
    return graph


def _plan(ctx: _Context, extraction: Extraction, generated_at: str | None, parts: list[URIRef]) -> None:
    plan, node, source = ctx.plan, ctx.node, ctx.source
    issued = Literal(_checked_date(plan.issue_date, plan.file), datatype=XSD.date) if plan.issue_date else None
    issuer = entity_iri(ctx.base, extraction.issuer_key) if extraction.issuer_key else None
    ctx.add(node, *_types(PKO.Plan, ELI.LegalResource, SCHEMA.Legislation),
            (DCTERMS.title, _zh(plan.title)), (ELI.title, _zh(plan.title)), (RDFS.label, _zh(plan.title)),
            (DCTERMS.alternative, _zh(plan.subtitle)),
            (DCTERMS.identifier, Literal(plan.id)), (DCTERMS.language, Literal("zh")),
            (SCHEMA.legislationType, _zh("实施方案") if plan.title.endswith("实施方案") else None),
            (DCTERMS.issued, issued), (ELI.date_document, issued),
            (ELI.passed_by, issuer), (DCTERMS.publisher, issuer),
            (PKO.issuingOffice, _zh(plan.issuing_office)), (PKO.issuerShort, _zh(plan.issuer_short)),
            *((ELI.has_part, part) for part in parts),
            (DCTERMS.source, source), (PROV.hadPrimarySource, source))
    ctx.add(source, *_types(PKO.SourceDocument, PROV.Entity),
            (PKO.fileName, Literal(plan.file)), (PKO.encoding, Literal(plan.encoding)),
            (PKO.sha256, Literal(hashlib.sha256(plan.text.encode("utf-8")).hexdigest())),
            # A plain string, not @zh: offsets count its characters and it must round-trip unchanged.
            (PKO.sourceText, Literal(plan.text)), (DCTERMS.format, Literal("text/plain")))
    build, agent = URIRef(f"{node}/build"), URIRef(f"{ctx.base}agent/policykg")
    ctx.add(node, (PROV.wasGeneratedBy, build))
    ctx.add(build, *_types(PROV.Activity), (PROV.used, source), (PROV.wasAssociatedWith, agent),
            (PROV.endedAtTime, _date_time(generated_at) if generated_at is not None else None))
    ctx.add(agent, *_types(PROV.SoftwareAgent), (RDFS.label, Literal("policykg")))


def _task(ctx: _Context, task: Task, node: URIRef, parent: URIRef, measures: list[URIRef],
          extraction: Extraction) -> None:
    units = _units(ctx, extraction, task.lead_units, task.supporting_units, f"task {task.id}")
    ctx.add(node, *_types(PKO.Task, ELI.LegalResourceSubdivision),
            (ELI.number, Literal(task.number)), (ELI.id_local, Literal(task.id)),
            (PKO.numberRaw, _plain(task.number_raw)), (PKO.index, _integer(task.index)),
            (DCTERMS.title, _zh(task.title)), (RDFS.label, _zh(task.title)),
            (ELI.is_part_of, parent), (PKO.plan, ctx.node),
            (PKO.measureHeader, _zh(task.measure_header)), (PKO.unitLabel, _zh(task.unit_label)),
            *units, *((ELI.has_part, measure) for measure in measures),
            (PKO.deadline, _deadline(ctx, task.deadline, URIRef(f"{node}/deadline"))),
            (PKO.sourceSpan, _span(ctx, URIRef(f"{node}/span"), task.title_start, task.title_end)))


def _units(ctx: _Context, extraction: Extraction, lead: tuple[str, ...], supporting: tuple[str, ...],
           where: str) -> list[tuple[URIRef, URIRef]]:
    units: list[tuple[URIRef, URIRef]] = []
    for prop, names in ((PKO.leadUnit, lead), (PKO.supportingUnit, supporting)):
        for name in names:
            try:
                units.append((prop, entity_iri(ctx.base, extraction.unit_key(name))))
            except KeyError:
                raise ValueError(f"{ctx.plan.file}: {where}: no unit key for {name!r}") from None
    return units


def _deadline(ctx: _Context, deadline: Deadline, node: URIRef) -> URIRef:
    if deadline.type not in DEADLINE_TYPES:
        raise ValueError(f"{ctx.plan.file}: unknown deadline type {deadline.type!r} at {node}")
    instants: list[tuple[URIRef, URIRef]] = []
    for prop, month, name in ((TIME.hasBeginning, deadline.start, "start"), (TIME.hasEnd, deadline.end, "end")):
        if month is not None:
            instant = ctx.add(URIRef(f"{node}/{name}"), *_types(TIME.Instant),
                              (TIME.inXSDgYearMonth, _year_month(month, ctx.plan.file)))
            instants.append((prop, instant))
    due = _year_month(deadline.end, ctx.plan.file) if deadline.end is not None else None
    return ctx.add(node, *_types(PKO.Deadline, TIME.Interval), (PKO.deadlineType, DEADLINE_TYPES[deadline.type]),
                   (RDFS.label, _zh(deadline.raw)), (PKO.deadlineValue, _plain(deadline.value)),
                   *instants, (PKO.dueBy, due))


def _measure(ctx: _Context, measure: Measure, node: URIRef, task: URIRef, extraction: Extraction) -> None:
    shown = measure.number or str(measure.seq)
    # Units and a deadline of its own where the plan prints them per measure (a trailing
    # bracket); otherwise the task's apply and the measure carries none.
    own = measure.units_raw is not None
    units = _units(ctx, extraction, measure.lead_units, measure.supporting_units, f"measure {measure.seq}") if own else []
    deadline = (_deadline(ctx, measure.deadline, URIRef(f"{node}/deadline"))
                if own and measure.deadline is not None else None)
    ctx.add(node, *_types(PKO.Measure, ELI.LegalResourceSubdivision), *units, (PKO.deadline, deadline),
            (PKO.unitLabel, _zh(measure.unit_label) if own else None),
            (ELI.number, _plain(measure.number)), (PKO.numberRaw, _plain(measure.number_raw)),
            (PKO.seq, _integer(measure.seq)), (PKO.text, _zh(measure.text)),
            (RDFS.label, _zh(f"措施（{shown}）")), (RDFS.label, Literal(f"Measure {shown}", lang="en")),
            (ELI.is_part_of, task), (PKO.task, task), (PKO.plan, ctx.node),
            (PROV.wasDerivedFrom, ctx.source),
            (PKO.sourceSpan, _span(ctx, URIRef(f"{node}/span"), measure.start, measure.end)))


def _span(ctx: _Context, node: URIRef, start: int, end: int) -> URIRef:
    """Describe the passage text[start:end] as an oa:SpecificResource over the source document."""
    text = ctx.plan.text
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"{ctx.plan.file}: span {start}-{end} of {node} lies outside the text ({len(text)} chars)")
    position = ctx.add(URIRef(f"{node}/position"), *_types(OA.TextPositionSelector),
                       (OA.start, Literal(start, datatype=XSD.integer)),
                       (OA.end, Literal(end, datatype=XSD.integer)))
    quote = ctx.add(URIRef(f"{node}/quote"), *_types(OA.TextQuoteSelector), (OA.exact, Literal(text[start:end])),
                    (OA.prefix, _plain(text[max(0, start - _QUOTE_CONTEXT) : start])),
                    (OA.suffix, _plain(text[end : end + _QUOTE_CONTEXT])))
    return ctx.add(node, *_types(OA.SpecificResource), (OA.hasSource, ctx.source),
                   (OA.hasSelector, position), (OA.hasSelector, quote))


def _mentions(ctx: _Context, mentions: tuple[Mention, ...], tasks: dict[str, URIRef],
              measures: dict[int, URIRef]) -> None:
    by_holder: dict[URIRef, list[Mention]] = defaultdict(list)
    for mention in mentions:
        if mention.kind == "unit":  # units are linked through pko:leadUnit / pko:supportingUnit
            continue
        if mention.kind not in _MENTION_PROPERTIES:
            raise ValueError(f"{ctx.plan.file}: unknown mention kind {mention.kind!r}")
        holder = measures[mention.measure] if mention.measure is not None else tasks[mention.task]
        by_holder[holder].append(mention)
    for holder, found in by_holder.items():
        # Numbered in text order, not extraction order, so IRIs survive a reordered extractor.
        found.sort(key=lambda m: (m.start, m.end, m.kind, m.entity))
        for n, mention in enumerate(found, start=1):
            entity, node = entity_iri(ctx.base, mention.entity), URIRef(f"{holder}/mention/{n}")
            ctx.add(holder, (_MENTION_PROPERTIES[mention.kind], entity))
            # The quote selector holds the source slice; the surface (page breaks repaired) is the label.
            ctx.add(node, *_types(PKO.Mention, OA.Annotation), (OA.motivatedBy, OA.identifying),
                    (OA.hasBody, entity), (RDFS.label, _zh(mention.surface)),
                    (OA.hasTarget, _span(ctx, URIRef(f"{node}/span"), mention.start, mention.end)),
                    (PKO.inTask, tasks[mention.task]),
                    (PKO.inMeasure, holder if mention.measure is not None else None))


def _targets(ctx: _Context, extraction: Extraction, tasks: dict[str, URIRef], measures: dict[int, URIRef]) -> None:
    by_holder: dict[URIRef, list[NumericTarget]] = defaultdict(list)
    for target in (*extraction.targets, *extraction.overall_targets):
        if target.measure is not None:
            holder = measures[target.measure]
        else:
            holder = tasks[target.task] if target.task is not None else ctx.node
        by_holder[holder].append(target)
    for holder, found in by_holder.items():
        found.sort(key=lambda t: (t.start, t.end, t.raw))
        link = PKO.overallTarget if holder == ctx.node else PKO.target
        for n, target in enumerate(found, start=1):
            node = URIRef(f"{holder}/target/{n}")
            ctx.add(holder, (link, node))
            ctx.add(node, *_types(PKO.NumericTarget, SCHEMA.QuantitativeValue),
                    (SCHEMA.value, _number(target.quantity)), (SCHEMA.unitText, Literal(target.unit)),
                    (PKO.approximate, Literal(target.approx)), (PKO.bound, _plain(target.bound)),
                    (PKO.qualifier, _zh(target.qualifier)), (PKO.role, Literal(target.role)),
                    (RDFS.label, _zh(target.raw)),
                    (PKO.sourceSpan, _span(ctx, URIRef(f"{node}/span"), target.start, target.end)))


def _new_entity(ctx: _Context, entity: Entity) -> None:
    """Describe an entity found by pattern, typed so that the shapes' class constraints hold."""
    node = entity_iri(ctx.base, entity.key)
    if entity.kind not in _ENTITY_CLASSES:
        raise ValueError(f"{ctx.plan.file}: unknown entity kind {entity.kind!r} for {entity.key}")
    kind: URIRef | None = None
    if entity.kind in _KIND_PROPERTIES and entity.subkind:
        prop, table = _KIND_PROPERTIES[entity.kind]
        try:
            kind = kind_iri(table, entity.subkind)
        except ValueError as error:
            raise ValueError(f"{ctx.plan.file}: entity {entity.key}: {error}") from None
        ctx.add(node, (prop, kind))
    if entity.kind == "partner":
        ctx.add(node, (RDF.type, SCHEMA.Country if kind == PKO.CountryPartner else ORG.Organization))
    alt_labels = ((SKOS.altLabel, Literal(label, lang="zh" if _CJK.search(label) else "en"))
                  for label in entity.labels if label != entity.name)
    ctx.add(node, *_types(*_ENTITY_CLASSES[entity.kind]), (SKOS.prefLabel, _zh(entity.name)), *alt_labels,
            (PKO.foreign, Literal(entity.foreign) if entity.kind in ("partner", "place") else None),
            (PKO.extractedBy, Literal("pattern")))


def _number(quantity: float | int) -> Literal:
    if isinstance(quantity, bool):
        raise ValueError(f"numeric target quantity must be a number, not {quantity!r}")
    if isinstance(quantity, int):
        return Literal(quantity, datatype=XSD.integer)
    return Literal(Decimal(repr(quantity)), datatype=XSD.decimal)


def _year_month(month: str, file: str) -> Literal:
    if not _YEAR_MONTH.match(month):
        raise ValueError(f"{file}: deadline month {month!r} is not YYYY-MM")
    return Literal(month, datatype=XSD.gYearMonth)


def _checked_date(value: str, file: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"{file}: issue date {value!r} is not YYYY-MM-DD") from None


def _date_time(value: str) -> Literal:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"generated_at {value!r} is not an ISO 8601 date-time") from None
    # Re-serialised by rdflib, so "2024-05-01T08:00" still becomes a valid xsd:dateTime.
    return Literal(parsed, datatype=XSD.dateTime)
