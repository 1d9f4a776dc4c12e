"""Which files the library index makes, takes and moves aside."""

from __future__ import annotations

import sqlite3

from ui.cli import main
from ui.library import INDEX_NAME
from ui.review.window import ReviewWindow

from .conftest import make_session


def test_a_folder_without_sessions_gets_no_index(tmp_path, capsys, qtbot):
    """'list' and the review window on a folder of bare CSVs said there were no sessions and
    left a gradecoach-library.sqlite there all the same."""
    sim = tmp_path / "sim"
    sim.mkdir()
    (sim / "s00.csv").write_text("t_s,force_n\n0,1\n0.005,2\n")
    assert main(["library", "list", str(sim)]) == 0
    assert capsys.readouterr().err == f"gradecoach: no session folders (with session.json) under {sim}\n"
    assert main(["library", "rebuild", str(sim)]) == 0
    win = ReviewWindow(sim)
    qtbot.addWidget(win)
    assert win.lib_status.text() == f"0 sessions under {sim}"
    win.close()
    assert sorted(p.name for p in sim.iterdir()) == ["s00.csv"]
    make_session(sim / "ana", kinds=("III",), target="III")            # the first session: made now
    assert main(["library", "list", str(sim)]) == 0
    assert "ana" in capsys.readouterr().out
    con = sqlite3.connect(sim / INDEX_NAME)
    assert con.execute("SELECT path FROM sessions").fetchall() == [("ana",)]
    con.close()

