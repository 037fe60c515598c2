"""Alembic environment: runs on the connection handed in by ``pstdesktop.migrate``."""

from alembic import context

from models import Base
from models.search import include_name

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=include_name,
)
with context.begin_transaction():
    context.run_migrations()
