"""Which dense model(s): the bundled e5-small (4-bit), USE-multilingual v3, and the two combined
(the default), each built over the same plans and scored on the dev questions — the system and
the dense leg alone — with the median time to encode one question. Embeddings are cached per
model in the data folder, so each model is encoded once. Writes bench/results/dense-models.json.

    .venv/bin/python bench/dense_models.py [--data-dir DIR] [--models A,B,...]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION_SETS = {"dev-multi": (ROOT / "tests" / "data" / "dev-multi.json", None),
                 "dev (seed)": (ROOT / "tests" / "data" / "dev-questions.json", "jiangsu-kjt-2021-sanfuwu")}


def main() -> None:
    from policykg.build import build
    from policykg.services import SearchService
    from policykg.settings import Settings
    from search.encoder import DEFAULT_MODEL, E5_MODEL, USE_MODEL, make_encoder

    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, help="reused between runs for its embedding cache")
    parser.add_argument("--models", default=f"{E5_MODEL},{USE_MODEL},{DEFAULT_MODEL}")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "dense-models.json")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dense-models-"))
    seeds = work / "seeds"
    seeds.mkdir()
    for plan in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "data" / "samples").glob("*.txt")]:
        shutil.copy(plan, seeds / plan.name)
    data = args.data_dir or work / "data"
    rows = []
    for model in args.models.split(","):
        settings = Settings.from_env({}, data_dir=data, seeds_dir=seeds, model=model)
        clock = time.perf_counter()
        build(settings)
        build_s = time.perf_counter() - clock
        service = SearchService.open(settings)
        row: dict = {"model": model, "build_s": round(build_s, 1)}
        for name, (path, plan) in QUESTION_SETS.items():
            report = service.evaluate(path, plan=plan)
            for system in ("full", "dense"):
                groups = report[system]["groups"]
                row[f"{name} {system}"] = round(groups["all"]["nDCG@10"], 3)
                row[f"{name} {system} paraphrase"] = round(groups["kind:paraphrase"]["nDCG@10"], 3)
        encoder = make_encoder(model)
        questions = [q["q"] for q in json.loads(QUESTION_SETS["dev-multi"][0].read_text("utf-8"))]
        encoder.encode_queries(questions[:1])
        times = []
        for question in questions:
            clock = time.perf_counter()
            encoder.encode_queries([question])
            times.append((time.perf_counter() - clock) * 1000)
        row["encode_question_ms_p50"] = round(statistics.median(times), 1)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    result = {"measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.machine()}, {platform.python_version()}",
              "metric": "nDCG@10 (system = all legs fused; dense = the dense leg alone)", "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
