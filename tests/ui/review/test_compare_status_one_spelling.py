"""The review's Compare titles and the status bar of a session opened name its trainee as the
library table, Progress and the report do: a session typed "fatima " among "Fatima"'s, or
"Emile Dubois" among "Émile Dubois"'s, was titled with its own spelling there."""

from __future__ import annotations

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# (folder, trainee as typed, created): a name with capitals, and one with accents, is the one spelling
SESSIONS = [("f1", "Fatima", "2026-01-05T10:00:00"),
            ("f2", "fatima ", "2026-01-12T10:00:00"),
            ("e1", "Émile Dubois", "2026-01-05T11:00:00"),
            ("e2", "Emile  Dubois", "2026-01-12T11:00:00")]


def test_compare_and_status_bar_name_each_trainee_one_way(tmp_path, qtbot):
    root = tmp_path / "class"
    for i, (folder, trainee, created) in enumerate(SESSIONS):
        make_session(root / folder, trainee=trainee, created=created, seed=i, cycles=3)
    win = shown_review(qtbot, root)
    win.open_session(root / "f2")
    assert win.statusBar().currentMessage().startswith("f2: Fatima, 2026-01-12")
    win.open_session(root / "e2")
    assert win.statusBar().currentMessage().startswith("e2: Émile Dubois, 2026-01-12")
    win.compare(root / "f2", root / "e2")
    assert [t.text().split(", ")[0] for t in win.compare_view.titles] == ["f2 — Fatima", "e2 — Émile Dubois"]
