"""Opening databases: the embedded default, migrations, and clear errors for bad addresses."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from campaign_desktop.storage.database import DatabaseUrlError, create_db_engine, resolve_url
from campaign_desktop.storage.migrate import current_revision, head_revision, upgrade
from campaign_desktop.storage.search_key import SEARCH_INDEXES


def test_the_default_database_is_a_sqlite_file_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CAMPAIGN_DESKTOP_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    url = resolve_url(None)
    assert url == f"sqlite:///{tmp_path}/CampaignDesktop/campaign.db"
    engine = create_db_engine(None)
    assert (tmp_path / "CampaignDesktop" / "campaign.db").exists()
    assert current_revision(engine) is not None
    engine.dispose()


def test_the_environment_variable_chooses_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("CAMPAIGN_DESKTOP_DB", f"sqlite:///{tmp_path}/team.db")
    assert resolve_url(None).endswith("team.db")


@pytest.mark.parametrize("bad", ["mysql://u@h/db", "not a url at all"])
def test_an_unsupported_address_is_refused_with_a_reason(bad):
    with pytest.raises(DatabaseUrlError):
        resolve_url(bad)


def test_migrations_create_every_table(engine):
    tables = set(inspect(engine).get_table_names())
    assert {"recipients", "folders", "lists", "list_members", "services", "subscriptions", "job_templates",
            "jobs", "job_journal", "job_rejects"} <= tables


@pytest.mark.parametrize("key", [("email",), ("account",), ("first_name", "last_name")])
def test_the_reconciliation_lookups_go_through_an_index_on_both_backends(engine, key):
    """Since 0003 email, account and last name have one index each, the case-insensitive search key."""
    from campaign_desktop.storage.recipients_writer import RecipientsWriter

    with engine.connect() as conn:
        writer = RecipientsWriter(conn)
        sql, params = writer._lookup_sql(["id", "folder_id", *key], key, [tuple("x" for _ in key)] * 3)
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, tuple(params)))
        else:  # PostgreSQL's planner weighs the table: give it 20,000 recipients and their statistics
            conn.exec_driver_sql(
                "INSERT INTO recipients (email, account, first_name, last_name, created, last_modified) "
                "SELECT 'u' || g || '@x.com', 'A' || g, 'F' || g, 'L' || g, now(), now() "
                "FROM generate_series(1, 20000) g")
            conn.exec_driver_sql("ANALYZE recipients")
            plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN " + sql, tuple(params)))
    assert f"ix_recipients_{key[-1]}_key" in plan, plan


def test_migration_0003_drops_the_exact_case_indexes_the_search_keys_replace(engine):
    if engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recipients'"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'recipients'"
    with engine.connect() as conn:
        names = set(conn.exec_driver_sql(sql).scalars())
    assert not {"ix_recipients_email", "ix_recipients_account", "ix_recipients_last_name"} & names


def test_migration_0002_adds_the_quick_search_indexes_on_both_backends(engine):
    if engine.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'recipients'"
    else:
        sql = "SELECT indexname FROM pg_indexes WHERE tablename = 'recipients'"
    with engine.connect() as conn:
        names = set(conn.exec_driver_sql(sql).scalars())
    assert set(SEARCH_INDEXES) <= names


def test_upgrading_twice_changes_nothing(engine):
    before = current_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == before


def test_a_database_with_recipients_from_before_0002_is_upgraded_and_searchable(tmp_path):
    from datetime import datetime

    from sqlalchemy import insert, select

    from campaign_desktop.storage.recipient_query import RecipientFilter, SearchField, filter_clause, read_page
    from campaign_desktop.storage.schema import recipients

    engine = create_db_engine(f"sqlite:///{tmp_path / 'old.db'}", migrate=False)
    upgrade(engine, "0001")
    now = datetime(2024, 1, 1)
    with engine.begin() as conn:
        conn.execute(insert(recipients), [{"email": "Ann@Example.com", "last_name": "Lee", "created": now,
                                           "last_modified": now}])
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert [r.email for r in read_page(conn, RecipientFilter("ann@")).rows] == ["Ann@Example.com"]
        q = select(recipients.c.id).where(filter_clause(RecipientFilter("ann", SearchField.EMAIL)))
        sql = str(q.compile(engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_recipients_email_key" in plan  # the prefix is an index range, not a scan
    engine.dispose()


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path):
    """Every CLI command opens the database: half a second of Alembic import is saved when nothing migrates."""
    import subprocess
    import sys

    from campaign_desktop.storage.database import create_db_engine
    from campaign_desktop.storage.migrate import current_revision, head_revision

    url = f"sqlite:///{tmp_path / 'c.db'}"
    engine = create_db_engine(url)  # creates and migrates
    assert current_revision(engine) == head_revision() is not None
    engine.dispose()
    probe = ("import sys; from campaign_desktop.storage.database import create_db_engine; "
             f"create_db_engine({url!r}).dispose(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
