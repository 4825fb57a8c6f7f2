"""Opening databases: the embedded default, migrations, and clear errors for bad addresses."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import SAWarning

from campaign_desktop.storage.database import DatabaseUrlError, create_db_engine, resolve_url
from campaign_desktop.storage.migrate import current_revision, upgrade
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


def test_migrations_create_every_table_and_indexes_for_the_reconciliation_keys(engine):
    insp = inspect(engine)
    tables = set(insp.get_table_names())
    assert {"recipients", "folders", "lists", "list_members", "services", "subscriptions", "job_templates",
            "jobs", "job_journal", "job_rejects"} <= tables
    with warnings.catch_warnings():  # SQLite's reflection skips expression indexes, with a warning
        warnings.simplefilter("ignore", SAWarning)
        reflected = insp.get_indexes("recipients")
    indexed = {tuple(ix["column_names"]) for ix in reflected}
    assert ("email",) in indexed and ("account",) in indexed


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
    assert current_revision(engine) == "0002"
    with engine.connect() as conn:
        assert [r.email for r in read_page(conn, RecipientFilter("ann@")).rows] == ["Ann@Example.com"]
        q = select(recipients.c.id).where(filter_clause(RecipientFilter("ann", SearchField.EMAIL)))
        sql = str(q.compile(engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "ix_recipients_email_key" in plan  # the prefix is an index range, not a scan
    engine.dispose()
