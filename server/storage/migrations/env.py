"""Alembic environment: LaySo passes the connection in (see Database.migrate)."""

from alembic import context

from layso.server.storage.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through LaySo (layso server / Database.migrate)")

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
