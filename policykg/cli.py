"""The `policykg` command: each command is a thin wrapper over one plain, tested function."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kg.errors import PolicyKGError
from kg.store.queries import QueryError
from kg.store.sparql import SparqlError
from policykg import __version__
from policykg.settings import Settings, settings_table

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Knowledge graph and search over policy plans.")

F = TypeVar("F", bound=Callable[..., Any])

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="builds folder (default: $POLICYKG_DATA_DIR or ./data)")]
Output = Annotated[str, typer.Option("--format", "-f", help="table, json, csv, tsv or xml")]


def user_errors(command: F) -> F:
    """Report bad input as one line on stderr with exit status 2, never a traceback. Anything that
    is not a PolicyKGError is a bug and keeps its traceback (exit 1)."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except PolicyKGError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


@app.command()
@user_errors
def build(
    seeds: Annotated[Path | None, typer.Option(help="folder of plan texts (*.txt)")] = None,
    data_dir: DataDir = None,
    base: Annotated[str | None, typer.Option(help="IRI base for minted IRIs")] = None,
    validate: Annotated[bool, typer.Option(help="check the graph against the SHACL shapes")] = True,
    index: Annotated[bool, typer.Option(help="build the search index too")] = True,
) -> None:
    """Build the graph (and search index) from every plan in seeds/ into a new store, then make it current."""
    from policykg.build import build as run_build

    settings = Settings.from_env(seeds_dir=seeds, data_dir=data_dir, base=base,
                                 validate=None if validate else False, index=None if index else False)
    result = run_build(settings)
    manifest = result.manifest
    for plan in manifest["plans"]:
        typer.echo(f"{plan['id']}: {plan['tasks']} tasks, {plan['measures']} measures, {plan['triples']} triples")
        for warning in plan.get("warnings", []):
            typer.echo(f"  WARNING {warning}")
    typer.echo(f"built {manifest['quads']} quads in {result.path} ({sum(manifest['timings'].values()):.2f} s)")


@app.command()
@user_errors
def parse(
    file: Annotated[Path, typer.Argument(help="a plan text (UTF-8 or GB18030)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full parse as JSON")] = False,
) -> None:
    """Parse one plan file and print its structure (the JSON format of samples/*.expected.json)."""
    from kg.report import parse_summary
    from policykg.services import parse_plan_document

    document = parse_plan_document(file, Settings.from_env())
    if as_json:
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    typer.echo(parse_summary(document))


@app.command()
@user_errors
def validate(data_dir: DataDir = None) -> None:
    """Check the current build's graph against ontology/shapes.ttl and list violations."""
    from kg.rdf.validate import format_report
    from policykg.services import GraphService

    report = GraphService.open(Settings.from_env(data_dir=data_dir)).validate()
    typer.echo(format_report(report))
    if not report.conforms:
        raise typer.Exit(1)


@app.command()
@user_errors
def export(
    rdf_format: Annotated[str, typer.Option("--format", "-f", help="turtle, jsonld, ntriples, rdfxml, trig, nquads")] = "turtle",
    plan: Annotated[str | None, typer.Option(help="only this plan's named graph (plan id)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write to this file instead of stdout")] = None,
    data_dir: DataDir = None,
) -> None:
    """Export the graph (all plans, or one) as Turtle, JSON-LD, N-Triples, RDF/XML, TriG or N-Quads."""
    from policykg.services import GraphService

    data = GraphService.open(Settings.from_env(data_dir=data_dir)).export(rdf_format, plan)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command()
@user_errors
def sparql(
    query: Annotated[str | None, typer.Argument(help="a SPARQL query (read-only); prefixes pko:, eli:, skos: … are predeclared")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read the query from a file")] = None,
    output: Output = "table",
    data_dir: DataDir = None,
) -> None:
    """Run a read-only SPARQL query over all plans."""
    from policykg.services import GraphService

    if file is not None:
        query = file.read_text(encoding="utf-8")
    if not query or not query.strip():
        raise SparqlError("give a query, or --file FILE")
    typer.echo(GraphService.open(Settings.from_env(data_dir=data_dir)).sparql(query, output))


@app.command()
@user_errors
def queries() -> None:
    """List the canned analyst queries."""
    from kg.store.queries import load_queries

    for name, canned in load_queries().items():
        params = " ".join(f"-p {p.name}={p.example}" for p in canned.params)
        typer.echo(f"{name:<24} {canned.title}. {canned.description} {params}".rstrip())


@app.command()
@user_errors
def query(
    name: Annotated[str, typer.Argument(help="canned query name (see `policykg queries`)")],
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="NAME=VALUE, repeatable")] = None,
    output: Output = "table",
    data_dir: DataDir = None,
) -> None:
    """Run a canned analyst query by name."""
    from policykg.services import GraphService

    values = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise QueryError(f"parameter {item!r} must look like NAME=VALUE")
        values[key.strip()] = value
    typer.echo(GraphService.open(Settings.from_env(data_dir=data_dir)).canned(name, values, output))


@app.command()
@user_errors
def related(
    plan: Annotated[str, typer.Argument(help="plan id")],
    measure: Annotated[int, typer.Argument(help="measure sequence number in the plan")],
    k: Annotated[int, typer.Option("-k", min=1, max=100)] = 10,
    data_dir: DataDir = None,
) -> None:
    """Measures related to one measure, with the shared fields, partners, places, units and task."""
    from policykg.services import GraphService

    for item in GraphService.open(Settings.from_env(data_dir=data_dir)).related(plan, measure, k):
        reasons = "；".join(f"{s.kind}:{s.label}" for s in item.shared)
        typer.echo(f"{item.iri.rsplit('/', 1)[-1]:>4}  {item.score:6.3f}  {reasons}")


@app.command()
@user_errors
def search(
    question: Annotated[str, typer.Argument(help="a question in Chinese or English")],
    k: Annotated[int, typer.Option("-k", help="number of results, 1 to 100")] = 10,
    as_json: Annotated[bool, typer.Option("--json", help="print the full response as JSON")] = False,
    plan: Annotated[str | None, typer.Option(help="only this plan (plan id; a question naming a plan is scoped to it)")] = None,
    section: Annotated[str | None, typer.Option(help="only this section (title or number)")] = None,
    unit: Annotated[str | None, typer.Option(help="only tasks this unit leads or supports")] = None,
    field: Annotated[str | None, typer.Option(help="only measures in this field (or a narrower one)")] = None,
    place: Annotated[str | None, typer.Option(help="only measures naming this place (or a place in it)")] = None,
    partner: Annotated[str | None, typer.Option(help="only measures naming this partner")] = None,
    due_before: Annotated[str | None, typer.Option(help="only tasks due by this month, YYYY-MM")] = None,
    legs: Annotated[str, typer.Option(help="comma-separated legs: bm25, dense, knowledge")] = "bm25,dense,knowledge",
    data_dir: DataDir = None,
) -> None:
    """Search the measures: hybrid BM25 + dense + knowledge graph, each hit with its reasons."""
    from policykg.services import SearchService
    from search.facets import Filters

    chosen = _legs(legs)
    filters = Filters(plan=plan, section=section, unit=unit, field=field, place=place, partner=partner,
                      due_before=due_before)
    response = SearchService.open(Settings.from_env(data_dir=data_dir)).search(question, k=k, filters=filters, legs=chosen)
    if as_json:
        typer.echo(json.dumps(asdict(response), ensure_ascii=False, indent=2))
        return
    if response.truncated:
        typer.echo("(question cut to the first 256 characters)", err=True)
    if not response.results and not response.weaker:
        typer.echo("no measures match; try fewer filters or other words")
    if response.scope:
        typer.echo(f"({'only' if response.scope['scoped'] else 'first'} the plan named by "
                   f"'{response.scope['named']}': {'、'.join(response.scope['titles'])})")
    for heading, hits in (("", response.results), ("weaker matches:", response.weaker)):
        if heading and hits:
            typer.echo(heading)
        for hit in hits:
            typer.echo(f"{hit['plan_title']} ({hit['id']}) {hit['text'][:70]}")
            typer.echo(f"      {hit['task_title']} · {'、'.join(hit['lead_units'])} · {hit['deadline'] or '-'}")
            typer.echo(f"      why: {hit['why']['summary']}")


@app.command("eval")
@user_errors
def evaluate(
    questions: Annotated[Path, typer.Argument(help="questions with graded relevant measures (dev.json format)")],
    as_json: Annotated[bool, typer.Option("--json", help="print the full report, per question too")] = False,
    plan: Annotated[str | None, typer.Option(help="plan that {number: grade} questions refer to (default: the only plan)")] = None,
    data_dir: DataDir = None,
) -> None:
    """MRR@10, Recall@5/10 and nDCG@10 overall, per kind and per language, for the system and each leg."""
    from policykg.services import SearchService
    from search.evaluate import format_report

    report = SearchService.open(Settings.from_env(data_dir=data_dir)).evaluate(questions, plan=plan)
    typer.echo(json.dumps(report, ensure_ascii=False, indent=2) if as_json else format_report(report))


def _legs(text: str) -> tuple[str, ...]:
    from search.engine import LEGS, SearchError

    chosen = tuple(leg.strip() for leg in text.split(",") if leg.strip())
    unknown = [leg for leg in chosen if leg not in LEGS]
    if unknown or not chosen:
        raise SearchError(f"unknown leg {unknown[0] if unknown else text!r}; use {', '.join(LEGS)}")
    return chosen


@app.command()
@user_errors
def serve(
    host: Annotated[str | None, typer.Option(help="address to bind (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default 8000)")] = None,
    store: Annotated[str | None, typer.Option("--store", help="query URL of a remote SPARQL 1.1 store")] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve the JSON API, the SPARQL endpoint, linked data and the web page."""
    from api.app import create_app
    from api.server import serve as serve_app

    settings = Settings.from_env(host=host, port=port, data_dir=data_dir, store_url=store)
    from kg.store.builds import current_build

    current_build(settings.data_dir)  # fail now, with the message, rather than in the lifespan
    typer.echo(f"PolicyKG on http://{settings.host}:{settings.port}/  (API docs: /docs, SPARQL: /sparql)")
    serve_app(create_app(settings), settings)


@app.command()
def version() -> None:
    """Print the installed PolicyKG version."""
    typer.echo(__version__)


@app.command("settings")
def show_settings() -> None:
    """List the settings and their environment variables."""
    for env, default, help_text in settings_table():
        typer.echo(f"{env:<24} {help_text} (default: {default})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
