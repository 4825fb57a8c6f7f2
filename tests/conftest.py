"""Shared fixtures: a real database per test, on SQLite and on a real PostgreSQL server.

Tests that take ``db_url`` (or ``engine``/``service``) run twice, once per backend. The
PostgreSQL cluster is started once per session in a temporary folder; each test gets its
own database cloned from a migrated template database, so tests stay independent and fast.
Without PostgreSQL binaries the PostgreSQL half is skipped with a message locally, and fails
under CI (CI=true), where ``.ci/run`` has installed the server.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.support.postgres import ThrowawayCluster, find_pg_bin  # noqa: E402

DATA_DIR = Path(__file__).parent / "data"
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    if find_pg_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL server binaries are missing on CI: .ci/run should have installed them")
        pytest.skip("PostgreSQL tests skipped: no initdb/pg_ctl here (install Debian's 'postgresql' package, "
                    "or run packaging/run-tests.sh which does)")
    cluster = ThrowawayCluster().start()
    from campaign_desktop.storage.database import create_db_engine

    cluster.admin_execute("CREATE DATABASE cd_template")
    engine = create_db_engine(cluster.url("cd_template"))
    engine.dispose()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL for this test, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'campaign.db'}"
    cluster: ThrowawayCluster = request.getfixturevalue("pg_cluster")
    name = f"cd_test_{os.getpid()}_{next(_counter)}"
    cluster.admin_execute(f"CREATE DATABASE {name} TEMPLATE cd_template")
    return cluster.url(name)


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    from campaign_desktop.storage.database import create_db_engine

    eng = create_db_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def service(engine):  # type: ignore[no-untyped-def]
    from campaign_desktop.services import CampaignService

    return CampaignService(engine)


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR
