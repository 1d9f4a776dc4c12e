"""The review window, driven offscreen with pytest-qt on real session folders."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from PySide6.QtCore import QItemSelectionModel, QPointF, Qt

from ui.library import session_stats
from analysis.scheme import GradingScheme
from ui.review.window import ReviewWindow

from .conftest import make_session, tear

# the offscreen platform plugin says so for every top-level window; nothing to do with us
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _sha(p: Path) -> str:
    return hashlib.sha1(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    """Three sessions of two trainees, simulated and analysed once for the module (seeded: the
    same folders each time); tests get a copy."""
    d = tmp_path_factory.mktemp("review_sessions")
    make_session(d / "ana-w1", trainee="ana", created="2025-03-01T10:00:00", kinds=("III", "V"), seed=1,
                 audio=True)
    make_session(d / "ana-w2", trainee="ana", created="2025-03-08T10:00:00", kinds=("III", "V", "V"), seed=2)
    make_session(d / "ben-w1", trainee="ben", created="2025-03-02T10:00:00", kinds=("II",), seed=3)
    return d


@pytest.fixture
def root(tmp_path, sessions):
    """The three sessions in the test's own folder (tests add comments, analyses and sessions):
    copied, their files written now as make_session writes them."""
    shutil.copytree(sessions, tmp_path, dirs_exist_ok=True, copy_function=shutil.copyfile)
    return tmp_path


@pytest.fixture
def win(qtbot, root):
    clock = FakeClock()
    w = ReviewWindow(root, clock=clock)
    w.clock = clock
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _row_of(win, name: str) -> int:
    for r in range(win.proxy.rowCount()):
        if Path(win._folder(r)).name == name:
            return r
    raise AssertionError(name)


def _open(win, qtbot, name: str):
    idx = win.proxy.index(_row_of(win, name), 0)
    rect = win.table.visualRect(idx)
    qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.session_view.rs is not None and win.session_view.rs.path.name == name
    return win.session_view


def test_library_table_sorts_filters_and_opens(win, qtbot):
    assert win.proxy.rowCount() == 3
    win.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)          # score
    scores = [win.proxy.index(r, 4).data(Qt.ItemDataRole.UserRole) for r in range(3)]
    assert scores == sorted(scores, reverse=True) and scores[-1] == 0.0   # ben practised II
    qtbot.keyClicks(win.filter, "BEN")
    assert win.proxy.rowCount() == 1 and win.proxy.index(0, 0).data() == "ben"
    win.filter.clear()
    win.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)           # date, shown without its "T" or seconds
    assert [win.proxy.index(r, 1).data() for r in range(3)] == ["2025-03-01 10:00", "2025-03-02 10:00",
                                                                 "2025-03-08 10:00"]
    qtbot.keyClicks(win.filter, "03-08")
    assert win.proxy.rowCount() == 1 and win.proxy.index(0, 0).data() == "ana"
    win.filter.clear()
    view = _open(win, qtbot, "ana-w2")
    assert view.curve.getData()[0].dtype == np.float64
    assert len(view._listed) == len(view.rs.of_type("cycle")) + len(view.rs.of_type("thrust"))


def test_scrub_and_play_at_4x_with_a_fake_clock(win, qtbot):
    view = _open(win, qtbot, "ana-w1")
    dur = view.playhead.duration_s
    view.detail.setXRange(0.0, 4.0, padding=0)                       # zoom in to 4 s
    view.slider.setValue(2500)                                       # scrub to a quarter
    assert view.playhead.pos_s == pytest.approx(dur / 4, abs=dur / 10000 + 1e-9)
    x0, x1 = view.detail.viewRange()[0]
    assert (x0 + x1) / 2 == pytest.approx(dur / 4, abs=0.01)         # detail follows the playhead
    assert x1 - x0 == pytest.approx(4.0)
    view.speed.setCurrentIndex(view.speed.findData(4.0))
    qtbot.mouseClick(view.play_btn, Qt.MouseButton.LeftButton)
    start = view.playhead.pos_s
    win.clock.t += 1.5                                               # 1.5 s of wall time
    qtbot.waitUntil(lambda: view.pos_label.text() == f"{start + 6.0:.2f} s", timeout=2000)
    assert view.heads[1].value() == pytest.approx(start + 6.0)
    qtbot.mouseClick(view.play_btn, Qt.MouseButton.LeftButton)       # pause: time passes, playhead stays
    win.clock.t += 5.0
    view.tick()
    assert view.playhead.pos_s == pytest.approx(start + 6.0)
    view.set_speed(10.0)
    view.toggle_play()
    win.clock.t += 60.0                                              # runs to the end and stops
    view.tick()
    assert view.playhead.pos_s == pytest.approx(dur) and not view.playhead.playing


def test_a_short_recording_stays_whole_in_the_detail_view_when_zoomed_out_and_scrubbed(win, qtbot, tmp_path):
    folder = make_session(tmp_path / "short", kinds=("III",), cycles=1, events=False)
    d = np.loadtxt(folder / "force.csv", delimiter=",", skiprows=1)
    with open(folder / "force.csv", "w") as fh:                     # 0.6 s of force, nothing else
        fh.write("t_s,force_n\n")
        np.savetxt(fh, d[d[:, 0] < 0.6], fmt=("%.6f", "%.4f"), delimiter=",")
    view = win.open_session(folder) and win.session_view
    length = view.playhead.duration_s - view.playhead.start_s
    assert 0.5 < length < 0.6
    view.detail.setXRange(-0.5, 1.1, padding=0)                     # zoomed out a little
    view.slider.setValue(5000)
    x0, x1 = view.detail.viewRange()[0]
    assert x1 - x0 == pytest.approx(length) and x0 <= view.playhead.pos_s <= x1


def test_audio_plays_at_speed_without_an_output_device(win, qtbot):
    view = _open(win, qtbot, "ana-w1")
    audio = view.audio
    assert not audio.available and "no audio output" in view.audio_label.text()
    qtbot.waitUntil(lambda: view._audio_env is not None, timeout=5000)   # envelope from the worker
    x, sr = sf.read(str(view.rs.inp.audio_path), dtype="float32")
    view.seek(3.0)
    view.set_speed(4.0)
    view.toggle_play()                                              # no device: must not fail
    win.clock.t += 0.5
    view.tick()
    pos = view.playhead.pos_s
    assert pos == pytest.approx(5.0)
    got = audio.render(512)
    want = x[np.round(pos * sr + np.arange(512) * 4.0).astype(int)]
    np.testing.assert_array_equal(got, want)
    view.detail.setXRange(4.0, 6.0, padding=0)                      # zoomed in: every sample shown
    t = view.audio_curve.xData                                      # the data, not what is drawn
    assert len(t) == pytest.approx(2.0 * sr, abs=2) and t.dtype == np.float64


def test_click_a_cycle_and_a_thrust_shows_their_numbers(win, qtbot):
    view = _open(win, qtbot, "ana-w1")
    c = view.rs.of_type("cycle")[3]
    view.seek(c["t_crest"])
    vb = view.detail.getPlotItem().vb
    pt = view.detail.mapFromScene(vb.mapViewToScene(QPointF(c["t_crest"], c["crest_n"])))
    qtbot.mouseClick(view.detail.viewport(), Qt.MouseButton.LeftButton, pos=pt)
    d = view.details_dict()
    assert d["event"] == "cycle"
    assert d["crest"] == f"{c['crest_n']:.1f} N" and d["frequency"] == f"{c['freq_hz']:.2f} Hz"
    assert d["grade"] == c["grade"] + (c["modifier"] or "")
    th = view.rs.of_type("thrust")[0]
    row = next(i for i, e in enumerate(view._listed) if e is th)
    rect = view.events_table.visualItemRect(view.events_table.item(row, 0))
    view.events_table.scrollToItem(view.events_table.item(row, 0))
    rect = view.events_table.visualItemRect(view.events_table.item(row, 0))
    qtbot.mouseClick(view.events_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    d = view.details_dict()
    assert d["peak"] == f"{th['peak_n']:.1f} N" and d["time to peak"] == f"{th['time_to_peak_ms']:.0f} ms"


def test_a_session_opens_with_its_key_numbers_and_a_pop_shows_why_it_is_one(win, qtbot):
    view = _open(win, qtbot, "ana-w1")
    d = view.details_dict()
    assert d["trainee"] == "ana" and d["recorded"] == "2025-03-01 10:00"      # as in the library table
    assert d["cycles"] == str(len(view.rs.of_type("cycle"))) and d["thrusts"] == str(len(view.rs.of_type("thrust")))
    pops = view.rs.of_type("cavitation")
    assert pops and d["pops"] == f"{len(pops)} ({sum(p['thrust'] is not None for p in pops)} with a thrust)"
    row = next(i for i, e in enumerate(view._listed) if e is pops[0])
    view.events_table.scrollToItem(view.events_table.item(row, 0))
    rect = view.events_table.visualItemRect(view.events_table.item(row, 0))
    qtbot.mouseClick(view.events_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    d = view.details_dict()
    assert d["event"] == "pop" and d["why"] == pops[0]["reason"] and "weakest" in d["why"]
    assert d["confidence"] == f"{pops[0]['confidence']:.2f}"
    # the pop on its own at 1 s is outlined, the two of the thrust are filled
    filled = {round(s.pos().x(), 1): s.brush().style() != Qt.BrushStyle.NoBrush for s in view.pop_marks.points()}
    assert filled.pop(1.0) is False and filled and all(filled.values())
    # ... and the outline stands out from the page behind it
    lone = next(s for s in view.pop_marks.points() if round(s.pos().x(), 1) == 1.0)
    page = view.detail.backgroundBrush().color()
    ink = lone.pen().color()
    assert lone.pen().widthF() >= 2 and sum(abs(a - b) for a, b in zip(ink.getRgb()[:3], page.getRgb()[:3])) > 200


def test_reanalyse_changes_grades_and_keeps_the_raw_data(win, qtbot, root):
    view = _open(win, qtbot, "ana-w2")
    folder = root / "ana-w2"
    force_sha, events_sha = _sha(folder / "force.csv"), _sha(folder / "events.jsonl")
    before = {e["grade"] for e in view.rs.of_type("cycle")}
    assert "III" in before
    view.r1.setValue(200.0)
    view.r2.setValue(300.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    assert not view.reanalyse_btn.isEnabled() and view.status.text() == "re-analysing…"   # on a worker thread
    qtbot.waitUntil(lambda: view.reanalyse_btn.isEnabled(), timeout=30000)
    after = {e["grade"] for e in view.rs.of_type("cycle")}
    assert after <= {"I", "II"} and "III" not in view.grades.text()
    assert "unsaved" in view.grades.text()
    assert _sha(folder / "events.jsonl") == events_sha                 # not saved yet
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert _sha(folder / "force.csv") == force_sha                     # raw data never changes
    saved = [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines()]
    assert {e["grade"] for e in saved if e["type"] == "cycle"} == after
    meta = json.loads((folder / "session.json").read_text())
    assert (meta["r1_n"], meta["r2_n"]) == (200.0, 300.0)
    assert meta["recorded_calibration"]["r1_n"] == 40.0


def test_a_reanalysis_still_running_when_another_session_is_opened_is_dropped(win, qtbot, root):
    """Its grades belong to the session it was started on: they must not show on, nor be
    saved into, the session opened since."""
    view = _open(win, qtbot, "ana-w1")
    view.r1.setValue(60.0)
    view.r2.setValue(200.0)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    job = view._reanalysis[0]
    other = root / "ben-w1"
    events_sha, meta_sha = _sha(other / "events.jsonl"), _sha(other / "session.json")
    view = _open(win, qtbot, "ben-w1")
    thrusts, grades = view.details_dict()["thrusts"], view.grades.text()
    qtbot.waitUntil(lambda: job.done() or job.cancelled(), timeout=30000)
    for _ in range(3):                                  # the timer's turns that pick up a result
        view.tick()
    assert view.reanalyse_btn.isEnabled() and not view.save_btn.isEnabled()
    assert view.grades.text() == grades and "unsaved" not in grades
    assert view.details_dict()["thrusts"] == thrusts == "0"
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)
    assert (_sha(other / "events.jsonl"), _sha(other / "session.json")) == (events_sha, meta_sha)


def _reanalyse_and_save(view, qtbot, r1: float, r2: float) -> None:
    view.r1.setValue(r1)
    view.r2.setValue(r2)
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.save_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(view.save_btn, Qt.MouseButton.LeftButton)


def test_save_analysis_brings_the_library_row_and_the_progress_view_up_to_date(win, qtbot):
    win.table.selectRow(_row_of(win, "ana-w2"))
    qtbot.mouseClick(win.progress_btn, Qt.MouseButton.LeftButton)  # ana's progress, shown before the save
    pv = win.progress_view
    before = win.proxy.index(_row_of(win, "ana-w2"), 4).data()
    view = _open(win, qtbot, "ana-w2")
    _reanalyse_and_save(view, qtbot, 200.0, 300.0)
    shown = view.details_dict()["on target"]                        # what the session panel says now
    score = win.proxy.index(_row_of(win, "ana-w2"), 4).data()
    assert score != before and f"{score} %" == shown
    assert [f"{v:.0f} %" for v in pv.series["on_target_pct"]][1] == shown
    assert pv.table.item(1, 3).text() == score                      # score column of the progress table
    assert win.proxy.rowCount() == 3


def test_save_analysis_reads_only_the_saved_session_again(win, qtbot, root, monkeypatch):
    """On a share of many sessions, saving one analysis must not walk all of them."""
    import ui.library.index as index
    read = []
    real = index.index_row
    monkeypatch.setattr(index, "index_row", lambda folder, r: read.append(folder.name) or real(folder, r))
    (root / "ben-w1" / "session.json").touch()                    # changed on disk meanwhile
    view = _open(win, qtbot, "ana-w2")
    _reanalyse_and_save(view, qtbot, 200.0, 300.0)
    assert read == ["ana-w2"]


def test_comment_is_saved_into_session_json(win, qtbot, root):
    view = _open(win, qtbot, "ben-w1")
    view.seek(4.25)
    qtbot.keyClicks(view.comment_text, "wrists too stiff here")
    qtbot.keyClicks(view.comment_author, "instructor")
    qtbot.mouseClick(view.comment_btn, Qt.MouseButton.LeftButton)
    meta = json.loads((root / "ben-w1" / "session.json").read_text())
    assert meta["comments"] == [{"t_s": 4.25, "text": "wrists too stiff here", "author": "instructor"}]
    assert meta["trainee"] == "ben" and meta["complete"] is True       # nothing else lost
    win.open_session(root / "ben-w1")
    assert [ln.value() for ln in view.comment_lines] == [4.25, 4.25]   # overview and detail


def test_two_stations_commenting_and_saving_on_one_session_keep_each_others_work(win, qtbot, root):
    """Two review windows on a shared folder: what one saved into session.json after the
    other opened the session survives the other's comment and Save analysis."""
    other = ReviewWindow(root, clock=win.clock)
    qtbot.addWidget(other)
    a, b = win.session_view, other.session_view
    win.open_session(root / "ana-w2")
    other.open_session(root / "ana-w2")
    a.seek(2.0)
    a.comment_text.setText("elbows locked")
    qtbot.mouseClick(a.comment_btn, Qt.MouseButton.LeftButton)
    b.seek(5.0)
    b.comment_text.setText("good rhythm")
    qtbot.mouseClick(b.comment_btn, Qt.MouseButton.LeftButton)
    texts = ["elbows locked", "good rhythm"]
    meta = json.loads((root / "ana-w2" / "session.json").read_text())
    assert [c["text"] for c in meta["comments"]] == texts
    assert [ln.value() for ln in b.comment_lines] == [2.0, 2.0, 5.0, 5.0]   # B sees A's comment too
    a.r1.setValue(200.0)
    a.r2.setValue(300.0)
    qtbot.mouseClick(a.reanalyse_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: a.save_btn.isEnabled(), timeout=30000)
    qtbot.mouseClick(a.save_btn, Qt.MouseButton.LeftButton)
    meta = json.loads((root / "ana-w2" / "session.json").read_text())
    assert [c["text"] for c in meta["comments"]] == texts and (meta["r1_n"], meta["r2_n"]) == (200.0, 300.0)
    b.comment_text.setText("thrust late")
    qtbot.mouseClick(b.comment_btn, Qt.MouseButton.LeftButton)
    meta = json.loads((root / "ana-w2" / "session.json").read_text())
    assert [c["text"] for c in meta["comments"]] == texts + ["thrust late"]
    assert (meta["r1_n"], meta["r2_n"]) == (200.0, 300.0) and meta["recorded_calibration"]["r1_n"] == 40.0
    other.close()


def test_opening_another_session_clears_what_was_said_about_the_last_one(win, qtbot):
    view = _open(win, qtbot, "ana-w2")
    view.comment_text.setText("too fast")
    qtbot.mouseClick(view.comment_btn, Qt.MouseButton.LeftButton)
    assert view.status.text() == "comment saved at 0.00 s"
    _open(win, qtbot, "ben-w1")
    assert view.status.text() == ""
    qtbot.mouseClick(view.reanalyse_btn, Qt.MouseButton.LeftButton)
    assert view.status.text() == "re-analysing…"
    _open(win, qtbot, "ana-w1")
    assert view.status.text() == ""


def test_compare_two_sessions_side_by_side(win, qtbot, root):
    sel = win.table.selectionModel()
    for name in ("ana-w1", "ana-w2"):
        sel.select(win.proxy.index(_row_of(win, name), 0),
                   QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    qtbot.mouseClick(win.compare_btn, Qt.MouseButton.LeftButton)
    cv = win.compare_view
    assert win.tabs.currentWidget() is cv
    names = [cv.table.horizontalHeaderItem(i).text() for i in range(2)]
    assert sorted(names) == ["ana-w1", "ana-w2"]
    for i, name in enumerate(names):
        ev = [json.loads(x) for x in (root / name / "events.jsonl").read_text().splitlines()]
        thr = [e["peak_n"] for e in ev if e["type"] == "thrust"]
        assert cv.stats[i]["n_thrusts"] == len(thr)
        assert cv.table.item(5, i).text() == f"{np.mean(thr):.1f}"          # thrust peak mean
    assert cv.stats[0]["n_thrusts"] != cv.stats[1]["n_thrusts"]


def test_progress_across_sessions(win, qtbot, root):
    win.table.selectRow(_row_of(win, "ana-w2"))
    qtbot.mouseClick(win.progress_btn, Qt.MouseButton.LeftButton)
    pv = win.progress_view
    assert pv.table.rowCount() == 2 and pv.table.item(0, 0).text().startswith("2025-03-01")
    for key in ("on_target_pct", "freq_cv_pct", "amplitude_cv_pct", "peak_mean_n", "ttp_mean_ms"):
        want = []
        for name in ("ana-w1", "ana-w2"):
            ev = [json.loads(x) for x in (root / name / "events.jsonl").read_text().splitlines()]
            want.append(session_stats(ev, "III", GradingScheme(40.0, 120.0))[key])
        assert pv.series[key] == pytest.approx(want)
    assert pv.series["peak_sd_n"][1] is not None                      # two thrusts in week 2


def test_progress_plots_label_every_session_with_its_date(win, qtbot):
    from PySide6.QtGui import QImage, QPainter

    win.table.selectRow(_row_of(win, "ana-w1"))
    qtbot.mouseClick(win.progress_btn, Qt.MouseButton.LeftButton)
    pv = win.progress_view
    dates = ["2025-03-01", "2025-03-08"]
    img = QImage(10, 10, QImage.Format.Format_ARGB32)
    for k in range(4):
        axis = pv.glw.getItem(k // 2, k % 2).getAxis("bottom")
        painter = QPainter(img)
        try:
            drawn = [text for _, _, text in axis.generateDrawSpecs(painter)[2]]   # the labels it draws
        finally:
            painter.end()
        assert drawn == dates
    assert [pv.table.item(i, 0).text() for i in range(2)] == ["2025-03-01 10:00", "2025-03-08 10:00"]


def test_truncated_session_opens_with_a_warning(win, qtbot, root):
    tear(root / "ana-w2")
    view = win.open_session(root / "ana-w2") and win.session_view
    assert view.warning.isVisible() and "unfinished (still recording, or cut off)" in view.warning.text()
    assert "last line cut off" in view.warning.text()
    t, _ = view.curve.getData()
    full = np.loadtxt(root / "ana-w1" / "force.csv", delimiter=",", skiprows=1)   # other, intact
    assert len(t) > 100 and view.rs.source == "analysis" and len(view.rs.of_type("cycle")) >= 3
    assert len(full) > 0


def test_the_timeline_runs_to_the_end_of_the_sound_when_the_force_data_was_cut_short(win, qtbot, tmp_path):
    """A crash tore force.csv at 60 % but the audio goes on: the pops heard after the force
    data ends can be reached, and the slider runs to the sound's end, which the details give
    beside the force's length."""
    folder = tear(make_session(tmp_path / "crash", kinds=("III", "V"), seed=4, audio=True))
    view = win.open_session(folder) and win.session_view
    force_end = float(view.rs.inp.force.t_s[-1])
    late = [p["t"] for p in view.rs.of_type("cavitation") if p["t"] > force_end + 1.0]
    assert late                                         # the thrust's pops, after the tear
    info = sf.info(str(folder / "audio.wav"))
    view.slider.setValue(10000)
    assert view.playhead.pos_s == pytest.approx(info.frames / info.samplerate)
    # (the force's length, the sound's, which the slider runs to, beside it)
    assert view.details_dict()["length"].endswith(f"(audio {view.playhead.pos_s:.1f} s)")
    view.seek(late[-1])
    assert view.playhead.pos_s == pytest.approx(late[-1]) and view.heads[1].value() == pytest.approx(late[-1])
    x0, x1 = view.detail.viewRange()[0]
    assert x0 < late[-1] < x1


def test_screenshot(win, qtbot, tmp_path):
    view = _open(win, qtbot, "ana-w1")
    qtbot.waitUntil(lambda: view._audio_env is not None, timeout=5000)   # the sound's envelope drawn too
    path = tmp_path / "review.png"                    # (another test run may share test-artifacts)
    assert win.grab().save(str(path))
    assert path.stat().st_size > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(path, ARTIFACTS / "review.png")      # to look at


def test_the_side_panel_shows_the_calibration_and_every_event_column_without_scrolling(win, qtbot):
    view = _open(win, qtbot, "ana-w1")
    text = view.details_dict()["calibration"]
    fm = view.details.fontMetrics()
    assert fm.horizontalAdvance(text) + 8 <= view.details.columnWidth(1)          # on one line
    table = view.events_table
    assert sum(table.columnWidth(c) for c in range(table.columnCount())) <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()


def test_playback_follows_where_the_audio_sits_on_the_timeline(tmp_path):
    """Audio that starts 0.5 s into the recording, from a card 1000 ppm fast: what plays at
    recording time 10 s is the file's sample at (10 - 0.5) x its measured rate."""
    from ui.review.player import AudioOut, Playhead

    sr = 8000
    x = np.arange(20 * sr, dtype=np.float32) / (20 * sr)          # a ramp: each sample says where it is
    p = tmp_path / "a.wav"
    sf.write(str(p), x, sr, subtype="FLOAT")
    head = Playhead(30.0, clock=lambda: 0.0)
    head.seek(10.0)
    out = AudioOut(p, head, start_s=0.5, timeline_rate_hz=sr * 1.001)
    out.prefetch()
    got = out.render(4)
    k = round((10.0 - 0.5) * sr * 1.001)
    np.testing.assert_array_equal(got, x[k:k + 4])


def test_an_index_that_breaks_while_the_window_is_open_is_one_line_in_the_library_panel(win, root):
    """Another program damages the index after the window opened it: saving an analysis says
    the library was not updated, instead of an error dialog with a traceback."""
    import sqlite3
    (root / "gradecoach-library.sqlite").write_bytes(b"garbage, not a database" * 100)
    for suffix in ("-wal", "-shm", "-journal"):
        (root / f"gradecoach-library.sqlite{suffix}").unlink(missing_ok=True)
    try:
        win._analysis_saved(root / "ana-w1")
    except sqlite3.DatabaseError as e:                 # what it was before
        pytest.fail(f"raised {e!r}")
    assert win.lib_status.text().startswith("library not updated: ") and "rebuild" in win.lib_status.text()
