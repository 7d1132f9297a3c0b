"""The pko: terms (declared in ontology/policykg.ttl) and the other namespaces the graph uses.

``PKO`` fails on unknown attributes, so a typo in a term is an error at first use rather than
a silently minted IRI; tests/test_vocab_sync.py keeps it equal to the ontology document.
"""

# No ``from __future__ import annotations`` here: DefinedNamespace reads the annotations as
# classes (e.g. for JSON-LD contexts), not as strings.

from collections.abc import Mapping
from types import MappingProxyType

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg.namespaces import PKO_NS, PREFIXES

__all__ = [
    "DEADLINE_TYPES",
    "ELI",
    "OA",
    "ONTOLOGY_IRI",
    "PKO",
    "PARTNER_KINDS",
    "PLACE_KINDS",
    "SCHEMA",
    "UNIT_KINDS",
    "bind_prefixes",
    "kind_iri",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/policykg/ontology")

ELI = Namespace(PREFIXES["eli"])
SCHEMA = Namespace(PREFIXES["schema"])
OA = Namespace(PREFIXES["oa"])


class PKO(DefinedNamespace):
    """The PolicyKG ontology namespace."""

    _fail = True
    _NS = Namespace(PKO_NS)

    # classes: document structure
    Plan: URIRef  # a policy plan (实施方案)
    Section: URIRef  # a top-level numbered part of a plan (一、二、…)
    Task: URIRef  # a numbered task with measures, deadline and units
    Measure: URIRef  # one concrete measure of a task
    SourceDocument: URIRef  # the decoded text file a plan was read from
    Mention: URIRef  # an annotation: a passage names a vocabulary entity
    # classes: facts
    Deadline: URIRef  # a task's normalised deadline (a time:Interval)
    NumericTarget: URIRef  # a number with its unit (a schema:QuantitativeValue)
    # classes: entities
    Field: URIRef  # a technology or industry field (skos:Concept)
    Instrument: URIRef  # a policy instrument (skos:Concept)
    Partner: URIRef  # a partner body or country
    Place: URIRef  # an administrative area, zone or foreign place
    Unit: URIRef  # a department, internal division or affiliated body
    # classes: kinds
    DeadlineType: URIRef  # how precisely a deadline is stated
    PartnerKind: URIRef  # the kind of a partner
    PlaceKind: URIRef  # the kind or administrative level of a place
    UnitKind: URIRef  # the kind of a unit

    # structure properties
    plan: URIRef  # task/measure → its plan
    task: URIRef  # measure → its task
    seq: URIRef  # measure's 1-based position in the document
    index: URIRef  # section's or task's 1-based position
    numberRaw: URIRef  # number marker exactly as printed
    text: URIRef  # a measure's text (@zh)
    measureHeader: URIRef  # 主要举措 / 主要措施 as printed
    unitLabel: URIRef  # 牵头单位 / 责任单位 as printed
    # responsibility
    responsibleUnit: URIRef  # task → unit responsible (super-property)
    leadUnit: URIRef  # task → lead unit (牵头单位)
    supportingUnit: URIRef  # task → supporting unit (配合单位)
    # deadlines
    deadline: URIRef  # task → its deadline
    deadlineType: URIRef  # deadline → a pko:DeadlineType individual
    deadlineValue: URIRef  # deadline → ISO 8601 value as a string
    dueBy: URIRef  # deadline → end month (xsd:gYearMonth)
    # what a measure is about
    field: URIRef  # → pko:Field
    instrument: URIRef  # → pko:Instrument
    partner: URIRef  # → pko:Partner
    place: URIRef  # → pko:Place
    # numeric targets
    target: URIRef  # measure/task → pko:NumericTarget
    overallTarget: URIRef  # plan → pko:NumericTarget from its goals
    approximate: URIRef  # target hedged by 左右/约 (xsd:boolean)
    bound: URIRef  # "min" or "max"
    qualifier: URIRef  # qualifying wording as printed (@zh)
    role: URIRef  # "target" or "baseline"
    # provenance and source text
    sourceSpan: URIRef  # → oa:SpecificResource over the source document
    sourceText: URIRef  # the whole decoded source text
    fileName: URIRef  # source file name
    encoding: URIRef  # source file character encoding
    sha256: URIRef  # hex SHA-256 of the UTF-8 encoded text
    issuingOffice: URIRef  # issuing office as printed
    issuerShort: URIRef  # issuer short name as printed
    inMeasure: URIRef  # mention → measure containing it
    inTask: URIRef  # mention → task containing it
    extractedBy: URIRef  # how a non-curated entity was found
    # entity properties
    partnerKind: URIRef  # partner → pko:PartnerKind
    placeKind: URIRef  # place → pko:PlaceKind
    unitKind: URIRef  # unit → pko:UnitKind
    foreign: URIRef  # outside mainland China (xsd:boolean)
    country: URIRef  # foreign body or place → schema:Country

    # concept schemes of the kinds
    DeadlineTypes: URIRef  # scheme of deadline types
    PartnerKinds: URIRef  # scheme of partner kinds
    PlaceKinds: URIRef  # scheme of place kinds
    UnitKinds: URIRef  # scheme of unit kinds
    # deadline types (skos:notation = kg.model.DEADLINE_TYPES)
    MonthDeadline: URIRef  # "month"
    QuarterDeadline: URIRef  # "quarter"
    YearDeadline: URIRef  # "year"
    RangeDeadline: URIRef  # "range"
    OngoingDeadline: URIRef  # "ongoing"
    NoDeadline: URIRef  # "none"
    # partner kinds
    CountryPartner: URIRef  # "country"
    ForeignAgency: URIRef  # "foreign agency"
    University: URIRef  # "university"
    ResearchInstitute: URIRef  # "research institute"
    Enterprise: URIRef  # "enterprise"
    Hospital: URIRef  # "hospital"
    Platform: URIRef  # "platform"
    Event: URIRef  # "event"
    # place kinds
    Province: URIRef  # "province"
    Municipality: URIRef  # "municipality"
    PrefectureCity: URIRef  # "city"
    District: URIRef  # "district"
    County: URIRef  # "county"
    CountyLevelCity: URIRef  # "county-level city"
    Zone: URIRef  # "zone"
    Region: URIRef  # "region"
    ForeignCountryRegion: URIRef  # "foreign region"
    ForeignCity: URIRef  # "foreign city"
    # unit kinds
    Department: URIRef  # "department"
    InternalDivision: URIRef  # "internal division"
    AffiliatedBody: URIRef  # "affiliated body"


def bind_prefixes(graph: Graph) -> Graph:
    """Bind PREFIXES on ``graph`` (replacing rdflib's https schema: default) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    return graph


# The kind individuals by skos:notation (as declared in policykg.ttl; DEADLINE_TYPES's keys are
# kg.model.DEADLINE_TYPES).
DEADLINE_TYPES: Mapping[str, URIRef] = MappingProxyType({
    "month": PKO.MonthDeadline, "quarter": PKO.QuarterDeadline, "year": PKO.YearDeadline,
    "range": PKO.RangeDeadline, "ongoing": PKO.OngoingDeadline, "none": PKO.NoDeadline,
})
PARTNER_KINDS: Mapping[str, URIRef] = MappingProxyType({
    "country": PKO.CountryPartner, "foreign agency": PKO.ForeignAgency, "university": PKO.University,
    "research institute": PKO.ResearchInstitute, "enterprise": PKO.Enterprise, "hospital": PKO.Hospital,
    "platform": PKO.Platform, "event": PKO.Event,
})
PLACE_KINDS: Mapping[str, URIRef] = MappingProxyType({
    "province": PKO.Province, "municipality": PKO.Municipality, "city": PKO.PrefectureCity,
    "district": PKO.District, "county": PKO.County, "county-level city": PKO.CountyLevelCity,
    "zone": PKO.Zone, "region": PKO.Region, "foreign region": PKO.ForeignCountryRegion,
    "foreign city": PKO.ForeignCity,
})
UNIT_KINDS: Mapping[str, URIRef] = MappingProxyType({
    "department": PKO.Department, "internal division": PKO.InternalDivision, "affiliated body": PKO.AffiliatedBody,
})


def kind_iri(table: Mapping[str, URIRef], subkind: str) -> URIRef:
    """Resolve a kind given as skos:notation ("county") or as the individual's local name ("County").

    >>> str(kind_iri(PLACE_KINDS, "county-level city")) == str(kind_iri(PLACE_KINDS, "CountyLevelCity"))
    True
    """
    if subkind in table:
        return table[subkind]
    for iri in table.values():
        if str(iri) == PKO_NS + subkind:
            return iri
    raise ValueError(f"unknown kind {subkind!r}; expected one of {', '.join(table)}")
