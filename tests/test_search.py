"""Hybrid search with the real bundled model on the built seed: quality, explanations, filters,
bad input, and an index that refuses another model."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.cli import app
from policykg.services import SearchService
from policykg.settings import Settings
from search.engine import SearchError
from search.facets import FilterError, Filters
from search.index import StaleIndexError
from tests.conftest import DATA


@pytest.fixture(scope="module")
def service(built_data: Path) -> SearchService:
    return SearchService.open(Settings.from_env({}, data_dir=built_data))


def numbers(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The hits shown, in order: confident matches, then the weaker ones."""
    return [hit["number"] for hit in response.results + response.weaker]


def test_foreign_talent_question_finds_52_53_54_first_with_reasons(service: SearchService) -> None:
    response = service.search("哪些措施涉及外国人才", k=5)
    assert set(numbers(response)[:3]) == {"52", "53", "54"}
    top = response.results[0]
    assert top["why"]["legs"] and top["why"]["matched_terms"]
    assert "<mark>" in top["snippet"]


@pytest.mark.parametrize(("question", "expected"), [
    ("cooperation with Russia", {"9"}),
    ("与俄罗斯的科技合作", {"9"}),
    ("與外國人才", {"52", "53", "54"}),  # traditional characters
    ("没有固定期限、需要持续推进的任务", {"35", "36", "37"}),
    ("常熟市有什么试点", {"33", "34"}),
    ("农村科技处牵头哪些工作", {"31", "32", "38", "39"}),
])
def test_questions_of_every_kind(service: SearchService, question: str, expected: set[str]) -> None:
    assert expected <= set(numbers(service.search(question, k=len(expected) + 2)))


def test_place_question_reaches_districts_through_the_hierarchy(service: SearchService) -> None:
    response = service.search("南京有哪些措施", k=10)
    hit = next(h for h in response.results if h["number"] == "16")  # names 南京江宁 only
    assert any(e["name"] == "南京市" for e in hit["why"]["entities"])


def test_field_question_reaches_narrower_fields(service: SearchService) -> None:
    response = service.search("集成电路", k=5)
    first = next(h for h in response.results if h["number"] == "1")  # 第三代半导体
    assert any(e["via"] == "narrower" for e in first["why"]["entities"])


def test_deadline_question_is_explained(service: SearchService) -> None:
    response = service.search("10月前要完成的任务", k=3)
    assert set(numbers(response)) == {"55", "56", "57"}
    assert response.results[0]["why"]["deadline"]["deadline"] == "2021年10月"


def test_quality_bar_on_dev_questions(service: SearchService) -> None:
    report = service.evaluate(DATA / "dev-questions.json")
    full = report["full"]["groups"]["all"]
    assert full["nDCG@10"] >= 0.955 and full["R@10"] >= 0.94  # reached: 0.970
    for leg in ("bm25", "dense", "knowledge"):
        assert full["nDCG@10"] > report[leg]["groups"]["all"]["nDCG@10"]


def test_filters_and_facets(service: SearchService) -> None:
    response = service.search("科技服务", k=20, filters=Filters(unit="农村科技处"))
    assert set(numbers(response)) == {"31", "32", "38", "39"}
    response = service.search("项目", k=50, filters=Filters(place="南京"))
    assert "16" in numbers(response) and "1" not in numbers(response)
    response = service.search("服务", filters=Filters(due_before="2021-10"))
    assert all(h["deadline"] in ("2021年10月",) for h in response.results + response.weaker)
    facets = service.search("企业", k=10).facets
    assert facets["section"] and facets["unit"] and all(f["count"] >= 1 for f in facets["unit"])
    with pytest.raises(FilterError, match="due_before"):
        Filters(due_before="October")
    with pytest.raises(FilterError, match="place='火星'"):
        service.search("企业", filters=Filters(place="火星"))


@pytest.mark.parametrize("question", ["", "   ", "\n"])
def test_empty_question(service: SearchService, question: str) -> None:
    with pytest.raises(SearchError, match="empty"):
        service.search(question)


@pytest.mark.parametrize("k", [0, 101, -3])
def test_k_out_of_range(service: SearchService, k: int) -> None:
    with pytest.raises(SearchError, match="k must be"):
        service.search("人才", k=k)


@pytest.mark.parametrize("question", ["外国人才" * 2500, "🚀 AI 人工智能 🤖", "Quantum 量子 mixed 科技", "ＡＩ"])
def test_odd_questions_are_answered(service: SearchService, question: str) -> None:
    response = service.search(question, k=5)
    assert response.results or response.weaker
    assert response.truncated == (len(question) > 256)


def test_index_refuses_another_model(built_data: Path) -> None:
    settings = Settings.from_env({}, data_dir=built_data, model="st:BAAI/bge-small-zh-v1.5")
    with pytest.raises(StaleIndexError, match="run `policykg build`"):
        SearchService.open(settings)


def test_cli_search_and_eval(built_data: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["search", "哪些措施涉及外国人才", "-k", "3", "--json", "--data-dir", str(built_data)])
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert {h["number"] for h in shown["results"] + shown["weaker"]} == {"52", "53", "54"}
    result = runner.invoke(app, ["search", " ", "--data-dir", str(built_data)])
    assert result.exit_code == 2 and "empty" in result.output
    result = runner.invoke(app, ["search", "x", "-k", "500", "--data-dir", str(built_data)])
    assert result.exit_code == 2 and "k must be" in result.output
    result = runner.invoke(app, ["eval", str(DATA / "dev-questions.json"), "--data-dir", str(built_data)])
    assert result.exit_code == 0 and "nDCG@10" in result.output and "knowledge" in result.output


def test_response_is_json_serialisable(service: SearchService) -> None:
    assert json.loads(json.dumps(asdict(service.search("量子科技方面有什么部署")), ensure_ascii=False))


def test_year_end_deadline_keeps_its_year() -> None:
    from search.deadlines import deadline_ask

    assert deadline_ask("2022年底前完成的任务").due_by == "2022-12"
    assert deadline_ask("年底前完成的任务").due_by == "--12"
