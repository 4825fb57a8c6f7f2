"""``campaign-desktop``: no arguments opens the GUI; subcommands run headless.

Exit codes: 0 done, 2 bad arguments or unreadable input (message on stderr, no traceback),
3 stopped by the reject threshold or cancelled, 1 unexpected failure.
"""

# ruff: noqa: E402  (the reading process of a big import starts before the other imports, see below)
from __future__ import annotations

import os
import sys

from campaign_desktop.jobs.reader_spawn import discard, early_reader

# An import of a big file starts its reading process first thing, before this program loads the rest of
# itself: the child's start then runs alongside (see jobs/reader_spawn.py). ``main`` takes it from here.
_STARTED_AS_PROGRAM = (os.path.basename(sys.argv[0]).startswith("campaign-desktop")
                       or os.path.abspath(sys.argv[0]) == os.path.abspath(__file__))
_EARLY = [p for p in [early_reader(sys.argv[1:]) if _STARTED_AS_PROGRAM else None] if p is not None]

import argparse
import logging
from collections.abc import Sequence
from typing import Any, NoReturn

from campaign_desktop.cli import commands_db, commands_export, commands_jobs, commands_templates
from campaign_desktop.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, close_services, fail
from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.serialization import FormatError
from campaign_desktop.storage.database import ENV_VAR, DatabaseUrlError

log = logging.getLogger("campaign_desktop")

COMMAND_MODULES = [commands_jobs, commands_export, commands_templates, commands_db]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="campaign-desktop",
        description="Generic imports and exports of recipient profiles. Without a command, opens the window.",
    )
    parser.add_argument("--db", metavar="URL",
                        help=f"database address (default: ${ENV_VAR}, else the embedded SQLite database), "
                             "e.g. postgresql+psycopg://user@host:5432/campaign")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens on stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return _program(argv)[0]


def _program(argv: Sequence[str] | None) -> tuple[int, bool]:
    """The exit code, and whether a command ran (rather than the GUI)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    reader = _EARLY.pop() if _EARLY else None
    try:
        return _main(args_list, reader)
    finally:
        discard(reader)  # (a no-op once an import has used it)


def _main(argv: list[str], reader: Any) -> tuple[int, bool]:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.early_reader = reader
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if args.command is None:
        from campaign_desktop.gui.app import run_gui  # the only path that loads Qt

        return run_gui(db_url=args.db), False
    try:
        return int(args.handler(args) or 0), True
    except (UserError, FormatError, DatabaseUrlError) as exc:
        return fail(str(exc), EXIT_BAD_INPUT), True
    except KeyboardInterrupt:
        return fail("Interrupted.", 3), True
    except Exception as exc:  # noqa: BLE001 - the last line of defence: short message, exit 1
        from sqlalchemy.exc import OperationalError

        log.debug("failure", exc_info=True)  # the traceback only with -v
        if isinstance(exc, OperationalError):
            return fail(f"Cannot use the database: {str(exc.orig).strip()}", EXIT_BAD_INPUT), True
        return fail(f"Unexpected failure: {exc}. Run again with -v for details.", EXIT_FAILURE), True
    finally:
        close_services(args)


def run() -> NoReturn:  # pragma: no cover - ends the process (tests/cli/test_program_exit.py runs it)
    """The program (``campaign-desktop``): ``main``, then, after a command, out without the interpreter's
    teardown.

    By then the command's services are closed (``close_services``: SQLite has checkpointed and removed
    its write-ahead log): what is left of a normal exit is freeing, one by one, the objects of every
    module loaded, a tenth of a second after a big import. The GUI exits the normal way (Qt tears its
    own objects down, settings are saved then).
    """
    code, command = _program(None)
    if not command:
        sys.exit(code)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (| head): nothing more can be said anyway
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
