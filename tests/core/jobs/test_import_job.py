"""Import jobs end to end on real files and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from campaign_desktop.domain.job import JobStatus, RunControl
from campaign_desktop.storage.schema import list_members, lists, recipients
from tests.support.files import write_recipients_csv


def rows(service, *cols):
    with service.engine.connect() as conn:
        return conn.execute(select(*(recipients.c[c] for c in cols)).order_by(recipients.c.id)).all()


def run_import(service, path, template="newImport", **kw):
    job_id = service.create_import_job(str(path), template, options=kw.pop("options", None), **kw)
    return service.run_job(job_id)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_a_first_import_creates_every_recipient_and_the_counts_add_up(service, tmp_path):
    path = write_recipients_csv(tmp_path / "prospects.csv", 1200)
    out = run_import(service, path, options=["advanced.batch_size=500"])
    c = out.counters
    assert out.status is JobStatus.FINISHED
    assert (c.total, c.processed, c.inserted, c.updated, c.rejected) == (1200, 1200, 1200, 0, 0)
    assert c.balanced()
    assert service.count_recipients() == 1200
    first = rows(service, "email", "first_name", "birth_date", "gender", "account")[0]
    assert first.email == "user0@example0.com" and first.account == "ACC00000000"
    assert str(first.birth_date) == "1950-01-01" and first.gender == 0
    job = service.jobs.get(out.job_id)
    assert job.status is JobStatus.FINISHED and job.counters.inserted == 1200 and job.ended_at
    assert any("End of import" in e.message for _, e in service.jobs.journal(out.job_id))


def test_importing_the_same_file_again_changes_nothing(service, tmp_path):
    path = write_recipients_csv(tmp_path / "prospects.csv", 300)
    run_import(service, path)
    again = run_import(service, path)
    c = again.counters
    assert (c.inserted, c.updated, c.unchanged, c.ignored, c.duplicates) == (0, 0, 300, 300, 300)
    assert service.count_recipients() == 300


def test_changed_lines_update_their_recipients(service, tmp_path):
    run_import(service, write(tmp_path, "a.csv", "email;first_name\na@x.com;Ann\nb@x.com;Bob\n"))
    out = run_import(service, write(tmp_path, "b.csv", "email;first_name\na@x.com;Anna\nc@x.com;Cy\n"))
    assert (out.counters.updated, out.counters.inserted) == (1, 1)
    assert [r.first_name for r in rows(service, "first_name")] == ["Anna", "Bob", "Cy"]


def test_the_email_key_matches_exactly_though_it_is_found_through_a_case_insensitive_index(service, tmp_path):
    """Ann@x.com and ann@x.com are two recipients: the lookup goes through lower(email), the match is exact."""
    run_import(service, write(tmp_path, "a.csv", "email;first_name\nAnn@x.com;Ann\nann@x.com;Annie\nÉva@x.com;Eva\n"))
    out = run_import(service, write(tmp_path, "b.csv",
                                    "email;first_name\nann@x.com;Anny\nANN@x.com;Big Ann\nÉva@x.com;Éva\n"))
    assert (out.counters.updated, out.counters.inserted) == (2, 1)
    assert [tuple(r) for r in rows(service, "email", "first_name")] == [
        ("Ann@x.com", "Ann"), ("ann@x.com", "Anny"), ("Éva@x.com", "Éva"), ("ANN@x.com", "Big Ann")]


def test_a_field_set_key_holding_a_last_name_finds_its_recipients(service, tmp_path):
    opts = ["reconciliation.key1=first_name,last_name"]
    run_import(service, write(tmp_path, "a.csv", "first_name;last_name;city\nAnn;Lee;Paris\nAnn;LEE;Lyon\n"),
               options=opts)
    out = run_import(service, write(tmp_path, "b.csv", "first_name;last_name;city\nAnn;LEE;Nice\n"), options=opts)
    assert (out.counters.updated, out.counters.inserted) == (1, 0)
    assert [tuple(r) for r in rows(service, "last_name", "city")] == [("Lee", "Paris"), ("LEE", "Nice")]


def test_bad_lines_are_rejected_with_line_number_raw_text_and_a_readable_reason(service, tmp_path):
    text = ("email,first_name,birth_date\n"
            "good@x.com,Ann,1980-01-02\n"
            "bad-email,Bob,1980-01-02\n"
            "c@x.com,Cy,2024-02-31\n"
            "d@x.com,Dan\n"
            "\n"
            "e@x.com,Eve,1990-12-24\n")
    out = run_import(service, write(tmp_path, "bad.csv", text))
    c = out.counters
    assert (c.processed, c.inserted, c.rejected, c.empty, c.ignored) == (6, 2, 3, 1, 1)
    assert c.balanced() and out.status is JobStatus.FINISHED
    rejects = list(service.jobs.iter_rejects(out.job_id))
    assert [r.line_no for r in rejects] == [3, 4, 5]
    assert rejects[0].raw == "bad-email,Bob,1980-01-02" and "Invalid email 'bad-email'" in rejects[0].message
    assert "2024-02-31" in rejects[1].message
    assert rejects[2].reason_code == "too_few_values"


def test_the_import_stops_after_too_many_rejects(service, tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 2000, bad_every=2)
    out = run_import(service, path, options=["advanced.max_rejects=50", "advanced.batch_size=100"])
    assert out.status is JobStatus.FINISHED_WITH_ERRORS
    assert out.counters.rejected == 50 and "limit is 50" in out.message
    assert out.counters.balanced()
    assert service.count_recipients() == out.counters.inserted


def test_a_dry_run_counts_everything_and_writes_nothing(service, tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 700, bad_every=100)
    dry = run_import(service, path, dry_run=True, options=["advanced.batch_size=200"])
    assert service.count_recipients() == 0
    real = run_import(service, path, options=["advanced.batch_size=200"])
    assert dry.counters.as_dict() == real.counters.as_dict()
    assert service.jobs.count_rejects(dry.job_id) == 7


def test_the_denylist_template_flags_lowercased_emails(service, tmp_path):
    run_import(service, write(tmp_path, "people.csv", "email,first_name\nann@x.com,Ann\n"))
    out = run_import(service, write(tmp_path, "deny.csv", "Email\nANN@X.COM\nnew@X.com\n"), "denylistImport")
    assert (out.counters.updated, out.counters.inserted) == (1, 1)
    got = {r.email: (r.blacklist_email, r.first_name) for r in rows(service, "email", "blacklist_email", "first_name")}
    assert got == {"ann@x.com": (True, "Ann"), "new@x.com": (True, None)}


def test_a_plain_import_never_clears_the_denylist(service, tmp_path):
    run_import(service, write(tmp_path, "deny.csv", "email\nann@x.com\n"), "denylistImport")
    out = run_import(service, write(tmp_path, "people.csv", "email,first_name\nann@x.com,Ann\n"))
    assert out.counters.denylist_kept == 1
    assert rows(service, "blacklist_email", "first_name")[0] == (True, "Ann")


def test_recipients_are_added_to_a_list_that_can_be_recreated(service, tmp_path):
    run_import(service, write(tmp_path, "a.csv", "email\na@x.com\nb@x.com\n"), "listImport",
               options=["recipients.list_name=Newsletter"])
    run_import(service, write(tmp_path, "b.csv", "email\nb@x.com\nc@x.com\n"), "listImport",
               options=["recipients.list_name=Newsletter"])
    with service.engine.connect() as conn:
        lid = conn.execute(select(lists.c.id).where(lists.c.label == "Newsletter")).scalar_one()
        count = len(conn.execute(select(list_members).where(list_members.c.list_id == lid)).all())
    assert count == 3
    run_import(service, write(tmp_path, "c.csv", "email\nz@x.com\n"), "listImport",
               options=["recipients.list_name=Newsletter", "recipients.list_mode=recreate"])
    with service.engine.connect() as conn:
        assert len(conn.execute(select(list_members).where(list_members.c.list_id == lid)).all()) == 1


def test_a_paused_job_resumes_where_it_stopped(service, tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 1000)
    control = RunControl()
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=100"])

    def pause_after_first_batch(progress):
        if progress.counters.processed >= 100:
            control.pause()

    out = service.run_job(job_id, control=control, progress=pause_after_first_batch)
    assert out.status is JobStatus.PAUSED and out.counters.processed == 100
    assert service.count_recipients() == 100
    done = service.run_job(job_id, resume=True)
    assert done.status is JobStatus.FINISHED
    assert (done.counters.processed, done.counters.inserted) == (1000, 1000)
    assert service.count_recipients() == 1000


def test_a_cancelled_job_keeps_whole_batches_and_true_counts(service, tmp_path):
    path = write_recipients_csv(tmp_path / "p.csv", 1000)
    control = RunControl()
    job_id = service.create_import_job(str(path), options=["advanced.batch_size=250"])
    out = service.run_job(job_id, control=control, progress=lambda p: control.cancel())
    assert out.status is JobStatus.CANCELLED
    assert service.count_recipients() == out.counters.inserted == 250


def test_an_unreadable_file_ends_the_job_with_a_clear_message(service, tmp_path):
    out = run_import(service, write(tmp_path, "empty.csv", ""))
    assert out.status is JobStatus.FINISHED_WITH_ERRORS and out.bad_input
    assert "empty" in out.message.lower()


def test_rejects_export_can_be_fixed_and_imported_again(service, tmp_path):
    text = "email;first_name\nok@x.com;Ann\nbroken;Bob\n"
    out = run_import(service, write(tmp_path, "f.csv", text, "cp1252"))
    dest = tmp_path / "rejects.csv"
    assert service.export_rejects(out.job_id, str(dest)) == 1
    content = dest.read_text(encoding="cp1252")
    assert content.splitlines()[0] == "email;first_name;Line number;Reject reason"
    assert content.splitlines()[1].startswith("broken;Bob;3;")
    dest.write_text(content.replace("broken", "bob@x.com"), encoding="cp1252")
    again = run_import(service, dest, parent_job_id=out.job_id)
    assert again.counters.inserted == 1 and again.counters.rejected == 0
    assert service.count_recipients() == 2
