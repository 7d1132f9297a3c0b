"""Zones and protected areas found by NER, and world regions: places beyond the gazetteer's
administrative divisions."""

from __future__ import annotations

import pytest

from kg.extract.ner import entity_spans
from kg.extract.patterns import is_zone, join_zone_spans


@pytest.mark.parametrize(("name", "zone"), [
    ("四川天府新区", True), ("武汉经开区", True), ("大熊猫国家公园", True), ("卧龙国家级自然保护区", True),
    ("九寨沟风景名胜区", True), ("西溪国家湿地公园", True),
    ("国家公园", False), ("国家级自然保护区", False), ("象国家公园", False), ("自由贸易试验区", False),
])
def test_a_zone_has_a_proper_name_before_its_kind(name: str, zone: bool) -> None:
    assert is_zone(name) is zone


def test_adjacent_places_are_joined_when_only_the_whole_is_a_zone() -> None:
    text = "推进亚洲象国家公园创建"
    spans = [(2, 4, "LOC"), (4, 9, "LOC")]
    assert join_zone_spans(text, spans) == [(2, 9, "LOC")]
    assert join_zone_spans("成都绵阳", [(0, 2, "LOC"), (2, 4, "LOC")]) == [(0, 2, "LOC"), (2, 4, "LOC")]


def test_protected_areas_come_out_of_ner_whole() -> None:
    text = "加快推进亚洲象国家公园、大熊猫国家公园创建，保护卧龙国家级自然保护区"
    zones = {text[a:b] for a, b, tag in entity_spans(text) if tag == "LOC" and is_zone(text[a:b])}
    assert zones == {"亚洲象国家公园", "大熊猫国家公园", "卧龙国家级自然保护区"}


def test_world_regions_are_places() -> None:
    from kg.extract.lexicon import load_lexicon
    from kg.extract.linking import extract
    from kg.parse.plan import parse_text
    from tests.conftest import ROOT

    plan = parse_text("测试方案\n\n一、重点任务\n\n1.拓展市场\n\n（1）支持企业开拓东南亚、中亚和非洲市场。\n\n牵头单位：省商务厅\n\n完成时限：2025年\n")
    places = {m.name for m in extract(plan, load_lexicon(ROOT / "ontology" / "vocab")).mentions if m.kind == "place"}
    assert {"东南亚", "中亚", "非洲"} <= places
