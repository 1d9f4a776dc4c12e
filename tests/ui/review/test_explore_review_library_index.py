"""The library index on awkward roots and --db paths."""

from __future__ import annotations

from ui.library import Library

from .conftest import make_session


def test_a_session_folder_as_root_is_read_once(tmp_path):
    """ROOT given as one session folder keeps its index inside it; listing again finds the
    session unchanged (the index file counted as part of the session, so every list read it
    again, and so did the parent folder's index)."""
    s = make_session(tmp_path / "ana", kinds=("III",), target="III")
    with Library(s) as lib:
        first = lib.refresh()
    with Library(s) as lib:
        again = lib.refresh()
    assert (first.added, again.unchanged, again.updated) == (1, 1, 0)
    with Library(tmp_path) as lib:
        lib.refresh()
    with Library(s) as lib:
        lib.refresh()
    with Library(tmp_path) as lib:
        res = lib.refresh()
    assert (res.unchanged, res.updated) == (1, 0)
