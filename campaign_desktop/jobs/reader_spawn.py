"""Starting the import's reading process, and starting it early (see ``reader_process``).

Light on purpose (no SQLAlchemy, no engine): the command line starts the reading process before it
loads the rest of the program, so that the child's own start (an interpreter and its modules, a
third of a second) runs meanwhile on the other core instead of before the first batch. The child
then waits for its job on stdin.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

MIN_BYTES = 2_000_000
"""Text files from this size (about 20,000 lines) are read by a second process; below, starting
one (~0.3 s) costs more than it saves."""

IMPORT_VALUE_OPTIONS = frozenset({"--template", "--option", "--rejects", "--label", "--db"})
"""Options of ``campaign-desktop import`` followed by a value (not the file)."""


def multi_core() -> bool:
    """One core: nothing to overlap; a frozen app has no "python -m" to start."""
    return (os.cpu_count() or 1) >= 2 and not getattr(sys, "frozen", False)


def spawn_reader() -> subprocess.Popen[bytes]:
    """A new reading process: ``python -m campaign_desktop.jobs.reader_main``, stdin and stdout piped."""
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0
    return subprocess.Popen(
        [sys.executable, "-m", "campaign_desktop.jobs.reader_main"], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, env=env, creationflags=flags, bufsize=1 << 16,
    )


def early_reader(argv: Sequence[str]) -> subprocess.Popen[bytes] | None:
    """For ``import FILE`` with a text file big enough for a second process, that process, started now.

    Only a guess from the command line: the job may still not use it (a workbook, a template that
    turns out to be missing), and then ``discard`` ends it.
    """
    if "import" not in argv or not multi_core():
        return None
    path, skip = None, False
    for arg in argv[list(argv).index("import") + 1:]:
        if skip:
            skip = False
        elif arg in IMPORT_VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            path = arg
            break
    if path is None or path.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        if os.path.getsize(path) < MIN_BYTES:
            return None
    except OSError:
        return None
    return spawn_reader()


def discard(proc: subprocess.Popen[bytes] | None) -> None:
    """End a reading process nobody gave a job to (a no-op when the job has ended it already)."""
    if proc is None or proc.poll() is not None:
        return
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:  # pragma: no cover - terminate is enough everywhere we know
        proc.kill()
        proc.wait(5)


__all__ = ["MIN_BYTES", "discard", "early_reader", "multi_core", "spawn_reader"]
