"""Deterministic generator of realistic 实施方案 plan texts for the build benchmark.

Plan i of seed s depends only on (s, i): ``random.Random(f"{s}:{i}")``. Every generated plan
carries what the parser must recover (tasks, their measures' texts, deadlines, units, title,
issuer, issue date), and ``check_plan`` compares that with ``kg.parse.parse_text``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import phrases as ph

from kg.extract.lexicon import load_lexicon
from kg.parse.plan import parse_text

_CJK = re.compile(r"^[\u3400-\u9fff]+$")
_TITLE_END = re.compile(r"(方案|意见|通知|计划|办法|规划|细则|要点|清单|举措|措施)$")
_NUMERALS = "一二三四五六七八九十"
_COUNT = re.compile(r"\d+[^\d.．、]")  # a count such as 200万元 may open a page; never "1." (a task)
_DEADLINES = ("{y}年12月", "{y}年6月底", "{y}年第三季度", "{y1}年底前", "{y}—{y2}年", "持续推进", "长期坚持",
              "{y}年11月", "{y}年第二季度", "{y1}年6月底")


@dataclass(frozen=True)
class Issuer:
    key: str  # lexicon key, e.g. unit/jiangsu-kjt
    name: str  # 江苏省科学技术厅
    level: str  # 省 or 市
    units: tuple[str, ...]  # lead/supporting units printed in its plans


@dataclass(frozen=True)
class Vocab:
    slots: dict[str, tuple[str, ...]]  # slot letter → names from ontology/vocab
    issuers: tuple[Issuer, ...]


@dataclass(frozen=True)
class ExpectedTask:
    number: str
    title: str
    measures: tuple[str, ...]  # measure texts exactly as the parser should return them
    deadline: str
    lead: tuple[str, ...]
    support: tuple[str, ...]


@dataclass(frozen=True)
class GeneratedPlan:
    plan_id: str
    text: str
    title: str
    issuer: str
    issue_date: str
    tasks: tuple[ExpectedTask, ...]
    page_breaks: int

    @property
    def measures(self) -> int:
        return sum(len(task.measures) for task in self.tasks)


def load_vocab(ontology_dir: Path) -> Vocab:
    """Slot pools and issuers from the curated vocabularies (sorted, so deterministic)."""
    lexicon = load_lexicon(ontology_dir / "vocab")
    pools: dict[str, list[str]] = {key: [] for key in "FIPHXCLZWKE"}
    place_slot = {"PrefectureCity": "L", "District": "L", "County": "L", "CountyLevelCity": "L",
                  "Zone": "Z", "ForeignCity": "W"}
    for entity in lexicon.entities.values():
        labels = [label for label in entity.labels if _CJK.match(label)]
        if not labels:
            continue
        sub, name = entity.subkind, labels[0]
        if entity.kind == "field":
            pools["F"].append(name)
        elif entity.kind == "instrument":
            pools["I"].append(name)
        elif entity.kind == "place" and sub in place_slot:
            pools[place_slot[sub]].extend(labels[:2] if sub != "Zone" else labels[:1])
        elif entity.kind == "partner":
            if sub == "CountryPartner" and entity.foreign:
                pools["C"].append(name)
            elif sub == "Event":
                pools["E"].append(name)
            elif sub == "Hospital":
                pools["H"].append(name)
            elif name.endswith("实验室"):
                pools["K"].append(name)
            elif sub in ("University", "ResearchInstitute", "ForeignAgency"):
                pools["X" if entity.foreign else "P"].append(name)
    issuers = []
    for entity in lexicon.entities.values():
        if entity.kind != "unit" or entity.subkind != "Department" \
                or not entity.name.endswith(("科学技术厅", "科学技术局", "科学技术委员会")):
            continue
        level = "省" if entity.name.endswith("厅") else "市"
        own = tuple(e.name for key, e in lexicon.entities.items() if lexicon.parents.get(key) == (entity.key,))
        affiliated = tuple(level + name for name in ph.AFFILIATED)
        external = ph.EXTERNAL_PROVINCE if level == "省" else ph.EXTERNAL_CITY
        issuers.append(Issuer(entity.key, entity.name, level, (own or ph.DIVISIONS) + affiliated + external))
    return Vocab({k: tuple(dict.fromkeys(v)) for k, v in pools.items()}, tuple(issuers))


class _Filler:
    """Fills {slot} placeholders; one template never repeats a name."""

    def __init__(self, rng: random.Random, vocab: Vocab) -> None:
        self.rng, self.vocab = rng, vocab

    def fill(self, template: str) -> str:
        used: set[str] = set()

        def draw(match: re.Match[str]) -> str:
            slot, rng = match.group(1), self.rng
            numbers = {"n": (2, 60), "N": (100, 5000), "m": (20, 1000), "y": (5, 300), "p": (5, 30), "d": (3, 20)}
            if slot in numbers:
                low, high = numbers[slot]
                value = rng.randint(low, high)
                return str(value - value % 10 if slot in "Nm" and value > 100 else value)
            for _ in range(20):
                name = rng.choice(self.vocab.slots[slot])
                if name not in used:
                    break
            used.add(name)
            return name

        return re.sub(r"\{(\w)\}", draw, template)


def _page_break(rng: random.Random, text: str, page: int) -> str | None:
    """Split ``text`` mid-sentence with a page-number line; None when there is no safe place."""
    spots = [i for i in range(4, len(text) - 4) if _CJK.match(text[i - 1]) and (
        (_CJK.match(text[i]) and text[i] not in _NUMERALS) or (text[i].isdigit() and _COUNT.match(text, i)))]
    if not spots:
        return None
    at = rng.choice(spots)
    marker = rng.choice((f"— {page} —", f"- {page} -", f"—{page}—", ""))
    return f"{text[:at]}\n\n{marker}\n\n{text[at:]}" if marker else f"{text[:at]}\n\n{text[at:]}"


def generate_plan(vocab: Vocab, seed: int, index: int) -> GeneratedPlan:
    rng = random.Random(f"{seed}:{index}")
    fill = _Filler(rng, vocab).fill
    issuer = rng.choice(vocab.issuers)
    year = rng.randint(2021, 2024)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    short = issuer.level + ("科技厅" if issuer.level == "省" else "科技局")
    title_issuer = short if rng.random() < 0.3 and "委员会" not in issuer.name else issuer.name
    title = f"{title_issuer}关于{rng.choice(ph.TOPICS)}的实施方案"
    gap = "\n\n" if rng.random() < 0.7 else "\n"
    task_dot = rng.choice((". ", ".", "．", "、"))
    restart = rng.random() < 0.3
    half_from = rng.randint(1, 25) if rng.random() < 0.25 else 10 ** 6
    layout = rng.choice(("inline", "inline", "lines", "first-inline", "noheader"))
    bracket_labels = rng.random() < 0.2
    parts: list[str] = ["", rng.choice(("附件", "附件1", "附件"))] if rng.random() < 0.8 else []
    parts += _title_lines(rng, title)
    parts.append(rng.choice(ph.PREAMBLES))
    parts.append("一、总体要求")
    parts.append(fill(f"坚持把服务企业作为科技工作的出发点和落脚点，聚焦{{F}}、{{F}}等关键领域，推出一批务实管用的服务举措。"
                      f"到{year}年底，力争新认定国家高新技术企业{{N}}家以上，新增科技型中小企业{{N}}家，"
                      f"技术合同成交额突破{{y}}亿元。"))
    sections = rng.sample(ph.SECTION_TITLES, rng.randint(3, 6))
    tasks: list[ExpectedTask] = []
    page, breaks, measure_no = 2, 0, 0
    for s_index, section_title in enumerate(sections, start=2):
        parts.append(f"{_NUMERALS[s_index - 1]}、{section_title}")
        for t_index in range(rng.randint(3, 6)):
            number = str(t_index + 1 if restart else len(tasks) + 1)
            half = len(tasks) + 1 >= half_from
            colon, comma = (":", ",") if half else ("：", "，")
            task_title = fill(rng.choice(ph.TASK_TITLES))
            parts.append(f"{number}{task_dot}{task_title}")
            texts: list[str] = []
            printed: list[str] = []
            for _ in range(rng.randint(1, 5)):
                measure_no += 1
                text = fill(rng.choice(ph.MEASURES))
                if rng.random() < 0.3:
                    text += rng.choice(ph.CLOSERS)
                text = text.replace("，", comma)
                texts.append(text)
                if rng.random() < 0.06 and (broken := _page_break(rng, text, page)) is not None:
                    text, page, breaks = broken, page + 1, breaks + 1
                printed.append((f"({measure_no})" if half else f"（{measure_no}）") + text)
            header = rng.choice(("主要举措", "主要举措", "主要措施")) + colon
            if layout == "inline":
                parts.append(header + "".join(printed))
            elif layout == "lines":
                parts += [header, *printed]
            elif layout == "first-inline":
                parts += [header + printed[0], *printed[1:]]
            else:
                parts += printed
            deadline = rng.choice(_DEADLINES).format(y=year, y1=year + 1, y2=year + rng.randint(1, 3))
            lead = tuple(rng.sample(issuer.units, rng.choice((1, 1, 1, 2, 3))))
            support = tuple(u for u in rng.sample(issuer.units, 2) if u not in lead) if rng.random() < 0.3 else ()
            parts += _labels(rng, deadline, lead, support, colon, bracket_labels, half)
            tasks.append(ExpectedTask(number, task_title, tuple(texts), deadline, lead, support))
    parts.append(f"{_NUMERALS[len(sections) + 1]}、{rng.choice(('保障措施', '有关要求', '工作要求'))}")
    for order, requirement in enumerate(rng.sample(ph.REQUIREMENTS, 3)):
        parts.append(f"（{_NUMERALS[order]}）{requirement}")
    parts.append(ph.CC_PROVINCE if issuer.level == "省" else ph.CC_CITY)
    parts.append(rng.choice(ph.DISTRIBUTION))
    parts += [f"{issuer.name}办公室", f"{year}年{month}月{day}日印发"]
    slug = issuer.key.rsplit("/", 1)[-1]
    return GeneratedPlan(
        plan_id=f"gen{index:04d}-{slug}-{year}", text=gap.join(parts) + "\n", title=title, issuer=issuer.name,
        issue_date=f"{year:04d}-{month:02d}-{day:02d}", tasks=tuple(tasks), page_breaks=breaks,
    )


def _title_lines(rng: random.Random, title: str) -> list[str]:
    if len(title) > 20 and rng.random() < 0.4:
        for cut in range(len(title) // 2, len(title) - 4):
            if not _TITLE_END.search(title[:cut]) and _CJK.match(title[cut - 1] + title[cut]):
                return [title[:cut] + "\n" + title[cut:]]
    return [title]


def _labels(rng: random.Random, deadline: str, lead: tuple[str, ...], support: tuple[str, ...], colon: str,
            bracket: bool, half: bool) -> list[str]:
    joiner = "," if half and rng.random() < 0.5 else rng.choice(("、", "、", "，"))
    pairs = [(rng.choice(("牵头单位", "牵头单位", "责任单位")), joiner.join(lead))]
    if support:
        pairs.append(("配合单位", joiner.join(support)))
    pairs.insert(0 if rng.random() < 0.6 else len(pairs), ("完成时限", deadline))
    if bracket:
        body = (";" if half else "；").join(f"{label}{colon}{value}" for label, value in pairs)
        return [f"({body})" if half else f"（{body}）"]
    return [f"{label}{colon}{value}" for label, value in pairs]


def generate_corpus(vocab: Vocab, count: int, seed: int) -> list[GeneratedPlan]:
    return [generate_plan(vocab, seed, index) for index in range(1, count + 1)]


def write_corpus(plans: list[GeneratedPlan], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.txt"):
        old.unlink()
    for plan in plans:
        (directory / f"{plan.plan_id}.txt").write_text(plan.text, encoding="utf-8")


def check_plan(generated: GeneratedPlan) -> list[str]:
    """Differences between what was generated and what ``parse_text`` recovers (empty: none)."""
    plan = parse_text(generated.text, file=f"{generated.plan_id}.txt", plan_id=generated.plan_id)
    problems = []
    for what, want, got in (("title", generated.title, plan.title), ("issuer", generated.issuer, plan.issuer),
                            ("issue_date", generated.issue_date, plan.issue_date),
                            ("tasks", len(generated.tasks), len(plan.tasks)),
                            ("measures", generated.measures, len(plan.measures))):
        if want != got:
            problems.append(f"{generated.plan_id}: {what}: generated {want!r}, parsed {got!r}")
    for want, got in zip(generated.tasks, plan.tasks):
        texts = tuple(plan.measures[seq - 1].text for seq in got.measures)
        for what, expected, parsed in (("title", want.title, got.title), ("measures", want.measures, texts),
                                       ("deadline", want.deadline, got.deadline.raw),
                                       ("lead", want.lead, got.lead_units), ("support", want.support, got.supporting_units)):
            if expected != parsed:
                problems.append(f"{generated.plan_id} task {want.number}: {what}: generated {expected!r}, parsed {parsed!r}")
        if got.deadline.type == "none":
            problems.append(f"{generated.plan_id} task {want.number}: deadline {want.deadline!r} not normalised")
    return problems
