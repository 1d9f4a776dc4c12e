"""PostgreSQL connection for the session library (``--db postgresql://…``).

A school with many stations shares one index on a server; the SQL is the same as for
SQLite (see :mod:`ui.library`), only the connection and the parameter style differ.
Needs the optional extra ``gradecoach[pg]`` (psycopg 3).
"""

from __future__ import annotations

from analysis.errors import InputError


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        return f"{scheme}://{cred.split(':', 1)[0]}@{host}"
    return url


def connect(url: str):
    """Open a psycopg connection or raise a one-line :class:`InputError`."""
    try:
        import psycopg
    except ModuleNotFoundError:
        raise InputError("a PostgreSQL library needs psycopg: pip install 'gradecoach[pg]'") from None
    try:
        return psycopg.connect(url, connect_timeout=10)
    except psycopg.Error as e:
        first = (str(e).strip().splitlines() or ["connection failed"])[0]
        raise InputError(f"{_redact(url)}: cannot connect to the library database ({first})") from None
