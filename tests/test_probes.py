"""Probe plans from provinces the samples do not cover (tests/data/probes): Sichuan (task label
lines), Anhui (appendix task table, joint issuers signing at the end), Yunnan (measures （1）
with per-measure unit brackets) and Wuhan (【牵头单位】 brackets, a city-issued plan). Each
asserts what a user relies on: counts, deadlines, every unit resolved in the plan's own
jurisdiction (never a Jiangsu or Ningbo body), the places and partners printed, and the cases
that were wrong before the probes were written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.linking import extract
from kg.parse.plan import parse_file, parse_text
from kg.report import plan_document
from tests.conftest import ROOT

PROBES = ROOT / "tests" / "data" / "probes"
FOREIGN_HOMES = ("江苏", "宁波", "jiangsu", "ningbo", "南京", "nanjing")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(ROOT / "ontology" / "vocab")


_documents: dict[str, dict[str, Any]] = {}


def _document(name: str, lexicon: Lexicon) -> dict[str, Any]:
    if name not in _documents:
        plan = parse_file(PROBES / f"{name}.txt")
        _documents[name] = plan_document(plan, extract(plan, lexicon), lexicon.entities)
    return _documents[name]


def _names(document: dict[str, Any], kind: str) -> set[str]:
    """Every name an entity of ``kind`` goes by in the plan: its name and the forms printed."""
    return {form for e in document[kind] for form in (e["name"], *e.get("surface_forms_used", ()))}


def _deadlines(document: dict[str, Any]) -> list[str | None]:
    return [(t["deadline"] or {}).get("value") or (t["deadline"] or {}).get("type") for t in document["tasks"]]


@pytest.mark.parametrize(("name", "home", "tasks", "measures"), [
    ("sichuan-2023-health-village", "四川省", 6, 18),
    ("anhui-2022-quantum-industry", "安徽省", 6, 12),
    ("yunnan-2023-plateau-agri", "云南省", 4, 12),
    ("wuhan-2023-optoelectronics", "武汉市", 6, 11),
])
def test_probe_counts_and_units_at_home(name: str, home: str, tasks: int, measures: int, lexicon: Lexicon) -> None:
    document = _document(name, lexicon)
    assert (document["counts"]["tasks"], document["counts"]["measures"]) == (tasks, measures)
    assert not [w for w in document["warnings"] if "no responsible units" in w]
    full_names = document["units"]["full_names"]
    labels = set(document["units"]["lead_units_distinct"]) | set(document["units"]["supporting_units_distinct"])
    assert labels <= set(full_names), labels - set(full_names)  # every printed unit has a full name
    for label, full in full_names.items():
        if label.startswith(("省", "市", "各")):
            assert home in full, (label, full)
    keys = json.dumps(document["units"]["keys"], ensure_ascii=False).lower()
    assert not any(word in keys for word in FOREIGN_HOMES)


def test_sichuan(lexicon: Lexicon) -> None:
    document = _document("sichuan-2023-health-village", lexicon)
    assert document["issuers"] == ["四川省卫生健康委员会", "四川省中医药管理局", "四川省发展和改革委员会"]
    assert _deadlines(document) == ["2024-12", "2025-12", "2024-06", "2025-12", "ongoing", "2025-12"]
    full = document["units"]["full_names"]
    assert full["省卫健委"] == full["省卫生健康委"] == "四川省卫生健康委员会"
    assert document["units"]["aliases"]["省卫健委"] == "省卫生健康委"
    assert full["省中医药局"] == "四川省中医药管理局"
    assert full["省经济和信息化厅"] == "四川省经济和信息化厅"
    assert full["省疾控局"] == "四川省疾病预防控制局"  # was 四川省疾控局
    assert full["各市（州）人民政府"] == "四川省各市（州）人民政府"
    places = _names(document, "places")
    assert {"凉山州", "甘孜州", "阿坝州", "绵阳", "成都", "秦巴山区", "昭觉", "川西高原"} <= places
    assert "广元" in places  # a prefecture's short form jieba tags as a common noun
    partners = {e["name"]: e for e in document["partners"]}
    assert {"四川大学华西医院", "四川省人民医院", "成都中医药大学", "川北医学院"} <= set(partners)
    # a university is not merged into its affiliated hospital, and 科学院 is no 学院
    assert partners["西南医科大学"]["kind"] == "university"
    assert partners["四川省中医药科学院"]["kind"] == "research institute"
    fields = _names(document, "fields")
    assert {"远程医疗", "藏医药", "彝医药", "羌医药"} <= fields
    assert "健康养老" not in {e["name"] for e in document["fields"]}  # 养老保险 is insurance


def test_anhui(lexicon: Lexicon) -> None:
    document = _document("anhui-2022-quantum-industry", lexicon)
    # joint issuers signing one above the other: the first leads (was the last)
    assert document["issuer"] == "安徽省科学技术厅"
    assert document["issuers"] == ["安徽省科学技术厅", "安徽省经济和信息化厅"]
    assert _deadlines(document) == ["2025-12", "2023-12", "2025", "ongoing", "2022/2025", "ongoing"]
    assert [t["lead_units"] for t in document["tasks"]][:3] == [["省科技厅"], ["省科技厅"], ["省经信厅"]]
    assert document["tasks"][2]["supporting_units"] == ["省发展改革委", "合肥市人民政府", "芜湖市人民政府"]
    full = document["units"]["full_names"]
    assert full["省经信厅"] == "安徽省经济和信息化厅"
    assert full["省人社厅"] == "安徽省人力资源和社会保障厅"
    assert full["省委组织部"] == "中共安徽省委组织部"  # was 安徽省委组织部
    assert full["合肥市政府"] == full["合肥市人民政府"] == "合肥市人民政府"
    partners = {e["name"]: e for e in document["partners"]}
    assert {"中国科学技术大学", "中科院合肥物质科学研究院", "安徽医科大学", "德国", "法国",
            "科大国盾量子技术股份有限公司", "法国国家科学研究中心"} <= set(partners)
    assert "本源量子计算科技（合肥）股份有限公司" in partners  # was the fragment 股份有限公司
    assert "股份有限公司" not in _names(document, "partners")
    assert "合肥国家实验室" in partners and "长三角量子科技产业联盟" in partners
    assert partners["德国"]["kind"] == "country"
    places = _names(document, "places")
    assert {"长三角", "合肥高新区", "芜湖", "蚌埠", "宿州", "上海", "江苏"} <= places
    assert "合肥" not in places  # only inside longer names: 合肥国家实验室, the company's seat


def test_yunnan(lexicon: Lexicon) -> None:
    document = _document("yunnan-2023-plateau-agri", lexicon)
    measures = document["measures"]
    assert [m["number_raw"] for m in measures[:3]] == ["（1）", "（2）", "（3）"]
    assert measures[0]["lead_units"] == ["省林草局"] and measures[0]["deadline"]["value"] == "2024-12"
    assert measures[2]["supporting_units"] == ["西双版纳州人民政府", "普洱市人民政府"]
    full = document["units"]["full_names"]
    assert full["省林草局"] == "云南省林业和草原局"
    assert full["西双版纳州人民政府"] == "西双版纳傣族自治州人民政府"  # was the printed short form
    assert full["各有关州、市人民政府"] == "云南省各有关州人民政府、各有关市人民政府"
    assert full["昆明海关"] == "中华人民共和国昆明海关"
    places = _names(document, "places")
    assert {"西双版纳傣族自治州", "大理白族自治州", "普洱", "昆明", "德宏州", "昭通", "文山"} <= places
    partners = {e["name"]: e for e in document["partners"]}
    assert {"中国科学院昆明植物研究所", "云南农业大学", "老挝", "缅甸", "泰国"} <= set(partners)
    assert partners["云南省农业科学院"]["kind"] == "research institute"
    assert {"傣医药", "彝医药", "茶叶", "花卉"} <= _names(document, "fields")


def test_wuhan(lexicon: Lexicon) -> None:
    document = _document("wuhan-2023-optoelectronics", lexicon)
    # 【牵头单位】 brackets are labels (were read as measure text), 责任单位 beside 牵头单位 supports
    first = document["tasks"][0]
    assert first["lead_units"] == ["市科技局"]
    assert first["supporting_units"] == ["市发展改革委", "市经信局", "东湖高新区管委会"]
    assert _deadlines(document) == ["2025-12", "2025-12", "2024-12", "ongoing", "ongoing", "2025"]
    assert not any("【" in m["text"] for m in document["measures"])
    full = document["units"]["full_names"]
    assert full["市经信局"] == "武汉市经济和信息化局"
    assert full["市发展改革委"] == "武汉市发展和改革委员会"
    assert full["东湖高新区管委会"] == "武汉东湖新技术开发区管理委员会"
    assert full["武汉经开区管委会"] == "武汉经济技术开发区管理委员会"
    assert full["江夏区人民政府"] == "武汉市江夏区人民政府"
    assert full["市委人才办"] == "中共武汉市委人才工作领导小组办公室"
    assert full["市外事办"] == "武汉市人民政府外事办公室"
    assert full["市贸促会"] == "中国国际贸易促进委员会武汉市委员会"
    partners = {e["name"]: e for e in document["partners"]}
    assert {"华中科技大学", "武汉大学", "长江存储科技有限责任公司", "武汉光电国家研究中心",
            "长飞光纤光缆股份有限公司", "华星光电", "天马微电子"} <= set(partners)
    assert partners["光迅科技"]["kind"] == "enterprise"
    assert {"武汉东湖新技术开发区", "光谷"} <= _names(document, "places")


@pytest.mark.parametrize(("units", "lead", "supporting"), [
    ("责任单位：省卫健委（牵头）、省发展改革委、省财政厅", ("省卫健委",), ("省发展改革委", "省财政厅")),
    ("责任单位：省农业农村厅牵头，省林业局、黄冈市政府配合", ("省农业农村厅",), ("省林业局", "黄冈市政府")),
    ("牵头单位：市经信局\n责任单位：市科技局、江夏区人民政府", ("市经信局",), ("市科技局", "江夏区人民政府")),
    ("【牵头单位】市经信局【责任单位】市科技局", ("市经信局",), ("市科技局",)),
])
def test_unit_roles_printed_in_values(units: str, lead: tuple[str, ...], supporting: tuple[str, ...]) -> None:
    plan = parse_text(f"湖北省推进试点实施方案\n\n一、主要任务\n\n（一）推进试点\n\n1.推进试点。\n\n{units}\n\n"
                      "完成时限：2024年底前\n")
    assert (plan.tasks[0].lead_units, plan.tasks[0].supporting_units) == (lead, supporting)


def test_tasks_under_group_headings_keep_distinct_ids() -> None:
    plan = parse_text("湖北省推进试点实施方案\n\n一、主要任务\n\n（一）医院建设\n\n"
                      "1.推进医院建设。（责任单位：省卫健委；完成时限：2024年）\n\n"
                      "2.推进专科建设。（责任单位：省卫健委；完成时限：2025年）\n\n（二）产业发展\n\n"
                      "1.建设药材基地。（责任单位：省农业农村厅；完成时限：2025年）\n")
    ids = [task.id for task in plan.tasks]
    assert len(ids) == len(set(ids)) == 3


@pytest.mark.parametrize(("province", "city", "label", "wanted"), [
    ("湖北省", None, "省委网信办", "中共湖北省委网络安全和信息化委员会办公室"),
    ("湖北省", "武汉市", "市委组织部", "中共武汉市委组织部"),
    ("四川省", None, "省疾控局", "四川省疾病预防控制局"),
    ("安徽省", "合肥市", "市贸促会", "中国国际贸易促进委员会合肥市委员会"),
    ("四川省", None, "凉山州人民政府", "凉山彝族自治州人民政府"),
    ("湖北省", None, "恩施州政府", "恩施土家族苗族自治州人民政府"),
    ("四川省", "凉山彝族自治州", "州卫生健康委", "凉山彝族自治州卫生健康委员会"),
])
def test_full_names_beyond_the_probes(province: str, city: str | None, label: str, wanted: str,
                                      lexicon: Lexicon) -> None:
    from kg.extract.units import Jurisdiction, full_name
    short = city[:-1] if city and city.endswith("市") else city
    assert full_name(label, Jurisdiction(province, city, short), lexicon) == wanted
