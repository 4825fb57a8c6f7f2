"""Alembic environment: uses the engine handed over by campaign_desktop.storage.migrate."""

from alembic import context

from campaign_desktop.storage.schema import metadata

config = context.config
engine = config.attributes.get("engine")

if engine is None:  # pragma: no cover - only when a developer runs the alembic CLI by hand
    from campaign_desktop.storage.database import create_db_engine

    engine = create_db_engine(migrate=False)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
