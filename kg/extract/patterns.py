"""Names never seen before: organisations and places found by their suffix (…大学, …研究院,
…市, …县) where a name can start — after punctuation or a verb such as 联合 or 依托 — and
only when the candidate carries none of the words that mark a generic phrase."""

from __future__ import annotations

import re
from collections.abc import Iterator

_DELIMITERS = set("、，,。；;：:“”\"（）()《》 \u3000\n")
_LEAD_WORDS = ("联合", "依托", "支持", "推动", "推进", "加强", "加快", "对接", "共建", "会同", "引导", "鼓励",
               "组织", "发挥", "指导", "围绕", "聚焦", "参与", "邀请", "协调", "促进", "服务", "举办", "打造",
               "组建", "筹建", "建立", "成立", "设立", "争取", "参加", "出席", "配合", "走进", "落户", "入驻", "包括", "例如", "与", "和", "及", "同", "在",
               "向", "对", "由", "到", "赴", "如")
_LEAD_WORDS_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _word in _LEAD_WORDS:
    _LEAD_WORDS_BY_FIRST[_word[0]] = (*_LEAD_WORDS_BY_FIRST.get(_word[0], ()), _word)
# Partner kinds by the name's last word; the kinds are the ontology's notations.
_ORG_KINDS: tuple[tuple[str, str], ...] = (
    ("股份有限公司", "Enterprise"), ("有限责任公司", "Enterprise"), ("有限公司", "Enterprise"), ("股份公司", "Enterprise"), ("集团", "Enterprise"),
    ("大学", "University"), ("学院", "University"), ("医院", "Hospital"),
    ("研究院", "ResearchInstitute"), ("研究所", "ResearchInstitute"), ("科学院", "ResearchInstitute"),
    ("实验室", "ResearchInstitute"), ("研究中心", "ResearchInstitute"),
    ("中心", "Platform"), ("平台", "Platform"), ("交易所", "Platform"), ("基金", "Platform"),
    ("协会", "Platform"), ("学会", "Platform"), ("联盟", "Platform"),  # no association kind in the ontology
    ("大会", "Event"), ("论坛", "Event"), ("博览会", "Event"), ("交易会", "Event"), ("大赛", "Event"),
)
# longest first, so 中医药科学院 is a research institute (科学院), not a university (学院)
ORG_KIND_SUFFIXES = tuple(sorted(_ORG_KINDS, key=lambda pair: -len(pair[0])))
_ORG_SUFFIX = re.compile(r"(大学|学院|研究院|研究所|科学院|实验室|研究中心|医院|集团|有限责任公司|有限公司|股份公司|协会|学会|"
                         r"交易所|博览会|交易会|论坛|联盟)")
_ZONE = re.compile(r"(新区|开发区|高新区|经开区|合作区|示范区|自贸区|自由贸易试验区|实验区|试验区|科学城|生命科学园|"
                   r"国家公园|自然保护区|风景名胜区|湿地公园|森林公园|地质公园)$")
_NATIONAL_GRADE = re.compile(r"国家级|国家|省级")
_PLACE_SUFFIX = "市县"
# Characters that never occur in the proper names we want, but do in generic phrases.
# (所 and 有 are not here: they end 研究所 and start 有限公司.)
# 为 is allowed (华为技术有限公司); 全 only in 全俄/全美/全欧 … (全俄大豆科学研究所), not in 全省/全国.
_NOT_IN_NAMES = set("的等了是把被将已级个家项名左右各全本我该其此这那些批相关")
_FOREIGN_ALL = re.compile(r"全(?=[俄美欧英法德日印澳加])")
_NOT_IN_PLACES = _NOT_IN_NAMES | set("为") | set("一二三四五六七八九十两省市县区开合部分设进实现融城型创业")
_GENERIC_ORGS = re.compile(r"^(?:高校|院所|高等学校|科研院所|重点实验室|研究院|研究所|实验室|公司|企业|"
                           r"国家(?:级|重点|工程|技术创新中心|制造业创新中心|实验室|临床医学研究中心)|国家$|"
                           r"[省市区县](?:级|重点)|(?:互联网|智慧|数字|智能|试点|定点|公立|民营|三级|二级|基层)+医院|"
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
        if len(name) < 4 or name.startswith(_LEAD_WORDS) or _VERBS.search(name) or _GENERIC_ORGS.match(name) or _not_in_name(name) or re.search(r"\d", name):
            continue
        suffix = next((s for s, _ in ORG_KIND_SUFFIXES if name.endswith(s)), "")
        if len(_CJK.findall(name)) < 3 or len(name) - len(suffix) < 2:  # （合肥）股份有限公司: no name before
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


# 国家 inside a name only as the national lab or research centre it names: 合肥国家实验室,
# 武汉光电国家研究中心 (家 otherwise marks 专家, 企业家, 国家级 …).
_NATIONAL_LAB = re.compile(r"国家(?=(?:实验室|研究中心)$)")


def _not_in_name(name: str) -> bool:
    """The name carries a character of generic phrases (全 of 全俄/全美 … excepted)."""
    return bool(_NOT_IN_NAMES & set(_FOREIGN_ALL.sub("", _NATIONAL_LAB.sub("", name))))


def partner_kind(name: str) -> str:
    return next((kind for suffix, kind in ORG_KIND_SUFFIXES if name.endswith(suffix)), "ResearchInstitute")


def is_organisation(name: str) -> bool:
    """A span that reads as an organisation's name: ends like one, has a distinctive part before
    the suffix and none of the words of a generic phrase (高校, 重点实验室 …)."""
    suffix = next((s for s, _ in ORG_KIND_SUFFIXES if name.endswith(s)), None)
    if suffix is None or len(name) - len(suffix) < 2 or len(_CJK.findall(name)) < 4:
        return False
    return not (_GENERIC_ORGS.match(name) or _VERBS.search(name) or _not_in_name(name)
                or name.startswith(_LEAD_WORDS) or any(w in name for w in _LEAD_WORDS if len(w) >= 2))


def is_zone(name: str) -> bool:
    """New areas, development zones, pilot zones, protected areas: 四川天府新区, 东湖新技术开发区,
    大熊猫国家公园, 卧龙国家级自然保护区 — with a proper name before the kind (not 国家公园 alone)."""
    suffix = _ZONE.search(name)
    if not suffix or len(name) < 4 or _VERBS.search(name):
        return False
    proper = _NATIONAL_GRADE.sub("", name[: suffix.start()])
    return len(proper) >= 2 and not _NOT_IN_NAMES & set(proper)


def join_zone_spans(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """NER cuts some zones in two adjacent places (亚洲 + 象国家公园): joined when only the whole is a zone."""
    joined: list[tuple[int, int, str]] = []
    for start, end, tag in spans:
        if joined and tag == "LOC" == joined[-1][2] and joined[-1][1] == start \
                and is_zone(text[joined[-1][0] : end]) and not is_zone(text[start:end]):
            joined[-1] = (joined[-1][0], end, tag)
        else:
            joined.append((start, end, tag))
    return joined


_BODY_ENDS = set("院所校司局委厅办会部心")


def trim_organisation(name: str) -> str:
    """Cut what LAC glued before a name: 医疗机构联合北京智源人工智能研究院 → 北京智源人工智能研究院."""
    cut = 0
    for word in (*(w for w in _LEAD_WORDS if len(w) >= 2 and w != "服务"), "试点", "建设", "打造", "办好"):
        at = name.rfind(word)
        if at >= 0 and is_organisation(name[at + len(word):]):
            cut = max(cut, at + len(word))
    # 省农科院与全俄大豆科学研究所: 与/和/及 after a body's (short) name joins two bodies; after
    # anything else it is part of the name (东北地理与农业生态研究所).
    for at, char in enumerate(name):
        if at > cut and char in "与和及同" and name[at - 1] in _BODY_ENDS and is_organisation(name[at + 1 :]):
            cut = at + 1
    return name[cut:]


# Bodies and facilities that end in a common noun (中心, 平台, 库, 集群, 基地, 产业技术体系) are
# names only after a proper name: a place (韶关数据中心集群, 北京市全民健康信息平台), 国家 or 中国
# (国家作物种质库, 中国种业大数据平台); the part between must say more than generic words.
_PROPER_SUFFIX = re.compile(r"中心|平台|库|集群|基地|产业技术体系")
NATIONAL_PREFIXES = ("国家", "中国")
_GENERIC_MIDDLE = re.compile(r"(?:技术|创新|科技|工程|研究|研发|产业|数据|服务|公共|重点|综合|制造业|临床医学|应用|示范|"
                             r"合作|国际|区域|共享|信息|协同|开放|共性|孵化|转化|转移|成果|交易|大|新型|高端|"
                             r"培训|检验|检测|认证|标准|质量|安全|网络|计算|算力|智能|数字)*")
_NOT_IN_FACILITIES = _NOT_IN_NAMES - {"全"}  # 全民健康信息平台
_STOP_WORDS = tuple(w for w in _LEAD_WORDS if len(w) >= 2 and w != "服务")  # 共享服务平台


def proper_facility(text: str, start: int, prefix: str) -> str | None:
    """The facility or programme named at text[start:] after its proper ``prefix``, or None."""
    rest = text[start + len(prefix) : start + len(prefix) + 14]
    masked = rest.replace("国家", "国国")  # 家 marks generic phrases (专家, 企业家), not 国家
    cut = next((i for i, c in enumerate(masked) if c in _DELIMITERS or c in _NOT_IN_FACILITIES or not _CJK.match(c)),
               len(rest))
    verb = _VERBS.search(rest[:cut])
    cut = min([cut, *([verb.start()] if verb else []), *(i for w in _STOP_WORDS if (i := rest.find(w, 0, cut)) >= 0)])
    end = None
    for match in _PROPER_SUFFIX.finditer(rest[:cut]):
        middle = rest[: match.start()]
        if len(middle) >= 2 and not _GENERIC_MIDDLE.fullmatch(middle):
            end = match.end()
    if end is None:
        return None
    name = prefix + rest[:end]
    return None if _GENERIC_ORGS.match(name) else name


# Enterprises named in a list before 等（骨干/龙头 …）企业: 支持垦丰种业、龙科种业等骨干企业.
# (等面板企业, 等光伏企业: an industry word may stand before 企业, but no 领域/行业 phrase)
_ENTERPRISE_LIST = re.compile(r"等(?:一批)?(?:骨干|龙头|领军|重点|优势|头部|链主|代表性|知名|大型|"
                              r"(?:(?!领域|行业|产业|相关|各类)[\u4e00-\u9fff]){1,4}?)?企业")
_NOT_ENTERPRISE = re.compile(r"企业|机构|院所|高校|单位|组织|部门|平台|基地|园区|产业|行业|领域|集群|主体|医院|学校|地区|城市")


def listed_enterprises(text: str, starts: set[int]) -> Iterator[tuple[int, str]]:
    for match in _ENTERPRISE_LIST.finditer(text):
        begin = match.start()
        while begin > 0 and (text[begin - 1] not in _DELIMITERS or text[begin - 1] == "、"):
            begin -= 1
        offset = begin
        for index, item in enumerate(text[begin : match.start()].split("、")):
            item_start = offset
            offset += len(item) + 1
            if index == 0:  # the list starts after its verb: 支持垦丰种业 → 垦丰种业
                lead = max((s for s in starts if item_start <= s < item_start + len(item) - 1), default=item_start)
                item, item_start = item[lead - item_start :], lead
                verb = _VERBS.match(item)  # 培育比亚迪 → 比亚迪
                if verb:
                    item, item_start = item[verb.end() :], item_start + verb.end()
            if not 3 <= len(item) <= 10 or not all(_CJK.match(c) or c.isascii() and c.isalnum() for c in item) \
                    or not _CJK.match(item[0]) or _not_in_name(item) or _VERBS.search(item) \
                    or _NOT_ENTERPRISE.search(item) or item.startswith(_LEAD_WORDS) or re.search(r"\d", item):
                continue
            yield item_start, item


# A registered company with its seat in brackets: 本源量子计算科技（合肥）股份有限公司.
_REGISTERED = re.compile(r"[\u4e00-\u9fff]{2,16}[（(][\u4e00-\u9fff]{2,6}[）)](?:股份有限公司|有限责任公司|有限公司)")


def registered_companies(text: str, starts: set[int]) -> Iterator[tuple[int, str]]:
    for match in _REGISTERED.finditer(text):
        seat = match.group(0).index("（") if "（" in match.group(0) else match.group(0).index("(")
        for start in sorted(s for s in starts if match.start() <= s < match.start() + seat - 1):
            name = text[start : match.end()]
            stem = name[: seat - (start - match.start())]
            # the seat in brackets marks a registered name, so only a verb or 的 rules it out (本源 is a name)
            if not (stem.startswith(_LEAD_WORDS) or _VERBS.search(stem) or "的" in stem):
                yield start, name
                break


# A platform printed as a quoted name before 小程序/APP/平台: “京通”小程序.
_QUOTED_PLATFORM = re.compile(r"[“\"]([^”\"，。、；,;+＋\s]{2,10})[”\"](?:小程序|APP|App|app|客户端|公众号|平台|网站|门户)")


def quoted_platforms(text: str) -> Iterator[tuple[int, str]]:
    for match in _QUOTED_PLATFORM.finditer(text):
        name = match.group(1)
        if all(_CJK.match(c) or c.isascii() and c.isalnum() for c in name) and not _not_in_name(name) \
                and not _VERBS.search(name) and not re.search(r"\d", name):
            yield match.start(1), name


# A name that is only a field and a generic body: 人工智能联合实验室, 生物医药创新中心.
GENERIC_AFTER_FIELD = re.compile(
    r"(?:联合|创新|重点|工程|技术|研究|研发|产业|协同|公共|服务|开放|共性|应用|示范|新型|高端)*(?:"
    + "|".join(re.escape(s) for s, _ in ORG_KIND_SUFFIXES) + ")")

# A partner followed by its campus in brackets: 香港科技大学（广州）.
CAMPUS = re.compile(r"[（(]([\u4e00-\u9fff]{2,6})[）)]")


# 省农科院 in a Heilongjiang plan is 黑龙江省农业科学院: a relative name (省/市 + a body's short
# name) where a name can start, resolved in the plan's jurisdiction.
_RELATIVE_BODY = re.compile(r"([省市])(农业科学院|社会科学院|林业科学院|医学科学院|科学院|农科院|社科院|林科院|医科院)")
_SHORT_BODIES = {"农科院": "农业科学院", "社科院": "社会科学院", "林科院": "林业科学院", "医科院": "医学科学院"}


def relative_bodies(text: str, relative: dict[str, str | None], starts: set[int]) -> Iterator[tuple[int, str, str]]:
    """(start, printed label, full name) of each relative body name in ``text``."""
    for match in _RELATIVE_BODY.finditer(text):
        home = relative.get(match.group(1))
        if home and match.start() in starts:
            yield match.start(), match.group(0), home + _SHORT_BODIES.get(match.group(2), match.group(2))
