"""Alembic migrations, applied at start-up by ``pstdesktop.migrate``."""
