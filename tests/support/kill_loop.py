"""Kill an import process again and again at random points, resuming each time.

Shared by the CI test (a few kills of a small file) and ``benchmarks/stress_kill_resume.py``
(20 kills of a 200,000-line file). After every kill the database must be consistent: the
recipients are exactly those of the job's committed batches, with no half batch.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class KillReport:
    kills: int = 0
    checks: int = 0
    finished_before_kill: int = 0
    resumes: int = 0
    problems: list[str] = field(default_factory=list)


def _job_state(db_url: str, job_id: int) -> tuple[str, int, int, int, int]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            status, processed, inserted, rejected = conn.execute(
                text("SELECT status, processed, inserted, rejected FROM jobs WHERE id = :id"), {"id": job_id}).one()
            count = conn.execute(text("SELECT COUNT(*) FROM recipients")).scalar_one()
        return status, processed, inserted, rejected, count
    finally:
        engine.dispose()


def kill_and_resume(db_url: str, job_id: int, kills: int, *, batch_lines: int, seed: int = 7,
                    max_delay_s: float = 2.0) -> KillReport:
    """Run job ``job_id`` (already created) with ``jobs resume``, SIGKILL it ``kills`` times, then let it end.

    A kill lands at a random moment after the process has written at least one more batch, so
    that every kill interrupts real work (not just the interpreter starting up).
    """
    rnd = random.Random(seed)
    report = KillReport()
    cmd = [sys.executable, "-m", "campaign_desktop.cli.main", "--db", db_url, "jobs", "resume", str(job_id)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    while report.kills < kills:
        _, processed_before, *_ = _job_state(db_url, job_id)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report.resumes += 1
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:  # wait for one more committed batch
            if _job_state(db_url, job_id)[1] >= processed_before + batch_lines:
                break
            time.sleep(0.01)
        time.sleep(rnd.uniform(0, max_delay_s))
        if proc.poll() is not None:
            report.finished_before_kill += 1
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        status, processed, inserted, rejected, count = _job_state(db_url, job_id)
        if status == "finished":  # it ended between our look and the signal: nothing was interrupted
            report.finished_before_kill += 1
            break
        report.kills += 1
        report.checks += 1
        if count != inserted:
            report.problems.append(f"kill {report.kills}: {count} recipients but the job says {inserted} inserted")
        if processed != inserted + rejected:
            report.problems.append(f"kill {report.kills}: processed {processed} != inserted + rejected")
        if status != "running":
            report.problems.append(f"kill {report.kills}: status {status} right after the kill")
    if _job_state(db_url, job_id)[0] == "finished":
        return report
    final = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    report.resumes += 1
    if final.returncode != 0:
        report.problems.append(f"the last resume exited {final.returncode}: {final.stderr.strip()[-300:]}")
    return report
