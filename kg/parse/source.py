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
# The largest plan file read: real plans are well under 1 MB; the limit keeps one file from
# taking the build's memory and time (documented in the README).
MAX_PLAN_BYTES = 5 * 1024 * 1024


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
    if len(data) > MAX_PLAN_BYTES:
        raise PlanError(file, f"the file is {len(data) / 2**20:.1f} MB; plan files are limited to "
                              f"{MAX_PLAN_BYTES // 2**20} MB")
    if not data.strip():
        raise PlanError(file, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _try(data, "utf-16", file), "utf-16"
    elif b"\x00" in data:
        raise PlanError(file, "this is a binary file, not a plan text (it contains NUL bytes)")
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError as error:
            # utf-8-sig counts from after the BOM; the offset reported is the file's own.
            error.start += 3 if data.startswith(b"\xef\xbb\xbf") else 0
            if error.reason == "unexpected end of data":
                # Valid UTF-8 up to a character cut off at the end: a truncated file, reported
                # in the file's own terms rather than as whatever GB18030 makes of it.
                raise PlanError(file, f"the file ends in the middle of a UTF-8 character (byte offset "
                                      f"{error.start}): it looks truncated") from None
            text, encoding = _try(data, "gb18030", file, utf8_error=error), "gb18030"
    if len(_BINARY.findall(text)) > max(2, len(text) // 1000):
        raise PlanError(file, "this is a binary file, not a plan text (control characters)")
    if not _CJK.search(text):
        raise PlanError(file, "no Chinese text found: not a plan, or an unsupported encoding")
    return SourceText(file=file, text=text, encoding=encoding)


def _try(data: bytes, encoding: str, file: str, utf8_error: UnicodeDecodeError | None = None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        # Text that was valid multi-byte UTF-8 before its bad byte is UTF-8 (GB18030 text almost
        # never is): report that byte, not where GB18030 gave up on the same bytes.
        first_bad = error.start
        if utf8_error is not None and not data[:utf8_error.start].isascii():
            first_bad = utf8_error.start
        raise PlanError(
            file,
            f"unknown text encoding (not UTF-8, UTF-16 or GB18030; bad byte at offset {first_bad})",
        ) from None


def read_source(path: Path) -> SourceText:
    try:
        if path.stat().st_size > MAX_PLAN_BYTES:  # refused before it is read into memory
            raise PlanError(str(path), f"the file is {path.stat().st_size / 2**20:.1f} MB; plan files are "
                                       f"limited to {MAX_PLAN_BYTES // 2**20} MB")
        data = path.read_bytes()
    except OSError as error:
        raise PlanError(str(path), f"cannot read the file ({error.strerror})") from None
    return decode(data, str(path))
