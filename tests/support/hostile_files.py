"""Builders of hostile files: what an attacker, a broken export or a wrong click sends us.

The small ones are committed under ``tests/data/hostile/`` (regenerate them with
``python -m tests.support.hostile_files``) so anyone can open them; the big ones (a 10 MB field,
a 2 GB sparse file, a zip bomb) are built in a test's ``tmp_path`` by the same functions, because
committing them would weigh on every clone.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path

HOSTILE_FILES = Path(__file__).resolve().parent.parent / "data" / "hostile"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>")
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_ROWS = ('<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'
               '<row r="2"><c r="A2" t="inlineStr"><is><t>a@example.com</t></is></c></row>')
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook(path: Path, write_sheet: Callable[[zipfile.ZipFile], None]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        write_sheet(z)
    return path


def entity_expansion_xlsx(path: Path) -> Path:
    """A workbook whose sheet declares the 'billion laughs' entities: parsed naively, gigabytes."""
    laughs = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = "<!DOCTYPE worksheet [" + "".join(laughs) + "]>"
    sheet = (_SHEET_HEAD.replace("?>", "?>" + doctype, 1)
             + '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>' + _SHEET_TAIL)
    return _workbook(path, lambda z: z.writestr("xl/worksheets/sheet1.xml", sheet))


def zip_bomb_xlsx(path: Path, megabytes: int = 300) -> Path:
    """A workbook of a few hundred KB whose sheet inflates to ``megabytes`` MB of blank space."""
    def sheet(z: zipfile.ZipFile) -> None:
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(_SHEET_HEAD.encode())
            f.write(_SHEET_ROWS.encode())
            block = b" " * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
            f.write(_SHEET_TAIL.encode())
    return _workbook(path, sheet)


def malformed_tail_xlsx(path: Path, rows: int = 50) -> Path:
    """A workbook whose sheet XML breaks after ``rows`` good rows (a copy cut short and patched)."""
    body = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>p{i}@example.com</t></is></c></row>'
                   for i in range(2, rows + 2))
    sheet = (_SHEET_HEAD.replace("<sheetData>", '<dimension ref="A1:A9999"/><sheetData>')
             + '<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>' + body
             + f'<row r="{rows + 2}"><c><is><t>broken</c></row>' + _SHEET_TAIL)
    return _workbook(path, lambda z: z.writestr("xl/worksheets/sheet1.xml", sheet))


def sparse_file(path: Path, size: int = 2 * 1024 ** 3) -> Path:
    """A 2 GB file of NUL bytes that takes no disk space: a broken copy, or a disk image named .csv."""
    with open(path, "wb") as f:
        f.write(b"email,first_name\n")
        f.truncate(size)
    return path


def huge_field_csv(path: Path, megabytes: int = 10) -> Path:
    """One quoted field of ``megabytes`` MB between two ordinary lines."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("email,first_name\nbefore@example.com,Anne\n")
        f.write('huge@example.com,"' + "x" * (megabytes * 1024 * 1024) + '"\n')
        f.write("after@example.com,Luc\n")
    return path


def wide_header_csv(path: Path, columns: int = 50_000) -> Path:
    """A header of 50,000 columns (and one line of data): a transposed export."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("email," + ",".join(f"col{i}" for i in range(1, columns)) + "\n")
        f.write("wide@example.com," + ",".join("v" for _ in range(1, columns)) + "\n")
    return path


def invalid_utf8_midfile_csv(path: Path, good_lines: int = 3000) -> Path:
    """UTF-8 for thousands of lines (beyond any detector's sample), then a byte that is not UTF-8."""
    with open(path, "wb") as f:
        f.write(b"email,first_name\n")
        for i in range(good_lines):
            f.write(f"person{i}@example.com,Élodie{i}\n".encode())
        f.write(b"broken@example.com,Ren\xe9\n")  # cp1252 'é' inside a UTF-8 file
        f.write("last@example.com,Zoé\n".encode())
    return path


def injection_csv(path: Path) -> Path:
    """Values that try SQL injection and spreadsheet formula injection: data, never code."""
    rows = [
        ("email", "first_name", "last_name", "city"),
        ("robert@example.com", "'); DROP TABLE recipients;--", "O'Brien", "Paris"),
        ("quote@example.com", '" OR 1=1 --', "x' OR 'a'='a", "Lyon"),
        ("formula@example.com", "=HYPERLINK(\"http://x.example\")", "+33 1 23", "@SUM(A1:A9)"),
        ("minus@example.com", "-2+3", "=1+1", "\tTabbed"),
    ]
    buf = io.StringIO()
    import csv

    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


SMALL_FILES: dict[str, Callable[[Path], Path | None]] = {
    "empty.csv": lambda p: p.write_bytes(b"") and None,
    "binary_garbage.csv": lambda p: p.write_bytes(random.Random(7).randbytes(4096)) and None,
    "nul_bytes.csv": lambda p: p.write_bytes(b"email,first_name\na@example.com,An\x00ne\n\x00\x00\x00\n"
                                             b"b@example.com,Luc\n") and None,
    "invalid_utf8_midfile.csv": invalid_utf8_midfile_csv,
    "entity_expansion.xlsx": entity_expansion_xlsx,
    "zip_named_csv.csv": lambda p: _workbook(p, lambda z: z.writestr(
        "xl/worksheets/sheet1.xml", _SHEET_HEAD + _SHEET_ROWS + _SHEET_TAIL)),
    "injection.csv": injection_csv,
}


def write_small_files(folder: Path = HOSTILE_FILES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in SMALL_FILES.items():
        build(folder / name)


if __name__ == "__main__":
    write_small_files()
