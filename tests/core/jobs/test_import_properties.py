"""Whatever text a file holds, the import never crashes and its counts always add up."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_desktop.domain.job import JobStatus
from campaign_desktop.services import CampaignService

CELLS = st.one_of(
    st.sampled_from(["a@x.com", "B@Y.ORG", "bad@", "", " ", "31/02/2024", "1980-05-01", "Zoë", "=1+1", "'", '"']),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
SEPARATORS = st.sampled_from([",", ";", "\t", "|"])
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=6), min_size=0, max_size=25)

_db = tempfile.TemporaryDirectory(prefix="cd-prop-")
_service: CampaignService | None = None


def service() -> CampaignService:
    global _service
    if _service is None:
        _service = CampaignService.open(f"sqlite:///{_db.name}/p.db")
    return _service


def render(rows: list[list[str]], sep: str, end: str, quote_all: bool) -> str:
    def cell(v: str) -> str:
        if quote_all or any(ch in v for ch in (sep, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v
    return end.join(sep.join(cell(v) for v in row) for row in [["email", "first_name", "birth_date"], *rows])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, sep=SEPARATORS, end=LINE_ENDS, quote_all=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_any_csv_text_imports_with_balanced_counters(rows, sep, end, quote_all, encoding):
    svc = service()
    text = render(rows, sep, end, quote_all)
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as fh:
        fh.write(text.encode(encoding, errors="replace"))
    before = svc.count_recipients()
    out = svc.run_job(svc.create_import_job(fh.name, options=["advanced.stop_on_rejects=false"]))
    Path(fh.name).unlink()
    if out.bad_input:
        assert out.message and "Traceback" not in out.message
        return
    c = out.counters
    assert out.status is JobStatus.FINISHED, out.message
    assert c.balanced()
    assert svc.count_recipients() - before == c.inserted
    assert svc.jobs.count_rejects(out.job_id) == c.rejected
