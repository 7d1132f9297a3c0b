"""Unit full names beyond the samples (kg/extract/units.py): state-owned groups by their short
names, collectives of local governments level by level, collectives of lower jurisdictions'
departments without the plan's prefix, full-width brackets. Each case is one the samples do not
print, so a rule keyed on a sample's string would fail here."""

from __future__ import annotations

import pytest

from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.linking import extract
from kg.extract.units import _ENTERPRISES, Jurisdiction, enterprises, full_name
from kg.model import Plan
from kg.parse.plan import parse_text
from tests.conftest import ROOT

SICHUAN = Jurisdiction("四川省", None, None)
ANHUI = Jurisdiction("安徽省", None, None)
XINJIANG = Jurisdiction("新疆维吾尔自治区", None, None)
CHENGDU = Jurisdiction("四川省", "成都市", "成都")


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(ROOT / "ontology" / "vocab")


def _plan(issuer: str, units: str, plan_id: str) -> Plan:
    return parse_text(f"{issuer}关于推进试点的实施方案\n\n一、任务\n\n1. 合作\n"
                      f"主要举措：（1）推进试点。\n牵头单位：{units}\n完成时限：2023年12月\n", plan_id=plan_id)


@pytest.mark.parametrize(("where", "label", "wanted"), [
    (ANHUI, "国家电网", "国家电网有限公司"),
    (ANHUI, "中国移动", "中国移动通信集团有限公司"),  # not a body of the place 中国
    (SICHUAN, "中石油", "中国石油天然气集团有限公司"),
    (SICHUAN, "三峡集团", "中国长江三峡集团有限公司"),
    (CHENGDU, "华润集团", "华润（集团）有限公司"),
    (CHENGDU, "中国电科", "中国电子科技集团有限公司"),
    (ANHUI, "省国资委、国家电网", "安徽省人民政府国有资产监督管理委员会、国家电网有限公司"),
])
def test_state_owned_groups_by_their_short_names(lexicon: Lexicon, where: Jurisdiction, label: str,
                                                 wanted: str) -> None:
    assert full_name(label, where, lexicon) == wanted


def test_a_state_owned_group_is_one_body_in_every_plan(lexicon: Lexicon) -> None:
    anhui = extract(_plan("安徽省科学技术厅", "省科技厅、国家电网", "anhui-grid"), lexicon)
    chengdu = extract(_plan("成都市科学技术局", "市科技局、国家电网", "chengdu-grid"), lexicon)
    assert anhui.unit_key("国家电网") == chengdu.unit_key("国家电网") == "unit/国家电网有限公司"
    assert dict(anhui.unit_full_names)["国家电网"] == "国家电网有限公司"


def test_enterprise_table_is_well_formed() -> None:
    lines = _ENTERPRISES.read_text("utf-8").splitlines()
    assert lines[0].split("\t")[0] == "registered_name"  # one header line naming the columns
    rows = [line.split("\t") for line in lines[1:] if line and not line.startswith("#")]
    assert all(len(row) == 2 for row in rows)
    registered = [row[0] for row in rows]
    shorts = [short for row in rows for short in row[1].split("|")]
    assert len(set(registered)) == len(registered) and len(set(shorts)) == len(shorts)  # no name means two groups
    assert all(name.endswith("公司") for name in registered)
    assert not set(shorts) & set(registered)
    assert "(" not in "".join(registered)  # registered names bracket full width
    assert len(enterprises()) == len(registered) + len(shorts)


@pytest.mark.parametrize(("where", "label", "wanted"), [
    (SICHUAN, "各市（州）、县（市、区）政府", "四川省各市（州）人民政府、各县（市、区）人民政府"),
    (SICHUAN, "各市(州)、县(市、区)人民政府", "四川省各市（州）人民政府、各县（市、区）人民政府"),
    (XINJIANG, "各地（州、市）、县（市）政府",
     "新疆维吾尔自治区各地（州、市）人民政府（行政公署）、各县（市）人民政府"),
    (SICHUAN, "各市（地）政府", "四川省各市（地）人民政府（行政公署）"),
    (XINJIANG, "各地区政府", "新疆维吾尔自治区各地区人民政府（行政公署）"),
    (SICHUAN, "各地级以上市人民政府", "四川省各地级以上市人民政府"),  # 地级 is no prefecture
    (SICHUAN, "各地政府", "四川省各地人民政府"),  # 各地: every locality
    (CHENGDU, "相关区政府", "成都市相关区人民政府"),
    (CHENGDU, "各区（市）县政府", "成都市各区（市）县人民政府"),
])
def test_collectives_of_governments_name_each_level(lexicon: Lexicon, where: Jurisdiction, label: str,
                                                    wanted: str) -> None:
    assert full_name(label, where, lexicon) == wanted


@pytest.mark.parametrize(("where", "label", "wanted"), [
    (CHENGDU, "各县（市、区）卫生健康局", "各县（市、区）卫生健康局"),
    (CHENGDU, "各区(市)县发展改革局", "各区（市）县发展改革局"),
    (SICHUAN, "各市（州）发展改革委", "各市（州）发展改革委"),
    (SICHUAN, "有关部门", "四川省有关部门"),  # no lower level named: the plan's own departments
])
def test_collectives_of_lower_departments_take_no_prefix(lexicon: Lexicon, where: Jurisdiction, label: str,
                                                         wanted: str) -> None:
    assert full_name(label, where, lexicon) == wanted


def test_lower_departments_of_two_cities_are_two_bodies(lexicon: Lexicon) -> None:
    chengdu = extract(_plan("成都市卫生健康委员会", "市卫健委、各县（市、区）卫生健康局", "chengdu-health"), lexicon)
    mianyang = extract(_plan("绵阳市卫生健康委员会", "市卫健委、各县（市、区）卫生健康局", "mianyang-health"), lexicon)
    label = "各县（市、区）卫生健康局"
    assert dict(chengdu.unit_full_names)[label] == dict(mianyang.unit_full_names)[label] == label
    assert chengdu.unit_key(label) != mianyang.unit_key(label)


def test_no_jurisdiction_no_collective(lexicon: Lexicon) -> None:
    assert full_name("各区（县）科技局", Jurisdiction(None, None, None), lexicon) is None


def test_full_names_bracket_full_width(lexicon: Lexicon) -> None:
    assert full_name("市科技局(市知识产权局)", CHENGDU, lexicon) == "成都市科技局（市知识产权局）"
