"""Search over nine plans at once (the seed, the four samples and the four probe plans of other
provinces): the dev-multi and probe questions as quality bars, plan scoping, department types,
deadline windows, the relevance floor and explanations."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.services import SearchService
from policykg.settings import Settings
from search.deadlines import deadline_ask
from search.facets import FilterError, Filters
from search.units import unit_asks
from tests.conftest import DATA, ROOT

# reached on nine plans: 0.965 overall, field 0.99 (everyday words as hidden labels, at half a vote),
# keyword 1.0 (labels a measure prints count though the extraction missed them), paraphrase 0.85
# (e5 + USE, each standardised: dense alone 0.74 → 0.85), deadline 0.93
MULTI_BAR = 0.95
KIND_BAR = {"paraphrase": 0.82, "deadline": 0.90}
KIND_DEFAULT = 0.94
# the probe questions were written from the probe plans' text before any search was run on them
# and nothing was tuned on them afterwards: reached 0.967, every kind >= 0.91
PROBE_BAR = 0.93
PROBE_KIND_BAR = 0.85


@pytest.fixture(scope="module")
def multi(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    from policykg.build import build

    seeds = tmp_path_factory.mktemp("seeds")
    for plan in [*(ROOT / "seeds").glob("*.txt"), *(DATA / "samples").glob("*.txt"), *(DATA / "probes").glob("*.txt")]:
        (seeds / plan.name).write_bytes(plan.read_bytes())
    data = tmp_path_factory.mktemp("multi")
    build(Settings.from_env({}, data_dir=data, seeds_dir=seeds))
    return SearchService.open(Settings.from_env({}, data_dir=data))


def shown(response) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    return response.results + response.weaker


def test_dev_multi_quality_bar(multi: SearchService) -> None:
    report = multi.evaluate(DATA / "dev-multi.json")
    groups = report["full"]["groups"]
    assert groups["all"]["nDCG@10"] >= MULTI_BAR
    for group, values in groups.items():
        if group.startswith("kind:"):
            assert values["nDCG@10"] >= KIND_BAR.get(group[5:], KIND_DEFAULT), group
    for leg in ("bm25", "dense", "knowledge"):
        assert groups["all"]["nDCG@10"] > report[leg]["groups"]["all"]["nDCG@10"]


def test_probe_questions_on_plans_of_other_provinces(multi: SearchService) -> None:
    groups = multi.evaluate(DATA / "probe-questions.json")["full"]["groups"]
    assert groups["all"]["nDCG@10"] >= PROBE_BAR
    assert all(values["nDCG@10"] >= PROBE_KIND_BAR for group, values in groups.items() if group.startswith("kind:"))


def test_dev_questions_of_the_seed_among_all_plans(multi: SearchService) -> None:
    report = multi.evaluate(DATA / "dev-questions.json", plan="jiangsu-kjt-2021-sanfuwu")
    assert report["full"]["groups"]["all"]["nDCG@10"] >= 0.95


def test_hits_carry_plan_title_id_and_task(multi: SearchService) -> None:
    response = multi.search("医疗健康数据", k=5)
    for hit in shown(response):
        assert hit["plan_title"] and hit["task"] and hit["iri"].endswith(f"/measure/{hit['id']}")
    plans = {entry["value"]: entry for entry in response.facets["plan"]}
    assert plans and all(entry["label"] and entry["count"] >= 1 for entry in plans.values())
    assert sum(entry["count"] for entry in plans.values()) == len(shown(response))


@pytest.mark.parametrize(("question", "plan"), [
    ("黑龙江的方案里有哪些持续推进的工作", "heilongjiang-2022-seed"),
    ("in the Beijing plan, which tasks are due by 2024?", "beijing-2023-health-data"),
    ("种业振兴方案里的品种审定", "heilongjiang-2022-seed"),
])
def test_a_question_naming_a_plan_is_scoped_to_it(multi: SearchService, question: str, plan: str) -> None:
    response = multi.search(question, k=10)
    assert response.scope is not None and response.scope["plans"] == [plan] and response.scope["scoped"]
    assert {hit["plan"] for hit in shown(response)} == {plan}
    assert "plan named by" in shown(response)[0]["why"]["summary"]


def test_plan_filter(multi: SearchService) -> None:
    response = multi.search("人才", k=20, filters=Filters(plan="guangdong-2023-ai"))
    assert {hit["plan"] for hit in shown(response)} == {"guangdong-2023-ai"}
    with pytest.raises(FilterError, match="plan='nope' names no plan"):
        multi.search("人才", filters=Filters(plan="nope"))


@pytest.mark.parametrize(("question", "kind"), [
    ("经信厅牵头的工作", "经济和信息化厅"), ("省卫健委负责哪些工作", "卫生健康委员会"),
    ("市药监局牵头负责哪些工作？", "药品监督管理局"), ("省林草局牵头或参与哪些任务", "林业和草原局"),
])
def test_unit_abbreviations_name_department_types(question: str, kind: str) -> None:
    assert [ask.kind for ask in unit_asks(question)] == [kind]


def test_unit_question_is_explained_with_the_printed_unit(multi: SearchService) -> None:
    hit = multi.search("市药监局牵头负责哪些工作？", k=3).results[0]
    assert hit["lead_units"] == ["市药监局"] and "lead unit: 市药监局" in hit["why"]["summary"]
    assert "legs" in hit["why"] and "bm25#" not in hit["why"]["summary"]


@pytest.mark.parametrize(("question", "window"), [
    ("到2024年要完成的任务", (None, None, "2024-12")), ("2024年底前完成", (None, None, "2024-12")),
    ("从2023年开始、到2024年完成的任务", ("2023-01", None, "2024-12")),
    ("due in 2025", (None, "2025-01", "2025-12")), ("哪些措施要求在2024年内完成？", (None, "2024-01", "2024-12")),
])
def test_deadline_windows(question: str, window: tuple[str | None, str | None, str]) -> None:
    ask = deadline_ask(question)
    assert ask is not None and (ask.earliest, ask.due_from, ask.due_by) == window
    assert deadline_ask("持续推进的工作").ongoing  # type: ignore[union-attr]


def test_per_measure_deadlines_are_searched(multi: SearchService) -> None:
    response = multi.search("哪些措施要求在2024年内完成？", k=10, filters=Filters(plan="guangdong-2023-ai"))
    assert all(hit["why"]["deadline"]["end"].startswith("2024") for hit in response.results[:3])
    assert "within 'in 2024'" in response.results[0]["why"]["summary"]


@pytest.mark.parametrize("question", ["火星殖民飞船", "喀什地区", "qwzxv"])
def test_no_confident_hits_for_what_no_plan_holds(multi: SearchService, question: str) -> None:
    response = multi.search(question, k=10)
    assert response.results == [] and response.weaker


def test_a_prefecture_finds_its_measures_and_its_counties_and_nothing_else_confidently(multi: SearchService) -> None:
    response = multi.search("凉山州", k=20)
    confident = {(hit["plan"], hit["id"]) for hit in response.results}
    # 10 and 18 print 凉山州, 2 too; 5 names three of its counties (昭觉, 布拖, 美姑)
    assert confident == {("sichuan-2023-health-village", seq) for seq in ("2", "5", "10", "18")}
    assert len(response.weaker) == 20 - len(confident)


def test_dev_files_are_the_shared_ones() -> None:
    shared = ROOT.parent / "shared" / "queries"
    if not shared.is_dir():
        pytest.skip("no ../shared checkout")
    assert (DATA / "dev-multi.json").read_bytes() == (shared / "dev-multi.json").read_bytes()
    assert (DATA / "dev-questions.json").read_bytes() == (shared / "dev.json").read_bytes()


def test_paths_exist() -> None:
    assert Path(DATA / "samples").is_dir()
