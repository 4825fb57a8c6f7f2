"""Builders of the awkward files real users send, for the file-reading tests.

The small ones are committed under ``tests/data/files/`` (regenerate them with
``python -m tests.support.nasty_files``) so that anyone can open them and see what the tests
read; the big ones are written into a test's ``tmp_path`` by the same functions.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

DATA_FILES = Path(__file__).resolve().parent.parent / "data" / "files"

FRENCH_ROWS = [
    ["Prénom", "Nom", "Courriel", "Date de naissance"],
    ["Élodie", "Lefèvre", "elodie.lefevre@exemple.fr", "31/12/1985"],
    ["François", "Dupré-Œuvray", "f.dupre@exemple.fr", "03/04/1990"],
    ["Anaïs", "L’Hôte", "anais@exemple.fr", "15/07/1972"],
    ["Jérôme", "Noël", "jerome.noel@exemple.fr", "01/02/2001"],
]

RECIPIENT_HEADER = ["email", "first_name", "last_name", "birth_date", "gender", "account", "city", "phone"]
_FIRST = ["Jean", "Marie", "Élodie", "Pierre", "Anne", "Luc", "Chloé", "Paul", "Inès", "Hugo"]
_LAST = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau"]
_CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier", "Lille"]


def recipient_rows(count: int, seed: int = 1) -> Iterator[list[str]]:
    """Plausible recipient lines (with accents, DD/MM/YYYY dates, +33 phones)."""
    rnd = random.Random(seed)
    for i in range(count):
        first, last = rnd.choice(_FIRST), rnd.choice(_LAST)
        yield [
            f"{first.lower()}.{last.lower()}{i}@example.com", first, last,
            f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1940, 2005)}",
            str(rnd.randint(0, 2)), f"ACC{i:09d}", rnd.choice(_CITIES),
            f"+33{rnd.randint(100000000, 799999999)}",
        ]


def write_recipients_csv(path: Path, count: int, separator: str = ",", encoding: str = "utf-8") -> Path:
    """A plain recipient CSV with a header line and ``count`` data lines (LF line ends)."""
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(separator.join(RECIPIENT_HEADER) + "\n")
        for row in recipient_rows(count):
            f.write(separator.join(row) + "\n")
    return path


def _csv_text(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Recipients",
               extra_sheets: tuple[str, ...] = ()) -> Path:
    """A workbook whose first sheet holds ``rows`` (None leaves a cell empty)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for name in extra_sheets:
        wb.create_sheet(name).append(["other", "sheet"])
    wb.save(path)
    return path


def xlsx_with_title_rows(path: Path) -> Path:
    """The usual marketing workbook: a title, a blank row, the header on row 3, real date cells."""
    return write_xlsx(path, [
        ["Export CRM du 12/03/2024", None, None, None, None],
        [None, None, None, None, None],
        ["Email", "Prénom", "Date de naissance", "Points", "Inscrit le"],
        ["anne@exemple.fr", "Anne", date(1985, 12, 31), 42, datetime(2024, 3, 1, 9, 30, 15)],
        ["luc@exemple.fr", "Luc", date(1990, 4, 3), 3.5, datetime(2024, 3, 2, 0, 0)],
        [None, None, None, None, None],
        ["ines@exemple.fr", "Inès", date(2001, 2, 1), 7.0, None],
    ], extra_sheets=("Notes",))


def build_all(folder: Path = DATA_FILES) -> None:
    """Write every committed nasty file into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(42)

    def put(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)

    french = _csv_text(FRENCH_ROWS, ";", "\r\n")
    put("french_cp1252_semicolon.csv", french.encode("cp1252"))
    put("recipients_utf8_bom.csv", b"\xef\xbb\xbf" + _csv_text(FRENCH_ROWS, ",").encode("utf-8"))
    tab_text = _csv_text(FRENCH_ROWS, "\t", "\r\n")
    put("recipients_utf16le_bom.txt", b"\xff\xfe" + tab_text.encode("utf-16-le"))
    put("recipients_utf16le_nobom.txt", tab_text.encode("utf-16-le"))
    put("recipients_utf16be_bom.txt", b"\xfe\xff" + tab_text.encode("utf-16-be"))
    put("quoted_newlines.csv", (
        b'email,name,comment\r\n'
        b'a@x.fr,"Dupont, Jean","Line one\r\nline two"\r\n'
        b'b@x.fr,"O""Brien","He said ""hi"""\r\n'
        b'c@x.fr,Plain,"three\r\nline\r\nnote"\r\n'
        b'd@x.fr,Last,no quotes'
    ))
    put("cr_only.csv", b"email;first_name\rann@x.fr;Ann\rbob@x.fr;\"Bob\rBobby\"\rcyd@x.fr;Cyd\r")
    put("ragged.csv", (
        b"email;first_name;last_name\n"
        b"a@x.fr;Ann;Lee\n"
        b"b@x.fr;Bob\n"
        b"\n"
        b"c@x.fr;Cyd;Roe;extra;values\n"
        b"d@x.fr;Dan;Poe;\n"
        b"   \n"
        b"e@x.fr;Eve;Fox\n"
    ))
    put("impossible_dates.csv", (
        "email,birth_date\n"
        + "".join(f"p{i}@x.fr,{d}\n" for i, d in enumerate(
            ["31/02/2024", "15/03/1980", "29/02/2023", "01/12/1999", "30/06/2000", "12/11/1975",
             "28/02/1960", "31/04/1990", "05/05/2005", "20/10/2010"]))
    ).encode())
    put("empty.csv", b"")
    put("corrupt.xlsx", bytes(rnd.randrange(256) for _ in range(4096)))
    put("garbage.csv", bytes(rnd.randrange(256) for _ in range(4096)))
    xlsx_with_title_rows(folder / "header_on_row_3.xlsx")
    put("workbook_renamed.csv", (folder / "header_on_row_3.xlsx").read_bytes())
    put("unterminated_quote.csv", b'email,comment\na@x.fr,fine\nb@x.fr,"never closed\nc@x.fr,lost\n')
    put("nul_bytes.csv", b"email,name\na@x.fr,An\x00n\nb@x.fr,Bob\n")
    put("mixed_encoding.csv", "email;prénom\na@x.fr;Élodie\n".encode() + "b@x.fr;Jérôme\n".encode("cp1252")
        + "c@x.fr;Anaïs\n".encode())
    put("decimal_commas.csv", b"Nom;Montant;Points\nDupont;12,50;3\nMartin;7,25;10\nLeroy;0,99;1\n")
    put("pipe_no_header.txt", b"a@x.fr|Ann|1985-12-31\nb@x.fr|Bob|1990-04-03\nc@x.fr|Cyd|2001-02-01\n")
    put("fixed_width.txt", (
        b"EMAIL               NAME      BIRTH\n"
        b"ann@x.fr            Ann       1985-12-31\n"
        b"bob@x.fr            Bob       1990-04-03\n"
        b"cyd@x.fr            Cyd\n"
    ))


if __name__ == "__main__":
    build_all()
    print(f"written to {DATA_FILES}")
