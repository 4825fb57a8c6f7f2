"""A one-line progress bar on a terminal's stderr (nothing when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time

from campaign_desktop.domain.job import Progress, format_duration


class TerminalProgress:
    def __init__(self, stream=None, outcomes: bool = True) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream or sys.stderr
        self.outcomes = outcomes  # inserted/updated/rejected: imports only
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2 and p.message == "":
            return
        self._last = now
        width = 30
        done = int(p.fraction * width)
        left = p.seconds_left
        eta = f", {format_duration(left)} left" if left is not None and p.fraction < 1 else ""
        c = p.counters
        line = (f"\r[{'#' * done}{'.' * (width - done)}] {p.fraction:4.0%} {p.lines_read:,} lines "
                f"({p.lines_per_second:,.0f}/s{eta})"
                + (f" ins {c.inserted:,} upd {c.updated:,} rej {c.rejected:,}" if self.outcomes else ""))
        self.stream.write(line.ljust(110)[:130])
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
