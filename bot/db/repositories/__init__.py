"""Repositories: take a session, never commit, return ORM rows to services only."""
