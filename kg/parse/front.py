"""A cover notice before the plan (关于印发《…》的通知): its title, addressees, body, the joint
signature block and its date; the plan proper starts after it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.chinese import printed_date
from kg.parse.layout import APPENDIX_HEADING, Line

_ORG = re.compile(r"(厅|局|委|委员会|部|政府|办公厅|办公室|中心|院|署|小组|组|会|行|公司)$")
_NOTE = re.compile(r"^[（(][^）)]{2,20}[）)]$|^(公开方式|信息公开)")


@dataclass(frozen=True)
class Notice:
    title: str  # joined, inner spaces between joint issuers removed
    title_raw: str
    issuers: tuple[str, ...]  # the signature block in printed order
    signed_date: str | None  # YYYY-MM-DD
    signed_raw: str | None
    plan_start: int  # index of the first line of the plan proper


def find_notice(lines: list[Line], index: int) -> Notice | None:
    """The cover notice starting at ``lines[index]``, or None when the plan starts there."""
    title_lines: list[Line] = []
    position = index
    while position < len(lines) and lines[position].text and len(title_lines) < 5:
        title_lines.append(lines[position])
        position += 1
        if re.search(r"通知$", lines[position - 1].text):
            break
    raw = "\n".join(line.text for line in title_lines)
    if not re.search(r"(印发|转发|发布).*通知$", raw.replace("\n", "")):
        return None
    date_at = next((i for i in range(position, min(len(lines), position + 400))
                    if printed_date(lines[i].text)), None)
    plan_start = None
    issuers: tuple[str, ...] = ()
    signed = signed_raw = None
    if date_at is not None:
        signed_raw = lines[date_at].text
        signed = printed_date(signed_raw)
        _, issuers = signature_block(lines, date_at)
        plan_start = _skip_notes(lines, date_at + 1)
    else:  # no dated signature: the plan starts after an 附件 line
        appendix = next((i for i in range(position, len(lines)) if APPENDIX_HEADING.match(lines[i].text)), None)
        if appendix is not None:
            plan_start = appendix
    if plan_start is None or plan_start >= len(lines):
        return None
    title = re.sub(r"[\s\u3000]+", "", raw)
    return Notice(title=title, title_raw=raw, issuers=issuers, signed_date=signed, signed_raw=signed_raw,
                  plan_start=plan_start)


def signature_block(lines: list[Line], date_at: int, floor: int = 0) -> tuple[int, tuple[str, ...]]:
    """Issuer names on the lines just above the date, several to a line when separated by spaces,
    and the index of the block's first line (``date_at`` when there is none)."""
    names: list[str] = []
    top = date_at
    position = date_at - 1
    while position >= floor and len(names) < 8:
        text = lines[position].text
        if not text:
            position -= 1
            continue
        parts = re.split(r"[\s\u3000]+", text)
        if len(text) > 80 or not all(_ORG.search(part) and not re.search(r"[，。；：,;:]", part) for part in parts):
            break
        names[:0] = parts
        top = position
        position -= 1
    return top, tuple(names)


def _skip_notes(lines: list[Line], index: int) -> int | None:
    while index < len(lines) and (not lines[index].text or _NOTE.match(lines[index].text)):
        index += 1
    return index if index < len(lines) else None

