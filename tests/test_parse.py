"""The parser on the real seed, the sample with its exact expected parse, and layout variants."""

from __future__ import annotations

import json
import random
import re

import pytest

from kg.model import Plan
from kg.parse.plan import parse_file, parse_text
from kg.report import plan_document
from tests.conftest import DATA, SEED, sample_paths


@pytest.fixture(scope="module")
def seed() -> Plan:
    return parse_file(SEED)


def test_seed_structure(seed: Plan) -> None:
    assert len(seed.sections) == 5
    assert len(seed.tasks) == 25
    assert len(seed.measures) == 58
    assert len({unit for task in seed.tasks for unit in task.lead_units}) == 21
    assert seed.task("15").deadline.type == "ongoing"
    assert seed.task("24").deadline.value == "2021-10"
    assert seed.task("24").deadline.end == "2021-10"
    assert [m.number for m in seed.measures] == [str(n) for n in range(1, 59)]
    assert seed.title == "省科技厅关于深入开展科技“三服务”行动的实施方案"
    assert (seed.issuer, seed.issuer_short, seed.issue_date) == ("江苏省科学技术厅", "省科技厅", "2021-06-11")
    assert seed.task("14").unit_label == "责任单位"
    assert seed.task("2").lead_units == ("科研机构处", "省企业研发机构促进会")


def test_seed_measure_text_and_spans(seed: Plan) -> None:
    seventh = seed.measures[6]
    assert seventh.text.startswith("联合挪威、以色列、芬兰等创新能力强的国家，双方联合征集")
    assert seventh.page_break_repaired
    thirteenth, fourteenth = seed.measures[12], seed.measures[13]
    assert thirteenth.text.endswith("线上线下对接平台")  # (14) follows inline with no 。
    assert fourteenth.number_raw == "(14)"
    for measure in seed.measures:
        source = "".join(seed.text[a:b] for a, b in measure.pieces)
        assert source == measure.text
        assert seed.text[measure.start : measure.end].replace("\n", "") == measure.text


def test_sample_matches_expected_parse() -> None:
    text_path, expected_path = sample_paths()
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    got = plan_document(parse_file(text_path))
    for key in ("title", "title_raw", "header", "subtitle", "issuer", "issuer_short", "issuing_office",
                "issue_date", "issue_date_raw", "signed_date", "preamble", "cc_raw", "sections"):
        assert got[key] == expected[key], key
    assert len(got["tasks"]) == len(expected["tasks"])
    for mine, theirs in zip(got["tasks"], expected["tasks"], strict=True):
        theirs = {k: v for k, v in theirs.items() if k != "format_notes"}
        assert mine == theirs
    assert got["measures"] == expected["measures"]
    assert set(got["spans"]["measures"]) == {str(m["seq"]) for m in expected["measures"]}
    assert got["units"]["lead_units_distinct"] == expected["units"]["lead_units_distinct"]


def test_cnparen_tasks_with_item_measures_and_bracketed_labels() -> None:
    plan = parse_file(DATA / "layout-cnparen.txt")
    assert [t.id for t in plan.tasks] == ["二（一）", "二（二）", "二（三）", "三（一）", "三（二）"]
    first = plan.tasks[0]
    assert first.lead_units == ("高新处", "各区(县、市)科技局")
    assert first.supporting_units == ("财务处", "市科创中心")
    assert first.deadline.value == "2022-06"
    assert [m.number_raw for m in plan.measures[:4]] == ["1.", "2.", "①", "②"]
    single = plan.measures[4]
    # unnumbered measures are numbered by their order in the document (the samples' convention)
    assert single.number_raw is None and single.number == "5" and single.task == "二（三）"
    assert plan.task("二（二）").deadline.type == "range"
    assert plan.task("三（一）").deadline.end == "2023-12"
    repaired = plan.measures[5]
    assert repaired.text == "加快之江实验室建设，争取国家实验室布局，支持人工智能领域重大项目。"
    assert repaired.page_break_repaired
    assert plan.task("三（二）").deadline.value == "2022-10/2022-12"
    assert [s.title for s in plan.sections if not s.tasks] == ["主要目标", "保障措施"]
    assert plan.title == "杭州市科学技术局关于推进科技创新服务的工作方案"


def test_gb18030_input_parses_like_utf8(tmp_path) -> None:
    path = tmp_path / "gbk-plan.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    plan = parse_file(path)
    assert plan.encoding == "gb18030"
    assert [m.text for m in plan.measures] == [m.text for m in parse_file(SEED).measures]


def test_half_width_punctuation_everywhere(seed: Plan) -> None:
    folded = SEED.read_text(encoding="utf-8").translate(str.maketrans("（）：，；", "():,;"))
    plan = parse_text(folded)
    assert len(plan.tasks) == 25 and len(plan.measures) == 58
    assert plan.task("2").lead_units == ("科研机构处", "省企业研发机构促进会")


@pytest.mark.parametrize("seed_value", range(5))
def test_random_page_breaks_inside_measures_are_repaired(seed: Plan, seed_value: int) -> None:
    rng = random.Random(seed_value)
    text = seed.text
    cuts = []
    for measure in rng.sample(seed.measures, 12):
        a, b = measure.pieces[-1]
        if b - a > 8:
            cuts.append(rng.randrange(a + 3, b - 3))
    broken = text
    for cut in sorted(cuts, reverse=True):
        broken = broken[:cut] + f"\n\n— {rng.randint(2, 9)} —\n\n" + broken[cut:]
    plan = parse_text(broken)
    assert [m.text for m in plan.measures] == [m.text for m in seed.measures]
    assert sum(m.page_break_repaired for m in plan.measures) >= len(cuts)


def test_measures_restarting_per_task(seed: Plan) -> None:
    restarted = seed.text
    for task in seed.tasks:
        for local, seq in enumerate(task.measures, start=1):
            number = seed.measures[seq - 1].number
            restarted = re.sub(rf"([（(]){number}([）)])(?=\D)", rf"\g<1>{local}\g<2>", restarted, count=1)
    renumbered = parse_text(restarted)
    assert [m.text for m in renumbered.measures] == [m.text for m in seed.measures]
    assert renumbered.measures[4].number == "1"  # task 2 starts again at (1)


def test_no_header_and_labels_in_one_bracketed_line() -> None:
    text = (
        "关于加快科技成果转化的实施方案\n\n一、重点任务\n\n"
        "1. 建设技术转移体系\n（1）建设技术转移机构。（2）培养技术经理人200名。\n"
        "（牵头单位：成果处；配合单位：人事处、财务处；完成时限：2022年6月）\n\n"
        "2. 完善评价机制\n完善科技成果评价机制，开展试点。\n"
        "（责任单位：政策法规处，完成时限：长期坚持）\n"
    )
    plan = parse_text(text)
    assert [t.lead_units for t in plan.tasks] == [("成果处",), ("政策法规处",)]
    assert plan.tasks[0].supporting_units == ("人事处", "财务处")
    assert plan.tasks[1].deadline.type == "ongoing"
    assert [m.text for m in plan.measures] == ["建设技术转移机构。", "培养技术经理人200名。", "完善科技成果评价机制，开展试点。"]
    assert plan.tasks[0].measure_header is None


def test_task_without_deadline_line() -> None:
    plan = parse_text("某方案\n\n一、任务\n\n1. 任务甲\n主要举措：（1）做一件事。\n牵头单位：甲处\n")
    assert plan.tasks[0].deadline.type == "none" and plan.tasks[0].deadline.raw is None
