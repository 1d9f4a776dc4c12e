"""The stretches of sound that hides pops (a voice, music) are kept in the stored summary
(``loud_s``), and the review tints them on its sound plot: a thrust there says "no pop heard
(loud sound)", and the instructor sees where the talk was and how long it lasted."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.audio_sim import _speech
from firmware_bridge.replay import analyze_input, load_input
from ui.review.trace import LOUD_TIP, loud_spans_of

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def talk_over(folder: Path, t0: float, t1: float, over_db: float = 15.0) -> None:
    """Put a simulated voice from ``t0`` to ``t1`` (s) into the session's sound, ``over_db`` over
    its noise, and analyse the session again (its events and summary)."""
    x, sr = sf.read(str(folder / "audio.wav"), dtype="float64")
    rng = np.random.default_rng(7)
    i0, i1 = int(t0 * sr), int(t1 * sr)
    v = _speech(rng, float(sr), (i1 - i0) / sr)[:i1 - i0]
    noise = np.sqrt(np.mean(x[:int(0.5 * sr)] ** 2))
    x[i0:i0 + len(v)] += v / np.sqrt(np.mean(v ** 2)) * noise * 10 ** (over_db / 20)
    sf.write(str(folder / "audio.wav"), x.astype(np.float32), sr, subtype="PCM_16")
    evs = analyze_input(load_input(folder), GradingScheme(40.0, 120.0).with_target("V"))
    (folder / "events.jsonl").write_text("".join(json.dumps(e.to_dict()) + "\n" for e in evs), encoding="utf-8")


def test_the_review_tints_the_talk_that_hid_a_thrusts_pops(qtbot, tmp_path):
    root = tmp_path / "class"
    folder = make_session(root / "ana", kinds=("V",), target="V", audio=True)
    summary = json.loads((folder / "events.jsonl").read_text().splitlines()[-1])
    assert summary["type"] == "summary" and summary["loud_s"] == []       # (a quiet room: none)
    [thrust] = summary["thrusts"]
    peak = thrust["t_peak"]
    talk_over(folder, peak - 1.0, peak + 0.5)
    summary = json.loads((folder / "events.jsonl").read_text().splitlines()[-1])
    spans = loud_spans_of(summary)
    [(a, b)] = spans
    assert peak - 1.05 <= a <= peak - 0.5 and peak <= b <= peak + 0.9
    assert summary["thrusts"][0]["pops_masked"]
    # (the pop heard at 1 s, none near the thrust: the talk hid its pops, the sound is not placed
    # wrong, as the warning "none near a thrust: is the audio aligned with the force?" said)
    assert summary["n_cavitations"] == 1 and not [w for w in summary["warnings"] if "near a thrust" in w]

    win = shown_review(qtbot, root)
    win.open_session(folder)
    view = win.session_view
    qtbot.waitUntil(lambda: view._audio_job is None, timeout=10000)
    x, _ = view.loud_item.getData()
    assert list(x) == pytest.approx([a, b]) and view.loud_item in view.audio_plot.getPlotItem().items
    assert view.audio_plot.toolTip() == LOUD_TIP and view.loud_label.isVisible()
    view.detail.setXRange(max(0.0, peak - 3.0), peak + 3.0, padding=0)
    qtbot.wait(50)
    ARTIFACTS.mkdir(exist_ok=True)
    win.grab().save(str(ARTIFACTS / "review_loud_sound.png"))
    win.close()


def test_an_hour_of_talk_is_tinted_by_one_item(qtbot, tmp_path):
    """An hour of talk keeps about 900 stretches; a region item each took 1.5 s to open the
    session and a quarter of a second a pan (measured), where one item for all of them takes
    what none does."""
    root = tmp_path / "class"
    folder = make_session(root / "ana", kinds=("V",), target="V", audio=True)
    lines = (folder / "events.jsonl").read_text().splitlines()
    summary = json.loads(lines[-1])
    summary["loud_s"] = [[0.007 * i, 0.007 * i + 0.004] for i in range(900)]
    (folder / "events.jsonl").write_text("\n".join(lines[:-1] + [json.dumps(summary)]) + "\n", encoding="utf-8")
    win = shown_review(qtbot, root)
    win.open_session(folder)
    view = win.session_view
    x, _ = view.loud_item.getData()
    assert len(x) == 1800 and x[0] == 0.0 and x[-1] == pytest.approx(0.007 * 899 + 0.004)
    assert sum(isinstance(i, type(view.loud_item)) for i in view.audio_plot.getPlotItem().items) == 1
    win.open_session(folder)                             # (opened again: the old tint goes)
    assert view.loud_item in view.audio_plot.getPlotItem().items
    assert sum(isinstance(i, type(view.loud_item)) for i in view.audio_plot.getPlotItem().items) == 1
    win.close()


def test_a_summary_without_loud_stretches_or_with_bad_ones_tints_nothing():
    """Summaries written before they were kept, and values no recording writes (overlapping
    ones are joined, so the tint's steps run in order)."""
    assert loud_spans_of({"type": "summary"}) == []
    assert loud_spans_of({"loud_s": "12-13"}) == []
    assert loud_spans_of({"loud_s": [[8.0, 9.5], [1.0, 2.0], [3.0], [5.0, 4.0], ["a", 6.0], [7.0, float("nan")],
                                      [1.5, 2.5]]}) == [(1.0, 2.5), (8.0, 9.5)]
    assert loud_spans_of(None) == []


def test_thrusts_heard_only_in_loud_sound_do_not_say_the_sound_is_placed_wrong():
    from analysis.events import SummaryEvent
    from analysis.summary import unaligned_note

    def note(*thrusts):
        return unaligned_note(SummaryEvent(n_cycles=0, n_thrusts=len(thrusts), n_cavitations=1, duration_s=20.0,
                                           thrusts=[{"pops": p, "pops_masked": m} for p, m in thrusts]))

    assert note((0, True)) is None and note((0, True), (0, True)) is None
    assert "is the audio aligned with the force?" in note((0, False))
    assert "is the audio aligned with the force?" in note((0, True), (0, False))
    assert note((0, False), (1, True)) is None
