"""Export rejects: a file a marketer can fix and import again with the same template.

Delimited sources get a file in their own separator, quoting and encoding, with two columns
added at the end ("Line number", "Reject reason") that the import ignores. Fixed-width and
Excel sources get a UTF-8 CSV with the values as read.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from campaign_desktop.domain.errors import UserError
from campaign_desktop.domain.serialization import from_jsonable
from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.storage.jobs_repo import JobRepository

EXTRA_COLUMNS = ("Line number", "Reject reason")


def export_rejects(repo: JobRepository, job_id: int, out_path: str | Path) -> int:
    """Write the rejects of ``job_id`` to ``out_path`` (via a temporary name); return how many."""
    job = repo.get(job_id)
    state = job.resume_state
    fmt = from_jsonable(FileFormat, state["format"]) if "format" in state else FileFormat(
        file_type=FileType.DELIMITED, encoding="utf-8", separator=",")
    columns: list[str] = list(state.get("columns", []))
    delimited = fmt.file_type in (None, FileType.DELIMITED)
    sep = fmt.separator if delimited and len(fmt.separator) == 1 else ","
    quote = fmt.string_delimiter if delimited else '"'
    encoding = fmt.encoding if delimited and fmt.encoding not in ("auto", "") else "utf-8"
    if encoding.lower().replace("-", "").replace("_", "") in ("utf16le", "utf16be"):
        encoding = "utf-16"  # with a BOM, so the file is recognised when re-imported
    out_path = Path(out_path)
    tmp = out_path.with_name(out_path.name + ".part")
    count = 0
    try:
        with open(tmp, "w", encoding=encoding, errors="replace", newline="") as fh:
            writer = csv.writer(fh, delimiter=sep, quotechar=quote or '"',
                                quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE,
                                escapechar=None if quote else "\\", lineterminator="\r\n")
            if fmt.header or not columns:
                writer.writerow([*columns, *EXTRA_COLUMNS])
            for rej in repo.iter_rejects(job_id):
                writer.writerow([*_values(rej.raw, sep, quote, delimited), rej.line_no, rej.message])
                count += 1
        os.replace(tmp, out_path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"Cannot write '{out_path}': {exc.strerror or exc}") from None
    return count


def _values(raw: str, sep: str, quote: str, delimited: bool) -> list[str]:
    if not delimited:
        return raw.split(";") if ";" in raw else [raw]
    reader = csv.reader(io.StringIO(raw), delimiter=sep, quotechar=quote or '"',
                        quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
    try:
        rows = list(reader)
    except csv.Error:
        return [raw]
    return [v for row in rows for v in row] if rows else [""]
