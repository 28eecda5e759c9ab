"""Alembic migration scripts of the SQL store (run through ``wfengine.runtime.sql.migrate``)."""
