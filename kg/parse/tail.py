"""The head and tail of a plan: 附件 header, title, subtitle; 抄送, issuing office, dates, issuer."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.chinese import printed_date
from kg.parse.front import Notice, find_notice, signature_block
from kg.parse.layout import APPENDIX_HEADING, SECTION, Line, depth0_split

_DOC_NUMBER = re.compile(r"〔\d{4}〕\s*\d+\s*号$|\[\d{4}\]\s*\d+\s*号$")
_TITLE_END = re.compile(r"(方案|意见|通知|计划|办法|规划|细则|要点|清单|举措|措施)\s*([（(][^）)]*[）)])?$")
_ORG_END = re.compile(r"(厅|局|委员会|委|部|政府|办公厅|办公室|中心|院|署)$")


_MASTHEAD = re.compile(r"^[\u3400-\u9fff（）()、\s]{4,40}文件$")
_OFFICE_DATE = re.compile(r"^(\S.*?)[\s\u3000]+(\S*\d[\S]*年\S+日\s*(?:印发|发布|印)?)$")


@dataclass(frozen=True)
class Head:
    header: str | None
    title: list[Line]
    subtitle: str | None
    body_start: int  # index into lines
    doc_number: str | None = None
    notice: Notice | None = None


@dataclass(frozen=True)
class Tail:
    body_end: int  # index into lines
    issuer: str | None = None
    issuer_short: str | None = None
    issuing_office: str | None = None
    issue_date: str | None = None
    issue_date_raw: str | None = None
    signed_date: str | None = None
    cc_raw: str | None = None
    cc: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()  # joint issuers signing at the end, in printed order


def split_title(lines: list[Line]) -> Head | None:
    index = _next(lines, 0)
    if index is None:
        return None
    header = doc_number = None
    while index is not None and (_MASTHEAD.match(lines[index].text) or _DOC_NUMBER.search(lines[index].text)):
        if _DOC_NUMBER.search(lines[index].text) and doc_number is None:
            doc_number = lines[index].text.strip()
        index = _next(lines, index + 1)
    if index is None:
        return None
    notice = find_notice(lines, index)
    if notice is not None:
        index = notice.plan_start
    if APPENDIX_HEADING.match(lines[index].text):
        header = lines[index].text
        index = _next(lines, index + 1)
        if index is None:
            return None
    while _DOC_NUMBER.search(lines[index].text) and (following := _next(lines, index + 1)) is not None:
        index = following
    header = header or doc_number
    title: list[Line] = []
    while index < len(lines) and lines[index].text and not SECTION.match(lines[index].text):
        title.append(lines[index])
        index += 1
        if _TITLE_END.search(lines[index - 1].text) or len(title) >= 4:
            break
    subtitle = None
    following = _next(lines, index)
    if following is not None and re.match(r"^(——|—|[（(]\s*\d{4}|[（(][^）)]{1,20}稿[）)])", lines[following].text):
        subtitle = lines[following].text
        index = following + 1
    return Head(header=header, title=title, subtitle=subtitle, body_start=index, doc_number=doc_number,
                notice=notice)


def find_tail(lines: list[Line], body_start: int) -> Tail:
    """Find 抄送, the issuing office and the issue date at the end of the document."""
    cc_index = next((i for i in range(len(lines) - 1, body_start - 1, -1)
                     if lines[i].text.startswith("抄送")), None)
    date_index = next((i for i in range(len(lines) - 1, body_start - 1, -1)
                       if printed_date(_date_part(lines[i].text)[1], imprint=True)), None)
    issue_date = issue_date_raw = signed_date = office = None
    signers: tuple[str, ...] = ()
    body_end = len(lines)
    if date_index is not None and (cc_index is None or date_index > cc_index
                                   or "印" in lines[date_index].text):
        office, issue_date_raw = _date_part(lines[date_index].text)
        issue_date = printed_date(issue_date_raw, imprint=True)
        body_end = date_index
        office_index = _previous(lines, date_index - 1, body_start)
        if office is None and office_index is not None and _is_org_line(lines[office_index].text):
            office = lines[office_index].text
            body_end = office_index
            top, names = signature_block(lines, date_index, body_start)
            if len(names) > 1 and all(_is_org_line(name) for name in names):  # joint issuers sign the plan
                office, body_end, signers = None, top, names
    cc_raw = None
    cc: tuple[str, ...] = ()
    if cc_index is not None and cc_index < body_end:
        cc_lines = [line.text for line in lines[cc_index:body_end] if line.text]
        cc_raw = "".join(cc_lines)
        body = re.sub(r"^抄送\s*[:：]?", "", cc_raw)
        cc = tuple(p.strip() for _, p in depth0_split(body, "，,、；;。") if p.strip())
        body_end = cc_index
    # A signature block (issuer name, then a date without 印发) closes the body.
    last = _previous(lines, body_end - 1, body_start)
    signature = None
    if last is not None and printed_date(lines[last].text, imprint=True):
        signed_date = printed_date(lines[last].text, imprint=True)
        if issue_date is None:
            issue_date, issue_date_raw = signed_date, lines[last].text
        body_end = last
        name = _previous(lines, last - 1, body_start)
        if name is not None and _is_org_line(lines[name].text):
            # joint issuers sign one above the other (or side by side): the first printed leads
            top, signers = signature_block(lines, last, body_start)
            if len(signers) > 1 and all(_is_org_line(s) for s in signers):
                signature, body_end = signers[0], top
            else:
                signature, body_end, signers = lines[name].text, name, ()
    issuer = _issuer(office, signature or (signers[0] if signers else None), lines, body_start)
    return Tail(body_end=body_end, issuer=issuer, issuer_short=short_name(issuer), issuing_office=office,
                issue_date=issue_date, issue_date_raw=issue_date_raw, signed_date=signed_date,
                cc_raw=cc_raw, cc=cc, signers=signers)


def _date_part(text: str) -> tuple[str | None, str]:
    """(issuing office, date) of an imprint line "XX办公厅　　2022年4月8日印发"."""
    match = _OFFICE_DATE.match(text)
    if match and _is_org_line(match.group(1).strip()) and printed_date(match.group(2), imprint=True):
        return match.group(1).strip(), match.group(2).strip()
    return None, text


def _issuer(office: str | None, signature: str | None, lines: list[Line], body_start: int) -> str | None:
    if signature:
        return signature
    if office:
        name = re.sub(r"办公室$", "", office)
        if name != office and _ORG_END.search(name):
            return name
    title = "".join(line.text for line in lines[:body_start])
    match = re.search(r"(?:附件\d*)?([^\s附件]{2,30}?)关于", title)
    if match and _ORG_END.search(match.group(1)):
        return match.group(1)
    return office


def short_name(issuer: str | None) -> str | None:
    """省科技厅 for 江苏省科学技术厅, 市科技局 for 宁波市科学技术局."""
    if issuer is None:
        return None
    short = re.sub(r"^[\u3400-\u9fff]{2,4}?(省|市|自治区)", r"\1", issuer)
    short = short.replace("科学技术", "科技").replace("人民政府", "政府").replace("发展和改革", "发展改革")
    return re.sub(r"委员会$", "委", short)


def _is_org_line(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[，。；：,;:]", text) and bool(_ORG_END.search(text))



def _next(lines: list[Line], index: int) -> int | None:
    return next((i for i in range(index, len(lines)) if lines[i].text), None)


def _previous(lines: list[Line], index: int, floor: int) -> int | None:
    return next((i for i in range(index, floor - 1, -1) if lines[i].text), None)
