"""Is a dense match evidence? For off-topic questions (no plan holds an answer) and the dev
questions, how often a measure "stands out" under each rule: one model's deviation above the
rest (e5 alone, the sum of both), or the least of both models' deviations (they must agree).
A good rule lifts a grade-2 measure for many dev questions and anything at all for few off-topic
ones. Writes bench/results/dense-floor.json.

    .venv/bin/python bench/dense_floor.py --data-dir DIR   # a build with the default (combined) model
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OFF_TOPIC = ["今天天气怎么样", "如何做红烧肉", "how to bake bread", "火星移民计划", "足球比赛的门票多少钱", "猫为什么喜欢睡觉",
             "stock market crash 2008", "我的快递到哪了", "推荐一部好看的电影", "周末去哪里爬山", "怎么减肥最快", "苹果手机电池不耐用",
             "高铁票怎么退", "婚礼上穿什么衣服", "狗狗掉毛严重怎么办", "best pizza in town", "how to learn guitar",
             "world cup final score", "唐诗三百首有哪些名篇", "股票明天会涨吗", "房贷利率多少", "孩子不爱写作业", "海鲜过敏怎么办",
             "洗衣机漏水", "what time is it in Tokyo", "cheap flights to Paris", "宇宙有多大", "钢琴考级", "奶茶店加盟", "恐龙为什么灭绝"]


def main() -> None:
    from policykg.services import SearchService
    from policykg.settings import Settings
    from search.dense import dense_scores
    from search.evaluate import load_questions

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dense-floor.json")
    args = parser.parse_args()
    engine = SearchService.open(Settings.from_env(data_dir=args.data_dir)).engine
    if len(engine._blocks) < 2:
        raise SystemExit("the build's model is a single one: build with the default (combined) model")
    n = len(engine.documents)
    keys = [f"{d.plan}/{d.seq}" for d in engine.documents]
    questions = load_questions(ROOT / "tests" / "data" / "dev-multi.json")
    questions += load_questions(ROOT / "tests" / "data" / "dev-questions.json", default_plan="jiangsu-kjt-2021-sanfuwu",
                                number_to_id=engine.measure_id)

    def deviations(question: str) -> dict[str, np.ndarray]:
        vector = engine._query_vector(question)
        each = []
        for block in engine._blocks:  # one model at a time: the query's other blocks zeroed
            alone = np.zeros_like(vector)
            alone[block] = vector[block]
            each.append(dense_scores(engine.vectors, alone, [slice(0, None)], n).standing)
        combined = dense_scores(engine.vectors, vector, engine._blocks, n).scores
        return {"e5": each[0], "sum": (combined - combined.mean()) / combined.std(), "least": np.minimum(*each)}

    rules = [("e5", 3.3), ("sum", 3.3), ("sum", 3.6), ("least", 2.5), ("least", 2.8), ("least", 3.0)]
    off = [deviations(q) for q in OFF_TOPIC]
    dev = [(deviations(q.q), [keys.index(k) for k, g in q.relevant.items() if g >= 2 and k in keys]) for q in questions]
    rows = []
    for name, threshold in rules:
        rows.append({
            "rule": f"{name} >= {threshold}",
            "off_topic_with_a_match": round(float(np.mean([(d[name] >= threshold).any() for d in off])), 2),
            "dev_with_a_grade2_match": round(float(np.mean([(d[name][r] >= threshold).any() for d, r in dev if r])), 2),
        })
        print(json.dumps(rows[-1]))
    result = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "measures": n,
              "off_topic_questions": len(OFF_TOPIC), "dev_questions": len(dev), "rows": rows}
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
