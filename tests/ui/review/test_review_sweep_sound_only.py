"""A session of sound alone (no force, no IMU) in the Session tab: it says so above its empty
plots, as the report and the Compare tab do, and offers no re-analysis against R1 and R2 (it
showed an empty force axis around 0 N with no word why, and R1 0 N, R2 0 N to re-analyse with)."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def sound_only_session(src, folder):
    """Write at ``folder`` a session of sound alone: the audio of a V thrust recorded at ``src``
    and a session.json with an audio stream only (16 kHz). Returns ``folder``."""
    heard = make_session(src, kinds=("V",), target="V", audio=True)
    folder.mkdir(parents=True)
    shutil.copy(heard / "audio.wav", folder / "audio.wav")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-10-02T10:00:00", "trainee": "Audio", "target": "V", "complete": True,
        "streams": {"audio": {"file": "audio.wav", "rate_hz": 16000}}}))
    return folder


def test_sound_only_session_says_there_is_no_force(qtbot, tmp_path):
    root = tmp_path / "class"
    folder = sound_only_session(tmp_path / "src", root / "sound")
    force = make_session(root / "force", trainee="Ben")
    win = shown_review(qtbot, root)
    view = win.session_view
    win.open_session(folder)
    assert view.no_force.isVisible()
    assert view.no_force.text() == "No force was recorded (sound only). The pops heard are marked at 0 N."
    assert not view.cal.isEnabled() and view.cal.title() == "Re-analyse: no force to grade"
    win.open_session(force)                      # (the next session's force: the words go)
    assert not view.no_force.isVisible() and view.cal.isEnabled() and view.cal.title() == "Re-analyse"


def test_compare_says_a_sound_only_session_has_sound_only(qtbot, tmp_path):
    root = tmp_path / "class"
    folder = sound_only_session(tmp_path / "src", root / "sound")
    force = make_session(root / "force", trainee="Ben")
    win = shown_review(qtbot, root)
    win.compare(folder, force)
    assert win.compare_view.titles[0].text().endswith("— no force recorded (sound only)")   # (as the report says)


def test_sound_only_plots_do_not_keep_the_force_scale_of_the_session_before(qtbot, tmp_path):
    root = tmp_path / "class"
    folder = sound_only_session(tmp_path / "src", root / "sound")
    force = make_session(root / "force", trainee="Ben", kinds=("V",), target="V")
    win = shown_review(qtbot, root)
    view = win.session_view
    win.open_session(force)
    qtbot.wait(50)
    assert view.detail.getPlotItem().vb.viewRange()[1][1] > 300.0      # (a thrust of 400 N)
    win.open_session(folder)
    qtbot.wait(50)
    for plot in (view.overview, view.detail):
        lo, hi = plot.getPlotItem().vb.viewRange()[1]
        assert -2.0 < lo < 0.0 < hi < 2.0
    win.open_session(force)                      # (and the next force's own scale again)
    qtbot.wait(50)
    assert view.detail.getPlotItem().vb.viewRange()[1][1] > 300.0
