"""Persistence (db layer): SQLAlchemy models, sessions, repositories and Alembic migrations."""
