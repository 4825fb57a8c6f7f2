"""Builders and helpers for GUI tests: an application object, a window, data in the real schema."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert


def make_app(service, tmp_path: Path):  # type: ignore[no-untyped-def]
    from campaign_desktop.gui.app import CampaignApp
    from campaign_desktop.gui.errors import CrashHandler
    from campaign_desktop.gui.settings import GuiSettings

    crash = CrashHandler(log_path=tmp_path / "crash.log")
    return CampaignApp(service, GuiSettings(tmp_path / "settings.ini"), crash)


def open_window(qtbot, app):  # type: ignore[no-untyped-def]
    from campaign_desktop.gui.explorer.main_window import MainWindow

    window = MainWindow(app)
    app.crash.window = window
    qtbot.addWidget(window)
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    return window


# --- data builders (through the real schema) ---------------------------------------------------


def add_recipients(service, count: int, *, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    """``count`` recipients 'person0000@example.com'..., every 7th denylisted by email."""
    from campaign_desktop.storage.schema import recipients

    base = datetime(2024, 1, 1, 9, 0)
    rows = [
        {"email": f"person{n:04d}@example.com", "first_name": f"First{n:04d}", "last_name": f"Last{n:04d}",
         "account": f"A{n:05d}", "city": ["Paris", "Lyon", "Nantes"][n % 3], "blacklist_email": n % 7 == 0,
         "created": base + timedelta(minutes=n), "last_modified": base + timedelta(minutes=n)}
        for n in range(start, start + count)
    ]
    with service.engine.begin() as conn:
        conn.execute(insert(recipients), rows)


def add_list(service, label: str, members: list[int]) -> int:  # type: ignore[no-untyped-def]
    from campaign_desktop.storage.schema import list_members, lists

    now = datetime(2024, 2, 1, 10, 0)
    with service.engine.begin() as conn:
        list_id = conn.execute(insert(lists).values(name=label.replace(" ", "_"), label=label, created=now,
                                                    last_modified=now).returning(lists.c.id)).scalar_one()
        if members:
            conn.execute(insert(list_members), [{"list_id": list_id, "recipient_id": r, "added": now}
                                                for r in members])
    return int(list_id)


def add_service(service, label: str, subscribers: list[int]) -> int:  # type: ignore[no-untyped-def]
    from campaign_desktop.storage.schema import services, subscriptions

    now = datetime(2024, 3, 1, 10, 0)
    with service.engine.begin() as conn:
        service_id = conn.execute(insert(services).values(name=label.replace(" ", "_"), label=label,
                                                          created=now).returning(services.c.id)).scalar_one()
        if subscribers:
            conn.execute(insert(subscriptions), [{"service_id": service_id, "recipient_id": r, "created": now}
                                                 for r in subscribers])
    return int(service_id)


def add_finished_job(service, label: str, seconds: int = 77) -> int:  # type: ignore[no-untyped-def]
    """A finished import job that ran ``seconds`` (started and ended set directly, as a run leaves them)."""
    from sqlalchemy import update

    from campaign_desktop.domain.job import JobStatus
    from campaign_desktop.storage.schema import jobs

    tpl = service.templates.get("newImport")
    job_id = service.jobs.create(tpl, label=label, source_path="/data/prospects.csv", created_by="marketer")
    start = datetime(2024, 5, 2, 14, 0, 0)
    with service.engine.begin() as conn:
        conn.execute(update(jobs).where(jobs.c.id == job_id).values(
            status=JobStatus.FINISHED.value, started_at=start, ended_at=start + timedelta(seconds=seconds),
            processed=500, inserted=480, rejected=20))
    return int(job_id)
