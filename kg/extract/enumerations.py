"""Fields named by enumeration: plans list the fields they mean as 聚焦A、B、C等重点产业 (领域,
方向, 行业, 专科, 关键部件 …). Each item of such a 、-list is a field even where the taxonomy lacks
it; linking mints the ones no vocabulary entry names (as patterns mint new partners).

An item is kept when it reads as a name: 2-12 characters, no verb or function word, no actor or
place suffix, not a generic scope (政务, 企业, 高校), not a known label of another kind, and not a
known field with a generic modifier (新一代电子信息, 医学影像设备 stay with the known field). A list
closed by …等技术 names fields only if one of its items is already a known field (机器视觉质检、
预测性维护等技术 lists applications)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.extract.lexicon import Lexicon
from kg.extract.patterns import boundaries
from kg.model import Entity

_GAZETTEER = "place/cn-"  # keys of divisions generated from the national gazetteer

_MODIFIERS = r"(?:重点|新兴|优势|特色|支柱|主导|战略性|前沿|未来|关键|核心|共性|先进|高端|传统|基础|临床|重要|细分|新)*"
_HEADS = r"产业|领域|方向|行业|专科|学科|关键部件|核心部件|关键器件|核心器件|技术"
_LIST_END = re.compile(rf"等{_MODIFIERS}({_HEADS})")
# A head noun that goes on as a compound names something else: 等产业集群, 等行业协会, 等领域专家.
_COMPOUND = re.compile(r"服务|企业|人才|集群|园区|基地|平台|联盟|协会|学会|标准|项目|中心|机构|部门|主管|龙头|骨干|链|"
                       r"团队|专家|人员|组织|资源|工人|从业")
_WEAK_HEADS = ("技术",)
_CLAUSE_BREAK = re.compile(r"[，,。；;：:！？!?\n（）()“”《》]")
_AND = re.compile(r"以及|和|及|与")
_OPENERS = re.compile(r"补齐|补强|发展|布局|培育|壮大|突破|攻克|研发|提升|拓展|强化|建设|涵盖|包括|覆盖|面向|瞄准|针对|"
                      r"聚集|集聚|引进|做强|做优|做大|优化|重点|实施|开展|深化|加快|推广|应用|延伸|赋能|打造|完善|形成")
_NOT_IN_ITEMS = re.compile(r"[的等各全本我该其此这那些之]|相关|建设|开展|推动|推进|加强|支持|组织|实施|提升|完善|建立|发挥|"
                           r"举办|应用|示范|\d")
_GENERIC = frozenset({"政务", "民生", "企业", "高校", "院所", "科研院所", "高等院校", "医院", "医疗机构", "单位", "机构",
                      "部门", "政府", "社会", "城市", "农村", "乡村", "基层", "公共服务", "社会治理", "城市治理", "城市管理",
                      "其他", "制造业", "服务业", "传统产业", "新兴产业", "未来产业", "产业", "行业", "领域", "国防"})
_ACTOR_OR_PLACE_END = re.compile(r"(?:企业|公司|集团|大学|学院|医院|机构|院所|单位|部门|政府|中心|平台|园区|基地|省|市|县|州|区|"
                                 r"国|地区|乡|镇|村)$")
_GENERIC_AFFIX = re.compile(r"^(?:新一代|新型|高端|先进|现代|智能|绿色|传统|新兴|重点|关键|核心|前沿|未来|特色|优势|高性能|"
                            r"高品质|新)?(?P<core>.+?)(?:设备|装备|产业|行业|技术|产品|领域|应用|服务|系统)?$")


def enumerated_fields(texts: Iterable[str], lexicon: Lexicon) -> dict[str, Entity]:
    """New field entities, by name, for the unknown items of field enumerations in ``texts``."""
    found: dict[str, Entity] = {}
    for text in texts:
        for match in _LIST_END.finditer(text):
            if _COMPOUND.match(text, match.end()):
                continue
            items = _items(text, match.start())
            if len(items) < 2:
                continue
            known = [item for item in items if lexicon.find(item, "field")]
            if match.group(1) in _WEAK_HEADS and not known:
                continue
            for item in items:
                if item not in found and _mintable(item, lexicon):
                    found[item] = Entity(key=f"field/{item}", kind="field", name=item, labels=(item,))
    return found


def _items(text: str, end: int) -> list[str]:
    """The items of the 、-list ending at text[end] (the 等), read from the right: the list starts
    at the part that carries a lead word or is too long to be one item (…县级医院补齐急诊急救)."""
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, end)), default=0)
    parts = text[clause_start:end].split("、")
    items: list[str] = []
    for position in range(len(parts) - 1, -1, -1):
        part = parts[position].strip()
        if position == len(parts) - 1:  # A、B和C等: the last part may join two items
            pieces = [piece for piece in _AND.split(part) if piece]
            if len(pieces) > 1 and len(parts) > 1 and all(len(piece) <= 12 for piece in pieces):
                items[:0] = pieces
                continue
        bare = _without_lead(part)
        if bare:
            items.insert(0, bare)
        if position == 0 or bare != part or len(part) > 12:
            break
    return items


def _without_lead(segment: str) -> str:
    """聚焦量子芯片 → 量子芯片: the text after the last place a name can start."""
    starts = boundaries(segment) | {m.end() for m in _OPENERS.finditer(segment)}
    starts |= {m.end() for m in _AND.finditer(segment)}
    for start in sorted(starts, reverse=True):
        if len(segment) - start >= 2:
            return segment[start:]
    return segment


def _mintable(item: str, lexicon: Lexicon) -> bool:
    if not 2 <= len(item) <= 12 or item in _GENERIC or _NOT_IN_ITEMS.search(item) or _ACTOR_OR_PLACE_END.search(item):
        return False
    if lexicon.by_label.get(item):
        return False  # a known field links anyway; a known place, partner or unit is no field
    for index in range(len(item)):
        known = lexicon.longest_at(item, index, frozenset({"field", "place", "partner", "unit"}))
        if known is None:
            continue
        label, entity = known
        if entity.key.startswith(_GAZETTEER) and label != entity.name:
            continue  # 安宁 in 安宁疗护: a division elsewhere counts only under its official name (as in linking)
        if entity.kind != "field" or index == 0:
            return False  # 武汉光谷…, 医学影像设备: a known name leads the item
        core = _GENERIC_AFFIX.match(item)
        if core is not None and core.group("core") == label:
            return False  # 新一代电子信息: the known field with a generic modifier
        return index + len(label) == len(item)  # 量子芯片: a distinct kind of a known field
    return True
