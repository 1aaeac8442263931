"""Alembic environment for the configuration schema; run it through `store.migrate`."""
