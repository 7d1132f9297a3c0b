"""Names never seen before: organisations and places found by their suffix (…大学, …研究院,
…市, …县) where a name can start — after punctuation or a verb such as 联合 or 依托 — and
only when the candidate carries none of the words that mark a generic phrase."""

from __future__ import annotations

import re
from collections.abc import Iterator

_DELIMITERS = set("、，,。；;：:“”\"（）()《》 \u3000\n")
_LEAD_WORDS = ("联合", "依托", "支持", "推动", "推进", "加强", "加快", "对接", "共建", "会同", "引导", "鼓励",
               "组织", "发挥", "指导", "围绕", "聚焦", "参与", "邀请", "协调", "促进", "服务", "举办", "打造",
               "组建", "筹建", "争取", "走进", "落户", "入驻", "包括", "例如", "与", "和", "及", "同", "在",
               "向", "对", "由", "到", "赴", "如")
_LEAD_WORDS_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _word in _LEAD_WORDS:
    _LEAD_WORDS_BY_FIRST[_word[0]] = (*_LEAD_WORDS_BY_FIRST.get(_word[0], ()), _word)
# Partner kinds by the name's last word (longest first); the kinds are the ontology's notations.
ORG_KIND_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "Enterprise"), ("有限公司", "Enterprise"), ("股份公司", "Enterprise"), ("集团", "Enterprise"),
    ("大学", "University"), ("学院", "University"), ("医院", "Hospital"),
    ("研究院", "ResearchInstitute"), ("研究所", "ResearchInstitute"), ("科学院", "ResearchInstitute"),
    ("实验室", "ResearchInstitute"), ("研究中心", "ResearchInstitute"),
    ("中心", "Platform"), ("平台", "Platform"), ("交易所", "Platform"), ("基金", "Platform"),
    ("协会", "Platform"), ("学会", "Platform"), ("联盟", "Platform"),  # no association kind in the ontology
    ("大会", "Event"), ("论坛", "Event"), ("博览会", "Event"), ("交易会", "Event"), ("大赛", "Event"),
)
_ORG_SUFFIX = re.compile(r"(大学|学院|研究院|研究所|科学院|实验室|研究中心|医院|集团|有限公司|股份公司|协会|学会|"
                         r"交易所|博览会|交易会|论坛|联盟)")
_ZONE = re.compile(r"(新区|开发区|高新区|经开区|合作区|示范区|自贸区|自由贸易试验区|实验区|试验区|科学城|生命科学园)$")
_PLACE_SUFFIX = "市县"
# Characters that never occur in the proper names we want, but do in generic phrases.
# (所 and 有 are not here: they end 研究所 and start 有限公司.)
_NOT_IN_NAMES = set("的等了是为把被将已级个家项名左右各全本我该其此这那些批相关")
_NOT_IN_PLACES = _NOT_IN_NAMES | set("一二三四五六七八九十两省市县区开合部分设进实现融城型创业")
_GENERIC_ORGS = re.compile(r"^(?:高校|院所|高等学校|科研院所|重点实验室|研究院|研究所|实验室|公司|企业|"
                           r"国家(?:级|重点|工程|技术创新中心|制造业创新中心|实验室|临床医学研究中心)|国家$|"
                           r"[省市区县](?:级|重点)|(?:互联网|智慧|数字|智能|试点|定点|公立|民营|三级|二级|基层)医院|"
                           r"新型研发|联合|国际|工程技术研究中心|技术创新中心|医院|集团|协会|学会)")
_ORDINAL = re.compile(r"^.*?第[一二三四五六七八九十百零\d]+[届次]")  # 办好第二十五届中国国际… → 中国国际…
_CJK = re.compile(r"[\u3400-\u9fff]")
_VERBS = re.compile(r"建设|开展|推动|推进|加强|支持|培育|组织|实施|打造|提升|完善|建立|发挥|举办")


def boundaries(text: str) -> set[int]:
    """Where a name can start: the text's start, after a delimiter, or after a lead word."""
    starts = {0} | {index + 1 for index, char in enumerate(text) if char in _DELIMITERS}
    for start in range(len(text)):
        # Every lead word ending here opens a boundary (overlapping matches, e.g. 推进 and 进).
        for word in _LEAD_WORDS_BY_FIRST.get(text[start], ()):
            if text.startswith(word, start):
                starts.add(start + len(word))
    return {s for s in starts if s < len(text)} | {0}


def organisation_names(text: str, starts_at: set[int] | None = None) -> Iterator[tuple[int, str]]:
    starts = sorted(starts_at if starts_at is not None else boundaries(text))
    taken_until = -1
    for start in starts:
        if start < taken_until:
            continue
        window = text[start : start + 24]
        cut = next((i for i, char in enumerate(window) if char in _DELIMITERS), len(window))
        match = _ORG_SUFFIX.search(window[:cut])
        if not match:
            continue
        name = window[: match.end()]
        trimmed = trim_organisation(_ORDINAL.sub("", name))
        start, name = start + len(name) - len(trimmed), trimmed
        if len(name) < 4 or name.startswith(_LEAD_WORDS) or _VERBS.search(name) or _GENERIC_ORGS.match(name) or _NOT_IN_NAMES & set(name) or re.search(r"\d", name):
            continue
        if len(_CJK.findall(name)) < 3:
            continue
        taken_until = start + len(name)
        yield start, name


def place_names(text: str, starts_at: set[int] | None = None) -> Iterator[tuple[int, str]]:
    for start in sorted(starts_at if starts_at is not None else boundaries(text)):
        for length in (2, 3):
            name = text[start : start + length + 1]
            if len(name) != length + 1 or name[-1] not in _PLACE_SUFFIX:
                continue
            stem = name[:-1]
            if not all(_CJK.match(c) for c in stem) or _NOT_IN_PLACES & set(stem) or stem.startswith(_LEAD_WORDS) \
                    or _VERBS.search(stem):
                continue
            following = text[start + length + 1 : start + length + 3]
            if following[:1] in set("局委厅级场长政区县市民属内外圈域") or following.startswith(("政府", "范围")):
                continue
            yield start, name
            break


def partner_kind(name: str) -> str:
    return next((kind for suffix, kind in ORG_KIND_SUFFIXES if name.endswith(suffix)), "ResearchInstitute")


def is_organisation(name: str) -> bool:
    """A span that reads as an organisation's name: ends like one, has a distinctive part before
    the suffix and none of the words of a generic phrase (高校, 重点实验室 …)."""
    suffix = next((s for s, _ in ORG_KIND_SUFFIXES if name.endswith(s)), None)
    if suffix is None or len(name) - len(suffix) < 2 or len(_CJK.findall(name)) < 4:
        return False
    return not (_GENERIC_ORGS.match(name) or _VERBS.search(name) or _NOT_IN_NAMES & set(name)
                or name.startswith(_LEAD_WORDS) or any(w in name for w in _LEAD_WORDS if len(w) >= 2))


def is_zone(name: str) -> bool:
    """New areas, development zones, pilot zones: 四川天府新区, 东湖新技术开发区."""
    return bool(_ZONE.search(name)) and len(name) >= 4 and not _NOT_IN_NAMES & set(name) and not _VERBS.search(name)


def trim_organisation(name: str) -> str:
    """Cut what LAC glued before a name: 医疗机构联合北京智源人工智能研究院 → 北京智源人工智能研究院."""
    cut = 0
    for word in (*(w for w in _LEAD_WORDS if len(w) >= 2 and w != "服务"), "试点", "建设", "打造", "办好"):
        at = name.rfind(word)
        if at >= 0 and is_organisation(name[at + len(word):]):
            cut = max(cut, at + len(word))
    return name[cut:]
