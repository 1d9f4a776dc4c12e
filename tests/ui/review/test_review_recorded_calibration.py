"""After a re-analysis with another calibration (saved in the review, or the report's --r1/--r2),
the review's details and the report say which calibration the trainee practised against."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from ui.cli import main

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _facts(text: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", text))


def _reanalyse_and_save(view, qtbot, r1, r2):
    view.r1.setValue(r1)
    view.r2.setValue(r2)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.reanalyse_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)


def test_review_and_report_say_the_calibration_recorded_after_a_saved_reanalysis(qtbot, tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    win = shown_review(qtbot, tmp_path)
    win.open_session(folder)
    view = win.session_view
    assert "recorded with" not in view.details_dict()              # graded as recorded: nothing to say
    _reanalyse_and_save(view, qtbot, 30.0, 100.0)
    win.open_session(folder)                                       # opened again, from what was saved
    details = view.details_dict()
    assert details["calibration"] == "R1 30 N, R2 100 N"
    assert details["recorded with"] == "R1 40 N, R2 120 N (re-analysed)"
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    facts = _facts(out.read_text())
    assert facts["calibration"] == "R1 30.0 N, R2 100.0 N, alpha 0.5"
    assert facts["recorded with"] == "R1 40.0 N, R2 120.0 N, alpha 0.5 (re-analysed)"


def test_report_overrides_say_the_calibration_recorded(tmp_path):
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "-o", str(out)]) == 0
    assert "recorded with" not in _facts(out.read_text())
    assert main(["report", str(folder), "--r1", "50", "--r2", "150", "-o", str(out)]) == 0
    facts = _facts(out.read_text())
    assert facts["calibration"] == "R1 50.0 N, R2 150.0 N, alpha 0.5"
    assert facts["recorded with"] == "R1 40.0 N, R2 120.0 N, alpha 0.5 (re-analysed)"


def test_the_same_target_spelled_otherwise_is_not_another(tmp_path):
    """``--target iii`` (or ``HVLA`` for V) is the recording's own target: no "recorded with" row
    saying it was re-analysed; another target is said."""
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    out = tmp_path / "r.html"
    for same in ("iii", " III"):
        assert main(["report", str(folder), "--target", same, "-o", str(out)]) == 0
        assert "recorded with" not in _facts(out.read_text()), same
    assert main(["report", str(folder), "--target", "IV", "-o", str(out)]) == 0
    assert _facts(out.read_text())["recorded with"].startswith("target III, R1 40.0 N, R2 120.0 N")


def test_a_stored_target_that_is_no_target_is_not_named(tmp_path):
    """session.json's recorded_calibration edited by hand: a target ['IV'] or 'bogus' is not
    printed as one; the calibration practised against is still said."""
    import json
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    meta = json.loads((folder / "session.json").read_text())
    meta["recorded_calibration"] = {"r1_n": 30.0, "r2_n": 100.0, "alpha": 0.5, "target": ["IV"]}
    (folder / "session.json").write_text(json.dumps(meta))
    out = tmp_path / "r.html"
    assert main(["report", str(folder), "--target", "IV", "-o", str(out)]) == 0
    said = _facts(out.read_text())["recorded with"]
    assert "['IV']" not in said and said.startswith("no target, R1 30.0 N, R2 100.0 N"), said
