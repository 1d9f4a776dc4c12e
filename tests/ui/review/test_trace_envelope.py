"""The overview's min/max envelope of a force recording: it spans the whole recording, and every
point it draws is a sample at its own time. It folded up to a third of a recording into one
last bin drawn at that bin's start, so a 16.8 s session ended at 12 s in the overview."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge.session import SessionMeta, SessionWriter
from ui.review.trace import minmax_envelope
from ui.review.window import ReviewWindow

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _check(t: np.ndarray, y: np.ndarray, n_bins: int) -> None:
    x, v = minmax_envelope(t, y, n_bins)
    assert x[0] == t[0] and x[-1] == t[-1]                    # the whole time span
    assert np.all(np.diff(x) >= 0)
    k = np.searchsorted(t, x)
    assert np.array_equal(t[k], x) and np.array_equal(y[k], v)   # each point a sample, at its time
    # every sample is within what is drawn near it (two bins either side): no extreme lost
    w = 2.0 * (t[-1] - t[0]) / n_bins + 1e-9
    lo_i, hi_i = np.searchsorted(x, t - w, "left"), np.searchsorted(x, t + w, "right")
    for i in range(len(t)):
        near = v[lo_i[i]:hi_i[i]]
        assert near.min() <= y[i] <= near.max()


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 6000), n_bins=st.integers(1, 400), spike=st.floats(0.0, 1.0), seed=st.integers(0, 99))
def test_an_envelope_spans_the_recording_and_keeps_every_extreme_at_its_time(n, n_bins, spike, seed):
    rate = 500.0
    t = np.arange(n) / rate + 3.0
    y = 30.0 + 10.0 * np.random.default_rng(seed).standard_normal(n)
    i = min(n - 1, int(spike * n))
    y[i] = 500.0
    _check(t, y, n_bins)
    x, v = minmax_envelope(t, y, n_bins)
    assert x[np.argmax(v)] == t[i]                             # the spike drawn at its time


@pytest.mark.parametrize("n", [5547, 5999, 6001, 8399])
def test_a_spike_in_the_last_samples_is_drawn_at_its_time(n):
    """The report's 2000 bins over an 11.1 s recording at 500 Hz (5547 samples): the plot ended
    at 8.0 s, where the last 1547 samples were drawn as one vertical line."""
    t = np.arange(n) / 500.0
    y = 20.0 + 10.0 * np.sin(2 * np.pi * t)
    y[n - 30] = 300.0
    x, v = minmax_envelope(t, y, 2000)
    assert x[-1] == t[-1]
    assert x[np.argmax(v)] == t[n - 30]
    _check(t, y, 2000)


def test_the_review_overview_draws_a_session_to_its_end(qtbot, tmp_path):
    """A 16.8 s session at 500 Hz with a thrust at 16 s: the overview ran to 12 s and drew the
    thrust as a vertical line there, its peak marker alone at its own time."""
    rate = 500.0
    t = np.arange(0.0, 16.8, 1 / rate)
    y = 20.0 + 5.0 * np.sin(2 * np.pi * 1.0 * t)
    y[(t > 15.9) & (t < 16.1)] = 150.0
    meta = SessionMeta(created="2025-03-01T10:00:00", trainee="ana", technique="PA L4", target=None,
                       r1_n=40.0, r2_n=120.0)
    folder = tmp_path / "s"
    w = SessionWriter(folder, meta, flush_s=1e9)
    w.append_force(t, y)
    w.close(rate)
    win = ReviewWindow(tmp_path)
    qtbot.addWidget(win)
    win.show()
    win.open_session(folder)
    x, v = win.session_view.over_curve.getData()
    assert x[-1] == pytest.approx(t[-1])
    top = x[v == 150.0]
    assert top.min() == pytest.approx(15.902, abs=0.002) and top.max() == pytest.approx(16.098, abs=0.002)
