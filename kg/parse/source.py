"""Reading plan files: bytes → text, with the encodings Chinese government files come in.

Every failure is a ``PlanError`` whose message names the file and the problem in one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

_CJK = re.compile(r"[\u3400-\u9fff]")
# Control characters that never occur in a text document (tab, LF, CR and FF are allowed).
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class PlanError(InputError):
    """A plan that cannot be read or parsed; ``str()`` is a one-line message for users."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


@dataclass(frozen=True)
class SourceText:
    file: str
    text: str
    encoding: str


def decode(data: bytes, file: str) -> SourceText:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.

    >>> decode("附件".encode("gb18030"), "a.txt").encoding
    'gb18030'
    """
    if not data.strip():
        raise PlanError(file, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _try(data, "utf-16", file), "utf-16"
    elif b"\x00" in data:
        raise PlanError(file, "this is a binary file, not a plan text (it contains NUL bytes)")
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _try(data, "gb18030", file), "gb18030"
    if len(_BINARY.findall(text)) > max(2, len(text) // 1000):
        raise PlanError(file, "this is a binary file, not a plan text (control characters)")
    if not _CJK.search(text):
        raise PlanError(file, "no Chinese text found: not a plan, or an unsupported encoding")
    return SourceText(file=file, text=text, encoding=encoding)


def _try(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise PlanError(
            file,
            f"unknown text encoding (not UTF-8, UTF-16 or GB18030; bad byte at offset {error.start})",
        ) from None


def read_source(path: Path) -> SourceText:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanError(str(path), f"cannot read the file ({error.strerror})") from None
    return decode(data, str(path))
