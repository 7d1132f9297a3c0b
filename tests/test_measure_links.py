"""Measure identity across plans whose printed numbers restart per task: every link — a search hit,
an entity page, a related list, a graph node, a page URL — opens its own measure, on every sample."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import quote, unquote

import httpx
import pytest

from tests.conftest import DATA, ROOT
from tests.server import running_server

SAMPLES = sorted((DATA / "samples").glob("*.txt"))


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from policykg.build import build
    from policykg.settings import Settings

    seeds = tmp_path_factory.mktemp("plans")
    for path in [ROOT / "seeds" / "jiangsu-kjt-2021-sanfuwu.txt", *SAMPLES]:
        shutil.copy(path, seeds / path.name)
    data = tmp_path_factory.mktemp("data")
    build(Settings.from_env({}, data_dir=data, seeds_dir=seeds, validate=False))
    with running_server(data) as base:
        yield base


def get(url: str, path: str, **params: object) -> httpx.Response:
    response = httpx.get(url + path, params=params, timeout=60)
    assert response.status_code == 200, (path, response.text[:300])
    return response


def opens(url: str, plan: str, measure_id: str) -> dict:  # type: ignore[type-arg]
    return get(url, f"/api/measures/{plan}/{measure_id}").json()


def test_every_listed_measure_opens_itself(url: str) -> None:
    plans = [p["id"] for p in get(url, "/api/plans").json()]
    assert len(plans) == 1 + len(SAMPLES)
    for plan in plans:
        listed = get(url, "/api/measures", plan=plan, limit=1000).json()
        assert len({m["id"] for m in listed}) == len(listed), f"{plan}: measure ids collide"
        for measure in listed:
            detail = opens(url, plan, measure["id"])
            assert (detail["iri"], detail["text"]) == (measure["iri"], measure["text"])
            assert detail["iri"].rsplit("/", 1)[-1] == measure["id"]


def test_search_hits_related_lists_and_graph_nodes_open_their_measure(url: str) -> None:
    restarting = 0
    for plan in [p["id"] for p in get(url, "/api/plans").json()]:
        listed = get(url, "/api/measures", plan=plan, limit=1000).json()
        restarting += len({m["number"] for m in listed}) < len(listed)
        for measure in listed[:: max(1, len(listed) // 3)]:
            hits = get(url, "/api/search", q=measure["text"][:40], plan=plan, k=5).json()["results"]
            assert hits, measure["text"][:40]
            for hit in hits:
                assert opens(url, hit["plan"], hit["id"])["iri"] == hit["iri"]
            for item in get(url, f"/api/measures/{plan}/{measure['id']}/related", k=5).json()["related"]:
                assert item["number"] is not None or item["id"]
                assert opens(url, item["plan"], item["id"])["iri"] == item["iri"]
            nodes = get(url, "/api/neighbourhood", iri=measure["iri"]).json()["nodes"]
            for node in (n for n in nodes if n["kind"] == "measure"):
                _, _, node_plan, node_id = node["href"].split("/")
                assert opens(url, unquote(node_plan), unquote(node_id))["iri"] == node["id"]
                page = httpx.get(url + node["href"], timeout=60)
                assert page.status_code == 200
    assert restarting >= 2  # the samples include plans whose numbers restart per task


def test_entity_pages_link_their_measures(url: str) -> None:
    checked = 0
    for collection in ("fields", "places", "partners", "units"):
        for entity in get(url, f"/api/{collection}").json()[:4]:
            detail = get(url, f"/api/{collection}/{entity['id']}").json()
            for measure in detail["measures"] + detail.get("measures_within", []):
                assert opens(url, measure["plan"], measure["id"])["iri"] == measure["iri"]
                checked += 1
    assert checked > 10


def test_number_only_urls_of_plans_numbered_straight_through_keep_working(url: str) -> None:
    measure = opens(url, "jiangsu-kjt-2021-sanfuwu", "9")
    assert measure["number"] == "9" and measure["task"]["title"] == "企业创新国际化能力提升行动"
    assert opens(url, "jiangsu-kjt-2021-sanfuwu", quote("#9"))["iri"] == measure["iri"]


def test_units_and_deadlines_printed_per_measure_are_the_measures_own(url: str) -> None:
    expected = __import__("json").loads((DATA / "samples" / "guangdong-2023-ai.expected.json").read_text("utf-8"))
    own = [m for m in expected["measures"] if m.get("lead_units")]
    assert own
    for measure in own:
        detail = opens(url, "guangdong-2023-ai", str(measure["seq"]))
        assert len(detail["lead_units"]) == len(measure["lead_units"]), measure["seq"]
        assert len(detail["supporting_units"]) == len(measure["supporting_units"]), measure["seq"]
        if measure.get("deadline") and measure["deadline"].get("raw"):
            assert detail["deadline"]["raw"] == measure["deadline"]["raw"]
