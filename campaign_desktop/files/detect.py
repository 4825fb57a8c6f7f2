"""What a file is: checks that it can be read, its type, and the text format of a delimited file.

Everything here reads at most ``SAMPLE_SIZE`` bytes from the start of the file, so the File
to import page can detect a multi-GB file's format instantly. The answer is a *resolved*
``FileFormat``: no 'auto' left, so the engine, the preview and the saved job all read the
file the same way.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, replace
from pathlib import Path

from campaign_desktop.domain.errors import SourceFileError
from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.files.encodings import control_ratio, detect_encoding, normalize
from campaign_desktop.files.lines import newline_mode
from campaign_desktop.files.sniff import parse_sample, sniff_header, sniff_quote, sniff_separator
from campaign_desktop.files.text_file import TextFile, open_text_file
from campaign_desktop.files.xlsx import is_workbook

SAMPLE_SIZE = 1 << 20
BINARY_RATIO = 0.05
"""Share of control bytes above which a file is not text (random bytes have ~11 %)."""

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = {
    b"%PDF-": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"PK\x05\x06": "an empty ZIP archive",
}
_WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm")


@dataclass
class Sample:
    """The first bytes of a file and what is known without reading further."""

    path: Path
    size: int
    head: bytes

    @property
    def complete(self) -> bool:
        return len(self.head) >= self.size


def read_sample(path: str | Path) -> Sample:
    """Check that ``path`` is a readable, non-empty file and read its first bytes.

    Raises:
        SourceFileError: missing, a folder, unreadable or empty.
    """
    p = Path(path)
    if not p.exists():
        raise SourceFileError(f"The file '{p}' does not exist (moved, renamed or deleted?)")
    if p.is_dir():
        raise SourceFileError(f"'{p}' is a folder, not a file: choose the file to import inside it")
    try:
        size = p.stat().st_size
        with open(p, "rb") as f:
            head = f.read(SAMPLE_SIZE)
    except OSError as exc:
        raise SourceFileError(f"The file '{p.name}' cannot be opened: {exc.strerror or exc}") from None
    if size == 0 or not head:
        raise SourceFileError(f"The file is empty: '{p.name}' contains no data (0 bytes)")
    return Sample(p, size, head)


def detect_file_type(sample: Sample, requested: FileType | None) -> FileType:
    """The file type from the content (magic bytes) first, then the extension and the request.

    An .xlsx renamed .csv is read as a workbook when the type is automatic; when the template
    insists on text, the user is told what the file really is.
    """
    head = sample.head
    name = sample.path.name
    if head.startswith(_ZIP_MAGIC):
        if not is_workbook(sample.path):
            if sample.path.suffix.lower() in _WORKBOOK_EXTENSIONS:
                raise SourceFileError(f"The Excel workbook '{name}' is damaged: it is a ZIP file without "
                                      f"a workbook inside (open it in Excel and save it again)")
            raise SourceFileError(f"'{name}' is a ZIP archive, not a text file or an Excel workbook: "
                                  f"extract the file to import from it")
        if requested in (FileType.DELIMITED, FileType.FIXED):
            raise SourceFileError(f"'{name}' is an Excel workbook (.xlsx), not a text file, even if its name "
                                  f"says otherwise: choose the Excel file type")
        return FileType.XLSX
    if head.startswith(_OLE_MAGIC):
        raise SourceFileError(f"'{name}' is an old Excel 97-2003 (.xls) or Office document, which cannot be "
                              f"read: save it as .xlsx or CSV")
    for magic, what in _BINARY_MAGICS.items():
        if head.startswith(magic):
            raise SourceFileError(f"'{name}' is {what}, not a file of recipients")
    is_xlsx_name = sample.path.suffix.lower() in _WORKBOOK_EXTENSIONS
    if requested is FileType.XLSX or (requested is None and is_xlsx_name):
        if requested is FileType.XLSX or control_ratio(head[:65536]) > BINARY_RATIO:
            raise SourceFileError(f"'{name}' is not a valid Excel workbook: it is damaged, or not an .xlsx "
                                  f"file (an .xlsx file is a ZIP archive)")
    return requested or FileType.DELIMITED


def _text_sample(sample: Sample, tf: TextFile) -> str:
    """The sample as text, cut after its last complete line."""
    decoder = codecs.getincrementaldecoder(tf.codec)(errors="replace")
    text = decoder.decode(sample.head[tf.start:], final=sample.complete)
    if not sample.complete:
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[:cut + 1] if cut >= 0 else text
    return text


def _check_text(sample: Sample, tf: TextFile, text: str, encoding: str) -> None:
    name = sample.path.name
    if tf.ascii_compatible:
        probe_size = len(sample.head[tf.start:tf.start + 65536])
        ratio = control_ratio(sample.head[tf.start:tf.start + 65536])
    else:
        probe = text[:65536]
        probe_size = len(probe)
        ratio = sum(1 for c in probe if c < " " and c not in "\t\r\n\f") / max(1, len(probe))
        if sample.head[tf.start:tf.start + 4096].count(0) == 0:
            raise SourceFileError(f"'{name}' is not a {encoding} file (its bytes do not match that "
                                  f"encoding): choose another encoding or let it be detected")
    if ratio > BINARY_RATIO and ratio * probe_size > 8:  # a stray NUL in a tiny file is no binary
        raise SourceFileError(f"'{name}' does not look like a text file: it contains binary data. Choose a "
                              f"CSV/text file or an Excel workbook")


def _skip_text_lines(text: str, count: int) -> str:
    if count <= 0:
        return text
    lines = text.splitlines(keepends=True)
    return "".join(lines[count:])


def resolve_text(sample: Sample, fmt: FileFormat, full: bool) -> tuple[FileFormat, TextFile]:
    """Resolve the text options of ``fmt`` that are 'auto' (all of them when ``full``).

    Args:
        sample: the file's first bytes.
        fmt: the requested format (its ``file_type`` already resolved to a text type).
        full: detect everything (header, string delimiter too), as "Auto-Detect format" does.
    """
    auto_encoding = fmt.encoding in ("", "auto")
    encoding = detect_encoding(sample.head, sample.complete) if auto_encoding else normalize(fmt.encoding)
    tf = open_text_file(sample.path, encoding, sample.head, sample.size, b"")
    text = _text_sample(sample, tf)
    tf.mode = newline_mode(sample.head[tf.start:] if tf.ascii_compatible else text)
    _check_text(sample, tf, text, encoding)
    body = _skip_text_lines(text, fmt.lines_to_ignore)
    quote = fmt.string_delimiter
    separator = fmt.separator
    if fmt.file_type is FileType.DELIMITED:
        if separator in ("", "auto"):
            separator = sniff_separator(body, quote or '"')
        if len(separator) != 1 or separator in "\r\n":
            raise SourceFileError(f"The column separator must be a single character, not {separator!r}")
        if full:
            quote = sniff_quote(body, separator)
        if quote and (len(quote) != 1 or quote == separator):
            raise SourceFileError(f"The string delimiter must be one character other than the separator, "
                                  f"not {quote!r}")
    elif separator in ("", "auto"):
        separator = ","  # not used by fixed-width files
    header = fmt.header
    if (full or header is None) and fmt.file_type is FileType.DELIMITED:
        header = sniff_header(parse_sample(body, separator, quote))
    elif header is None:
        header = True  # fixed width: a header line is the usual case
    resolved = replace(fmt, encoding=encoding, separator=separator, string_delimiter=quote, header=header,
                       header_row=fmt.lines_to_ignore + 1 if header else 0, sheet="")
    return resolved, tf


__all__ = ["SAMPLE_SIZE", "Sample", "detect_file_type", "read_sample", "resolve_text"]
