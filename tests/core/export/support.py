"""A small, varied recipient base for export tests, loaded through the real import engine."""

from __future__ import annotations

from pathlib import Path

from campaign_desktop.domain.template import Condition, ExportColumn, JobKind, JobTemplate

PEOPLE = """email;first_name;last_name;city;gender;birth_date;phone;comment;blacklist_email
ann@x.com;Ann;Martin;Paris;2;1980-05-01;+33 6 11 22 33 44;=HYPERLINK("http://evil");0
bob@x.com;Bob;Dubois;Lyon;1;1990-01-15;;@SUM(A1);1
cy@x.com;Cy;martin;;0;2001-12-31;-5;-cmd|' /C calc'!A0;0
dee@x.com;Dee;O'Neil;Paris;2;;;plain, with a comma;0
eve@x.com;Eve;Moreau;Nice;2;1975-07-14;;"say ""hi"" now";0
"""


def seed(service, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Five recipients; Ann and Bob on the list 'Newsletter'; Cy subscribed to 'Offers'."""
    src = tmp_path / "people.csv"
    src.write_text(PEOPLE, encoding="utf-8")
    out = service.run_job(service.create_import_job(str(src)))
    assert out.counters.inserted == 5, out.message
    for emails, option in ((("ann@x.com", "bob@x.com"), "recipients.list_name=Newsletter"),
                           (("cy@x.com",), "recipients.service=Offers")):
        part = tmp_path / f"part-{option[11:15]}.csv"
        part.write_text("email\n" + "\n".join(emails) + "\n", encoding="utf-8")
        mode = ["recipients.list_mode=add"] if "list" in option else []
        done = service.run_job(service.create_import_job(str(part), options=[option, *mode]))
        assert done.counters.rejected == 0, done.message


def export_template(*columns: str, filter: Condition | None = None, **output: object) -> JobTemplate:
    """An unsaved export template of these columns (field names or expressions)."""
    from campaign_desktop.storage.builtins import builtin_templates

    tpl = next(t for t in builtin_templates() if t.kind is JobKind.EXPORT).copy()
    s = tpl.export_settings
    assert s is not None
    s.columns = [ExportColumn(expression=c) for c in columns]
    s.filter = filter
    for key, value in output.items():
        setattr(s.output, key, value)
    return tpl


def emails_matching(service, cond: Condition) -> list[str]:  # type: ignore[no-untyped-def]
    preview = service.preview_export(export_template("email", filter=cond))
    assert preview.count == len(preview.rows)
    return sorted(r[0] for r in preview.rows)
