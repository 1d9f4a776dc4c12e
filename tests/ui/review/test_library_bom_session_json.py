"""A session.json saved with a byte order mark (Windows Notepad writes one) is read by replay and
the report, but the library's look at how a recording ended read it as unreadable, and so called
a recording that did not finish, or whose force.csv was cut off, finished."""

from __future__ import annotations

from ui.cli import main

from .conftest import make_session, tear


def _with_bom(folder):
    mp = folder / "session.json"
    mp.write_bytes(b"\xef\xbb\xbf" + mp.read_bytes())
    return folder


def test_a_recording_that_did_not_finish_is_listed_so_with_a_byte_order_mark_too(tmp_path, capsys):
    root = tmp_path / "class"
    tear(make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1))
    _with_bom(tear(make_session(root / "ben", trainee="ben", created="2025-03-01T09:00:00", cycles=4, seed=1)))
    assert main(["library", "list", str(root)]) == 0
    head, *rows = capsys.readouterr().out.splitlines()
    ana, ben = sorted(rows, key=lambda r: " ben " in r)
    # the same row but for the trainee's name and folder: the same end said
    assert " ana " in ana and ana.replace("ana", "ben") == ben, (head, ana, ben)
