"""What every CLI command shares: opening the service, printing tables, failing cleanly."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_STOPPED = 3


def open_service(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The command's service; ``main`` closes it when the command ends (see ``close_services``)."""
    from campaign_desktop.services import CampaignService

    service = CampaignService.open(args.db)
    args.__dict__.setdefault("opened_services", []).append(service)
    return service


def close_services(args: argparse.Namespace) -> None:
    """Close what ``open_service`` opened: SQLite checkpoints and removes its write-ahead log as its last
    connection closes, which the program's exit must not skip (``main.run``)."""
    for service in reversed(args.__dict__.pop("opened_services", [])):
        service.close()


def fail(message: str, code: int) -> int:
    print(f"campaign-desktop: {message}", file=sys.stderr)
    return code


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain aligned table, readable in a terminal and easy to grep."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
