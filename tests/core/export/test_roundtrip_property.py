"""Whatever values an import accepted come back unchanged through an export and a re-import.

Hypothesis writes files of random names, cities and comments (accents, quotes, separators, line
breaks, formula-looking and injection-looking text); whatever the import stored, exporting every
field and importing that export again must find every recipient unchanged, and the exported
cells must be exactly the stored values.
"""

from __future__ import annotations

import csv
import itertools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.services import CampaignService
from campaign_desktop.storage.database import create_db_engine

TEXT = st.one_of(
    st.sampled_from(["Zoë", "O'Brien", 'say "hi"', "a,b;c", "=1+1", "@SUM(A1)", "-2+3", "'); DROP TABLE x;--",
                     "line\nbreak", "  padded  ", ""]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
)
ROWS = st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=15)
_run = itertools.count()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_accepted_values_round_trip_through_export(rows):
    with tempfile.TemporaryDirectory(prefix="cd-rt-") as tmp_s:
        tmp = Path(tmp_s)
        service = CampaignService(create_db_engine(f"sqlite:///{tmp / 'c.db'}"))
        try:
            source = tmp / "in.csv"
            with open(source, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["email", "first_name", "city", "comment"])
                for i, (first, city, comment) in enumerate(rows):
                    writer.writerow([f"p{next(_run)}.{i}@example.com", first, city, comment])
            first_run = service.run_job(service.create_import_job(
                str(source), options=["advanced.stop_on_rejects=false", "file_format.header=true"]))
            assert first_run.status is JobStatus.FINISHED, first_run.message
            stored = service.count_recipients()
            assert stored == first_run.counters.inserted

            out = tmp / "all.csv"
            exported = service.run_job(service.create_export_job(str(out), "newExport",
                                                                 options=["output.escape_formulas=false"]))
            assert exported.status is JobStatus.FINISHED and exported.counters.processed == stored
            with open(out, newline="", encoding="utf-8") as fh:
                table = list(csv.DictReader(fh))
            with service.engine.connect() as conn:
                db = {r[0]: r[1:] for r in conn.exec_driver_sql("SELECT email, first_name, city FROM recipients")}
            header = list(table[0]) if table else []
            email_col = next(h for h in header if h.lower().startswith("email"))
            first_col = next(h for h in header if h.lower().startswith("first"))
            city_col = next(h for h in header if h.lower().startswith("city"))
            for line in table:
                assert (line[first_col] or None, line[city_col] or None) == db[line[email_col]]

            again = service.run_job(service.create_import_job(str(out)))
            c = again.counters
            assert (c.inserted, c.updated, c.rejected, c.unchanged) == (0, 0, 0, stored), again.message
        finally:
            service.close()
