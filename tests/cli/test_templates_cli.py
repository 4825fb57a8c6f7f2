"""The headless commands a scheduler or a tester uses, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys

from campaign_desktop.cli.main import main


def run(db_url: str, *args: str) -> int:
    return main(["--db", db_url, *args])


def test_templates_list_shows_the_builtins(db_url, capsys):
    assert run(db_url, "templates", "list") == 0
    out = capsys.readouterr().out
    for label in ("New text import", "Import denylist", "Import recipients into a list", "New text export"):
        assert label in out
    assert "Internal name" in out


def test_templates_show_prints_the_documented_json(db_url, capsys):
    assert run(db_url, "templates", "show", "denylistImport") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["format"] == "campaign-desktop/job-template"
    assert doc["label"] == "Import denylist"
    assert doc["settings"]["recipients"]["set_flags"] == ["blacklist_email"]


def test_duplicate_then_list_shows_the_copy_and_it_can_be_renamed(db_url, capsys):
    assert run(db_url, "templates", "duplicate", "newImport", "--label", "Weekly prospects") == 0
    assert "Created 'Weekly prospects'" in capsys.readouterr().out
    assert run(db_url, "templates", "rename", "Weekly prospects", "Monthly prospects") == 0
    run(db_url, "templates", "list")
    assert "Monthly prospects" in capsys.readouterr().out


def test_changing_a_builtin_fails_with_a_message_and_exit_code_2(db_url, capsys):
    assert run(db_url, "templates", "delete", "newImport") == 2
    err = capsys.readouterr().err
    assert "built-in template" in err and "Traceback" not in err


def test_an_unknown_template_says_how_to_list_them(db_url, capsys):
    assert run(db_url, "templates", "show", "nope") == 2
    assert "templates list" in capsys.readouterr().err


def test_a_shared_json_template_can_be_stored(db_url, tmp_path, capsys):
    run(db_url, "templates", "show", "newExport")
    doc = json.loads(capsys.readouterr().out)
    doc["label"] = "From a colleague"
    path = tmp_path / "t.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert run(db_url, "templates", "import", str(path)) == 0
    assert "Stored 'From a colleague'" in capsys.readouterr().out
    run(db_url, "templates", "show", "From a colleague")
    assert json.loads(capsys.readouterr().out)["read_only"] is False


def test_recipients_count_and_db_upgrade(db_url, capsys):
    assert run(db_url, "recipients", "count") == 0
    assert capsys.readouterr().out.strip() == "0"
    assert run(db_url, "db", "upgrade") == 0
    assert "already at version" in capsys.readouterr().out


def test_the_database_can_come_from_the_environment(db_url, monkeypatch, capsys):
    monkeypatch.setenv("CAMPAIGN_DESKTOP_DB", db_url)
    assert main(["templates", "list", "--kind", "export"]) == 0
    out = capsys.readouterr().out
    assert "New text export" in out and "New text import" not in out


def test_an_unreachable_server_is_a_clear_message_not_a_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "campaign_desktop.cli.main", "--db",
         "postgresql+psycopg://nobody@127.0.0.1:1/none", "recipients", "count"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "Cannot use the database" in proc.stderr and "Traceback" not in proc.stderr


def test_recipients_list_searches_and_sorts_like_the_recipients_view(db_url, tmp_path, capsys):
    from tests.support.files import write_recipients_csv

    assert main(["--db", db_url, "import", str(write_recipients_csv(tmp_path / "p.csv", 300))]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "recipients", "list", "--search", "USER12", "--field", "email",
                 "--sort", "account", "--desc", "--limit", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["Email", "First"]
    assert [ln.split()[0] for ln in lines[2:]] == ["user129@example32.com", "user128@example31.com",
                                                    "user127@example30.com"]
    assert main(["--db", db_url, "recipients", "list", "--sort", "shoe_size"]) == 2
    assert "Cannot sort on 'shoe_size'" in capsys.readouterr().err
