"""Two stations opening a new PostgreSQL library index at the same moment."""

from __future__ import annotations

import threading

from ui.library import SCHEMA_VERSION, Library

from .conftest import make_session


def test_the_second_station_waits_and_finds_the_index_made(tmp_path, pg_url, monkeypatch):
    """Station B tries to make the index while station A, which read 'version 0', is about to:
    B waits for A (it made the tables between A's read and A's work, and A failed with
    'relation "sessions" already exists')."""
    make_session(tmp_path / "ana", kinds=("III",), target="III")
    with Library(tmp_path, pg_url) as lib:
        for t in ("sessions", "schema_migrations"):
            lib.execute(f"DROP TABLE IF EXISTS {t}")
        lib.commit()
    read = Library.version
    b_done, errors, first = threading.Event(), [], []

    def station_b():
        try:
            with Library(tmp_path, pg_url) as b:
                b.refresh()
        except Exception as e:                         # noqa: BLE001 (reported below)
            errors.append(e)
        b_done.set()

    def version(self):
        v = read(self)
        if not first:
            first.append(v)
            threading.Thread(target=station_b).start()
            b_done.wait(1.0)                           # B done here only if nothing holds it back
        return v

    monkeypatch.setattr(Library, "version", version)
    with Library(tmp_path, pg_url) as a:
        a.refresh()
    assert b_done.wait(10.0) and errors == [] and first == [0]
    monkeypatch.undo()
    with Library(tmp_path, pg_url) as lib:
        assert lib.version() == SCHEMA_VERSION and len(lib.rows()) == 1
