"""The shipped migrations create exactly the tables the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from invsim.extensions import db
from invsim.models import Base


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = [d for d in compare_metadata(context, Base.metadata)
                       if not (isinstance(d, tuple) and str(d[0]).startswith("remove_table")
                               and d[1].name.startswith("test_"))]
    assert differences == []
