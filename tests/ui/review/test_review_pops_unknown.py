"""A session whose sound was recorded but heard nothing (a muted or dead microphone: every sample
0) or cannot be analysed for pops (audio under 16 kHz) has unknown pops, as replay's table gives
them ("–"): the review's session details said "pops: none heard" under the warning that they are
"unknown, not none"."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from ui.review.data import describe_session, open_review

from .conftest import make_session, shown_review

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def muted(folder):
    """``folder``'s sound replaced by silence of the same length and rate (a muted microphone)."""
    x, sr = sf.read(str(folder / "audio.wav"))
    sf.write(str(folder / "audio.wav"), np.zeros_like(x), sr, subtype="PCM_16")
    return folder


def low_rate(folder, sr=8000):
    """``folder``'s sound resampled to ``sr`` (under the 16 kHz pops are detected in)."""
    x, old = sf.read(str(folder / "audio.wav"))
    sf.write(str(folder / "audio.wav"), x[::old // sr], sr, subtype="PCM_16")
    mp = folder / "session.json"
    meta = json.loads(mp.read_text())
    meta["streams"]["audio"]["rate_hz"] = sr
    mp.write_text(json.dumps(meta))
    return folder


def sessions(root):
    """A session with a thrust and its pops heard, the same muted, and the same at 8 kHz."""
    kw = dict(kinds=("III", "V"), target="V", audio=True, events=False)
    heard = make_session(root / "heard", trainee="heard", **kw)
    mute = muted(make_session(root / "mute", trainee="mute", **kw))
    lofi = low_rate(make_session(root / "lofi", trainee="lofi", **kw))
    return heard, mute, lofi


def _pops_row(view) -> str:
    t = view.details
    return next(t.item(r, 1).text() for r in range(t.rowCount()) if t.item(r, 0).text() == "pops")


def test_details_of_a_muted_or_low_rate_session_say_its_pops_are_unknown(qtbot, tmp_path):
    heard, mute, lofi = sessions(tmp_path / "root")
    rs = open_review(heard)
    assert rs.of_type("thrust") and rs.of_type("cavitation")
    assert dict(describe_session(rs))["pops"].endswith("with a thrust)")        # heard: counted as before

    rs = open_review(mute)
    assert rs.of_type("thrust") and any("unknown, not none" in w for w in rs.shown_warnings)
    assert all(t["pops"] is None for t in rs.summary["thrusts"])               # replay's "–"
    assert dict(describe_session(rs))["pops"] == "unknown: no usable sound"

    rs = open_review(lofi)
    assert rs.of_type("thrust") and any("its pops are not analysed" in w for w in rs.shown_warnings)
    assert dict(describe_session(rs))["pops"] == "unknown: recorded, cannot be analysed"

    win = shown_review(qtbot, tmp_path / "root")                              # as the window shows them
    view = win.session_view
    win.open_session(mute)
    assert _pops_row(view) == "unknown: no usable sound"
    assert "unknown, not none" in view.warning.text()                       # the warning just above
    win.open_session(lofi)
    assert _pops_row(view) == "unknown: recorded, cannot be analysed"
    win.open_session(heard)
    assert "with a thrust" in _pops_row(view)


def test_a_session_partly_muted_says_at_how_many_thrusts_its_pops_are_unknown(tmp_path):
    """Sound muted over the second thrust alone: its pops are unknown, the first's none heard."""
    folder = make_session(tmp_path / "part", kinds=("V", "V"), target="V", audio=True, events=False)
    rs = open_review(folder)
    thrusts = rs.summary["thrusts"]
    assert len(thrusts) == 2
    x, sr = sf.read(str(folder / "audio.wav"))
    cut = int(sr * (thrusts[0]["t_peak"] + thrusts[1]["t_peak"]) / 2)
    x[cut:] = 0
    x[:cut] = 0.01 * np.random.default_rng(1).standard_normal(cut)     # noise, no pop
    sf.write(str(folder / "audio.wav"), x, sr, subtype="PCM_16")
    rs = open_review(folder)
    assert [t["pops"] for t in rs.summary["thrusts"]] == [0, None]
    assert dict(describe_session(rs))["pops"] == "none heard; unknown at 1 of 2 thrusts"


def test_a_selected_thrusts_details_give_its_pops_as_the_trainer_did(qtbot, tmp_path):
    """Selecting a thrust shows its pops beside its preload, peak and let-up: counted and timed
    from the peak where the sound was heard, "–" where it was muted or cannot be analysed."""
    heard, mute, lofi = sessions(tmp_path / "root")
    win = shown_review(qtbot, tmp_path / "root")
    view = win.session_view
    got = {}
    for folder in (heard, mute, lofi):
        win.open_session(folder)
        thrust = view.rs.of_type("thrust")[0]
        view.select_event(thrust)
        got[folder.name] = _pops_row(view)
    row = open_review(heard).summary["thrusts"][0]
    n, ms = row["pops"], round(row["first_pop_ms_from_peak"])
    assert n >= 1
    when = "at peak force" if ms == 0 else f"{abs(ms)} ms {'before' if ms < 0 else 'after'} peak force"
    assert got["heard"] == (f"1 pop, {when}" if n == 1 else f"{n} pops, first {when}")
    assert got["mute"] == got["lofi"] == "–"
