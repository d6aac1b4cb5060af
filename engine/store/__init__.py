"""Session stores: a SQLite file (default) or a PostgreSQL server, behind one interface."""

from __future__ import annotations

from pathlib import Path

from engine.store.base import SessionStore

POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def is_server_url(target: str | Path) -> bool:
    """Whether `target` names a PostgreSQL server rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(POSTGRES_PREFIXES)


def open_store(target: str | Path, *, read_only: bool = False) -> SessionStore:
    """Open (creating or migrating if needed) the store `target` names: a `postgresql://` URL,
    a SQLite file path, or ':memory:' for a throwaway one. `read_only` (listing, reports): a
    SQLite file is opened with `mode=ro`, so it is readable in a folder the user cannot write."""
    if is_server_url(target):
        from engine.store.postgres import PostgresStore

        return PostgresStore(str(target))
    from engine.store.sqlite import Store

    return Store(target, read_only=read_only)
