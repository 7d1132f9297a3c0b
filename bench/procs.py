"""Running bench/worker.py children: a memory sampler, failure capture and per-run kill caps.

A child that dies (killed by a signal, out of memory) is recorded as a result with ``failed``,
its return code, stderr tail and the RSS it had reached, instead of ending the benchmark.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from worker import SINGLE_CAP_S

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
_SAMPLE_S = 2.0
_TIMELINE_S = 30.0


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _job_file(job: dict[str, Any]) -> Path:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(job, handle, ensure_ascii=False)
    return Path(handle.name)


def child(mode: str, job: dict[str, Any]) -> dict[str, Any]:
    """Run worker.py MODE in a fresh interpreter, sampling its RSS; process_wall_s includes start-up."""
    job_path = _job_file(job)
    out, err = tempfile.TemporaryFile("w+", encoding="utf-8"), tempfile.TemporaryFile("w+", encoding="utf-8")
    clock = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(BENCH / "worker.py"), mode, str(job_path)],
                               stdout=out, stderr=err, text=True, cwd=ROOT)
    peak, timeline, next_mark = 0.0, [], 0.0
    try:
        while process.poll() is None:
            elapsed = time.perf_counter() - clock
            rss = rss_mb(process.pid)
            if rss is not None:
                peak = max(peak, rss)
                if elapsed >= next_mark:
                    timeline.append((round(elapsed), round(rss)))
                    next_mark += _TIMELINE_S
            time.sleep(_SAMPLE_S)
    finally:
        job_path.unlink()
    wall = round(time.perf_counter() - clock, 2)
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    sampled = {"process_wall_s": wall, "sampled_peak_rss_mb": round(peak), "rss_timeline_s_mb": timeline}
    if process.returncode != 0:
        return {"failed": True, "returncode": process.returncode, "stderr_tail": stderr[-3000:], **sampled}
    return {**json.loads(stdout.strip().splitlines()[-1]), **sampled}


def oxigraph_query(job: dict[str, Any]) -> dict[str, Any]:
    """One query in its own worker, killed when one run passes SINGLE_CAP_S: a query inside
    Oxigraph's Rust code cannot be interrupted from Python."""
    job_path = _job_file(job)
    errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # a file, so a chatty stderr can never block
    process = subprocess.Popen([sys.executable, str(BENCH / "worker.py"), "oxigraph", str(job_path)],
                               stdout=subprocess.PIPE, stderr=errors, text=True, cwd=ROOT)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    runs: list[dict[str, Any]] = []
    last: dict[str, Any] = {}
    try:
        while True:
            try:
                line = lines.get(timeout=SINGLE_CAP_S + (30 if not last else 1))
            except queue.Empty:
                process.kill()
                return {"status": "timeout", "rows": runs[0]["rows"] if runs else None, "runs": max(len(runs) - 1, 0),
                        "median_ms": None, "note": f">{SINGLE_CAP_S:.0f} s", "completed_runs_s": [r["s"] for r in runs]}
            if line is None:
                break
            last = json.loads(line)
            if "run" in last:
                runs.append(last)
    finally:
        process.wait()
        job_path.unlink()
    if process.returncode != 0 or "status" not in last:
        errors.seek(0)
        return {"status": "failed", "rows": None, "runs": 0, "median_ms": None,
                "note": f"worker failed ({process.returncode})", "stderr_tail": errors.read()[-2000:]}
    errors.close()
    return last
