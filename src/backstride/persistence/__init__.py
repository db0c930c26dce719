"""Storage: SQLAlchemy tables, an engine factory, repositories and Alembic migrations."""
