"""Field linking beyond the samples: the taxonomy's breadth (战略性新兴产业 sub-areas, clinical
specialties, farm products, service sectors) and fields named by enumeration (…等重点产业)."""

from __future__ import annotations

import pytest

from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.linking import _link, extract
from kg.model import Extraction
from kg.parse.plan import parse_text
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(ROOT / "ontology" / "vocab")


def _fields(text: str, lexicon: Lexicon) -> dict[str, str]:
    """surface → linked field key, for one sentence."""
    return {label: entity.key for _, label, entity in _link(text, lexicon, {}) if entity.kind == "field"}


def _plan_fields(measure: str, lexicon: Lexicon) -> Extraction:
    plan = parse_text("某省关于产业发展的实施方案\n\n一、任务\n\n1. 发展产业\n"
                      f"主要举措：（1）{measure}\n牵头单位：省发展改革委\n完成时限：2025年12月\n")
    return extract(plan, lexicon)


@pytest.mark.parametrize(("text", "surface", "key", "ancestor"), [
    ("重点突破三维闪存和动态随机存储器设计", "三维闪存", "field/3d-nand", "field/integrated-circuits"),
    ("建设柔性显示中试线", "柔性显示", "field/flexible-display", "field/new-generation-it"),
    ("推广激光加工装备", "激光", "field/lasers", "field/optoelectronic-information"),
    ("建设量子信息创新平台", "量子信息", "field/quantum-information", "field/quantum-technology"),
    ("研制量子芯片", "量子芯片", "field/quantum-chips", "field/quantum-information"),
    ("提升县医院儿科服务能力", "儿科", "field/paediatrics", "field/clinical-medicine"),
    ("扩大咖啡种植面积", "咖啡", "field/coffee", "field/agriculture"),
    ("推动电力行业数字化", "电力行业", "field/electric-power", "field/energy-industry"),
    ("服务金融、能源等重点行业", "金融", "field/finance", "field/modern-services"),
])
def test_new_concepts_link_with_their_broader_chain(lexicon: Lexicon, text: str, surface: str, key: str,
                                                    ancestor: str) -> None:
    assert _fields(text, lexicon).get(surface) == key
    assert ancestor in lexicon.ancestors[key]


def test_quantum_information_sits_between_quantum_technology_and_its_areas(lexicon: Lexicon) -> None:
    for area in ("field/quantum-computing", "field/quantum-communication", "field/quantum-metrology"):
        assert {"field/quantum-information", "field/quantum-technology"} <= set(lexicon.ancestors[area])
    assert "field/quantum-communication" in lexicon.ancestors["field/quantum-secure-communication"]


@pytest.mark.parametrize("text", [
    "开展少儿科普活动",  # 儿科 inside 少儿 + 科普
    "支持省内科研机构",  # 内科 is no field here
    "引导金融机构加大信贷投放",  # a class of bodies, not the finance sector
    "设立科技金融专营机构",  # 科技金融 is a topic, not a field
])
def test_short_labels_do_not_match_inside_other_words(lexicon: Lexicon, text: str) -> None:
    assert _fields(text, lexicon) == {}


def test_lidar_is_not_lasers(lexicon: Lexicon) -> None:
    assert _fields("研发车载激光雷达", lexicon) == {"激光雷达": "field/lidar"}


def _minted(extraction: Extraction) -> set[str]:
    return {e.name for e in extraction.new_entities if e.kind == "field"}


def test_unknown_industries_of_an_enumeration_are_minted(lexicon: Lexicon) -> None:
    extraction = _plan_fields("聚焦竹木家居、藤编工艺、非遗刺绣等特色产业，推动藤编工艺上线销售。", lexicon)
    assert {"竹木家居", "藤编工艺", "非遗刺绣"} <= _minted(extraction)
    surfaces = [m.surface for m in extraction.mentions if m.kind == "field"]
    assert surfaces.count("藤编工艺") == 2  # named again outside the list: still the field


def test_enumeration_after_a_place_list_starts_at_the_lead_verb(lexicon: Lexicon) -> None:
    extraction = _plan_fields("支持甲县、乙县和丙镇卫生院补齐疼痛管理、安宁疗护等专科短板。", lexicon)
    assert {"疼痛管理", "安宁疗护"} <= _minted(extraction)
    assert not {"甲县", "乙县", "丙镇卫生院补齐疼痛管理"} & _minted(extraction)


@pytest.mark.parametrize("measure", [
    "组织高校、科研院所、企业等单位联合攻关。",  # actors, and 单位 is no field head
    "推动政务、民生等领域数据开放。",  # generic scopes
    "推广自动巡检、远程运维等技术。",  # …等技术 with no known field among the items: applications
    "发挥养殖大户、合作社等行业组织作用。",  # 行业组织 is a body, not 行业
])
def test_generic_lists_are_not_minted(lexicon: Lexicon, measure: str) -> None:
    assert _minted(_plan_fields(measure, lexicon)) == set()


def test_known_fields_with_generic_modifiers_stay_known(lexicon: Lexicon) -> None:
    extraction = _plan_fields("面向新一代电子信息、医学影像设备、海参养殖等重点产业。", lexicon)
    assert _minted(extraction) == {"海参养殖"}
    assert {"field/new-generation-it", "field/medical-imaging"} <= {m.entity for m in extraction.mentions}
