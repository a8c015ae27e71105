"""All SQL lives here: the connection, migrations and one module per entity."""

from .database import ConflictError, Database, Tx, is_conflict

__all__ = ["ConflictError", "Database", "Tx", "is_conflict"]
