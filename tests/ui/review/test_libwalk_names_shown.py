"""Names as they are shown: 'library list' cuts a long one with "…" (or widens to it) rather
than cutting two alike; the review shows a name spaced as a name is, Progress titles a trainee
as the library lists them, and a session without a trainee reads "no trainee" in both."""

from __future__ import annotations

from pathlib import Path

import pytest

from ui.cli import main
from ui.review.window import FOLDER_ROLE, ReviewWindow

from .conftest import make_session

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

NOWAK = "Alexandra Kowalska-Nowak"
ZIELINSKA = "Alexandra Kowalska-Zielińska"
LONG = "Alexandra Kowalska-Nowakowska-Wiśniewska"


@pytest.fixture
def names(tmp_path):
    make_session(tmp_path / "n1", trainee=NOWAK, created="2026-10-01T10:00:00", seed=1, cycles=3)
    make_session(tmp_path / "z1", trainee=ZIELINSKA, created="2026-10-02T10:00:00", seed=2, cycles=3,
                 technique_name="Posterior-anterior L4 central")
    make_session(tmp_path / "l1", trainee=LONG, created="2026-10-03T10:00:00", seed=3, cycles=3)
    make_session(tmp_path / "a1", trainee="Anna Kowalska", created="2026-10-04T10:00:00", seed=4, cycles=3)
    make_session(tmp_path / "a2", trainee="Anna Kowalska", created="2026-10-05T10:00:00", seed=5, cycles=3)
    make_session(tmp_path / "a3", trainee="  anna   KOWALSKA ", created="2026-10-06T10:00:00", seed=6, cycles=3)
    make_session(tmp_path / "x1", trainee="", created="2026-10-07T10:00:00", seed=7, cycles=3)
    return tmp_path


def test_list_names_two_long_names_apart(names, capsys):
    """Both were "Alexandra Kowals", and the technique "Posterior-ante", cut without a mark."""
    assert main(["library", "list", str(names)]) == 0
    head, *lines = capsys.readouterr().out.splitlines()
    at, to = head.index("trainee"), head.index("technique")
    shown = {line.split()[-1]: line[at:to].rstrip() for line in lines}
    # ("  anna   KOWALSKA " among "Anna Kowalska"'s sessions: named as the report names her)
    assert shown["n1"] == NOWAK and shown["z1"] == ZIELINSKA and shown["a3"] == "Anna Kowalska"
    assert shown["l1"].endswith("…") and LONG.startswith(shown["l1"][:-1])
    assert shown["x1"] == "no trainee"
    technique = {line.split()[-1]: line[to:head.index("target")].rstrip() for line in lines}
    assert technique["z1"].endswith("…") and technique["z1"] != "Posterior-ante"
    assert "Posterior-anterior L4 central".startswith(technique["z1"][:-1])


def test_review_shows_names_spaced_and_no_trainee(names, qtbot):
    """The table showed "  anna   KOWALSKA " as typed and an empty cell for no trainee; Progress
    was titled with the selected row's spelling. (The table now names her as the report does.)"""
    win = ReviewWindow(names)
    qtbot.addWidget(win)
    row = {Path(win.proxy.index(i, 0).data(FOLDER_ROLE)).name: i for i in range(win.proxy.rowCount())}
    cells = {name: win.proxy.index(i, 0).data() for name, i in row.items()}
    assert cells["a3"] == "Anna Kowalska"         # (one spelling a trainee, as the report's)
    assert cells["x1"] == "no trainee"
    odd = row["a3"]
    win.table.selectRow(odd)
    win.progress_selected()
    assert win.progress_view.title.text() == "progress of Anna Kowalska: 3 sessions"
    none = row["x1"]
    win.table.clearSelection()
    win.table.selectRow(none)
    win.progress_selected()
    assert win.progress_view.title.text() == "progress of sessions without a trainee: 1 session"
