"""Alembic's entry point: runs the revisions on the connection `store.migrate` gives it.

Run from the command line (`alembic -x url=...`) it opens its own engine instead, so
`alembic revision --autogenerate` works for whoever writes the next revision.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from sluiceway.store.engine import WRITE_OPTION, create_store_engine
from sluiceway.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    engine = create_store_engine(url).execution_options(**{WRITE_OPTION: True})
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


_main()
