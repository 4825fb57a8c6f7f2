"""Whatever the csv module writes, the reader reads back (random values, separators, quoting, line ends)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from campaign_desktop.domain.template import FileFormat, FileType
from campaign_desktop.files import open_source

_SPECIAL = [",", ";", "\t", "|", '"', "'", "\r", "\n", "\r\n", " ", "é", "€", "\u2028", "\x85", "😀"]
_value = st.lists(
    st.one_of(st.sampled_from(_SPECIAL),
              # no C0 controls: a file full of them is refused as binary, rightly
              st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=5)),
    max_size=6,
).map("".join)


CsvSample = tuple[str, list[list[str]], dict[str, object]]


@st.composite
def csv_files(draw: st.DrawFn) -> CsvSample:
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(_value, min_size=width, max_size=width), max_size=12))
    options = {
        "delimiter": draw(st.sampled_from([",", ";", "\t", "|"])),
        "quotechar": draw(st.sampled_from(['"', "'"])),
        "lineterminator": draw(st.sampled_from(["\n", "\r\n", "\r"])),
        "quoting": draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
    }
    buf = io.StringIO()
    writer = csv.writer(buf, **options)  # type: ignore[arg-type]
    writer.writerow([f"col{i}" for i in range(width)])
    writer.writerows(rows)
    text = buf.getvalue()
    if draw(st.booleans()):
        text = text.removesuffix(str(options["lineterminator"]))  # no final line break
    return text, rows, options


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files(), st.sampled_from(["utf-8", "utf-16-le", "utf-8-sig"]))
def test_what_the_csv_module_writes_reads_back_identically(sample: CsvSample, encoding: str) -> None:
    text, rows, options = sample
    # Only what the csv module itself reads back is a well-formed file.
    assume(list(csv.reader(io.StringIO(text, newline=""), delimiter=options["delimiter"],  # type: ignore[arg-type]
                           quotechar=options["quotechar"]))[1:] == rows)
    fmt = FileFormat(file_type=FileType.DELIMITED, encoding=encoding, separator=str(options["delimiter"]),
                     string_delimiter=str(options["quotechar"]), header=True)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(text.encode(encoding))
        with open_source(path, fmt) as source:
            records = list(source.records())
            assert source.columns == [f"col{i}" for i in range(len(source.columns))]
    assert [r.error for r in records] == [""] * len(records)
    assert [r.values for r in records] == rows
    if records:
        assert records[-1].end_offset == len(text.encode(encoding))
        assert [r.line_no for r in records] == sorted(r.line_no for r in records)
