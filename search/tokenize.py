"""Tokens for the lexical leg: jieba words (with a user dictionary made from the ontology's
labels, so 第三代半导体 or 揭榜挂帅 stay whole), CJK character bigrams (robust where jieba
mis-segments a paraphrase), and stemmed Latin words for English questions and labels."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|\d+(?:\.\d+)?")
# Question words and generic plan vocabulary: they say how a question is asked, not what about.
QUESTION_WORDS = (
    "哪些", "什么", "有哪些", "有什么", "是什么", "怎么", "怎样", "如何", "相关", "涉及", "关于", "方面", "部署",
    "措施", "举措", "工作", "任务", "情况", "内容", "安排", "请问", "是否", "哪个", "哪里", "吗", "呢", "的", "了",
)
ENGLISH_STOPWORDS = frozenset(
    "a an the of for to in on and or with by at from about what which who whom how are is was were be been "
    "measures measure tasks task plan plans any all there their this that these those do does did has have "
    "related regarding concerning".split()
)
_SUFFIXES = ("ations", "ation", "ities", "ity", "ings", "ing", "ural", "ally", "al", "ies", "es", "ed", "s", "y")


def stem(word: str) -> str:
    """A deliberately small English stemmer: enough for agricultural ~ agriculture.

    >>> [stem(w) for w in ("agricultural", "agriculture", "permits", "cooperation")]
    ['agricult', 'agricult', 'permit', 'cooper']
    """
    word = word.lower()
    if word.endswith("ure") and len(word) > 6:
        return word[:-3]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def english_words(text: str) -> list[str]:
    return [stem(w) for w in _LATIN.findall(text) if w.lower() not in ENGLISH_STOPWORDS and len(w) > 1]


def bigrams(text: str) -> list[str]:
    grams: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


class Tokenizer:
    """jieba + bigrams + English stems; the jieba dictionary is loaded on first use."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self._user_words = sorted({w for w in user_words if _CJK_RUN.fullmatch(w) and len(w) >= 2})
        self._jieba = None

    def _segmenter(self):  # type: ignore[no-untyped-def]
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            segmenter = jieba.Tokenizer()
            for word in self._user_words:
                segmenter.add_word(word, freq=20000)
            self._jieba = segmenter
        return self._jieba

    def words(self, text: str) -> list[str]:
        found: list[str] = []
        for run in _CJK_RUN.findall(text):
            found.extend(w for w in self._segmenter().lcut_for_search(run) if len(w) >= 2)
        return found

    def tokens(self, text: str) -> list[str]:
        """Document tokens; words and bigrams are prefixed so they never collide."""
        return [f"w:{w}" for w in self.words(text)] + [f"b:{b}" for b in bigrams(text)] + [
            f"e:{w}" for w in english_words(text)
        ]

    def query_tokens(self, question: str) -> list[str]:
        return self.tokens(strip_question_words(question))


def strip_question_words(question: str) -> str:
    for word in sorted(QUESTION_WORDS, key=len, reverse=True):
        question = question.replace(word, " ")
    return question


def _content_units(text: str) -> int:
    """How much a text says: its CJK characters and its English words, question words left out."""
    text = strip_question_words(text)
    return sum(len(run) for run in _CJK_RUN.findall(text)) + len(english_words(text))


def share_named(question: str, surfaces: Iterable[str]) -> float:
    """The share of what a question says that the given spans of it (linked names, a unit, a
    deadline) account for: 外国人才 in 哪些措施涉及外国人才 is all of it, 编程 in a long question
    about training engineers a small part."""
    total = _content_units(question)
    if total == 0:
        return 0.0
    return min(1.0, sum(_content_units(surface) for surface in set(surfaces)) / total)
