"""The report's "thrusts aligned at onset" figure shows each thrust's pops, stars on its curve at
their moments: when the pops came against the force (before the peak, at it, after it), which
the thrusts table gives for the first pop only. A recording without sound has none, and its
key says nothing of pops."""

from __future__ import annotations

import base64
import os

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from firmware_bridge.replay import load_input  # noqa: E402
from firmware_bridge.session import SessionMeta, SessionWriter  # noqa: E402
from ui import report  # noqa: E402
from ui.report import figures  # noqa: E402

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FIX = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "thrust_pops.csv")
ARTIFACTS = os.path.join(os.path.dirname(__file__), os.pardir, "test-artifacts")


def session(folder, with_sound: bool):
    """The thrust fixture (6 thrusts: 4, 1, 2, 0, 2 and 4 pops) as a session folder, with its
    sound or without."""
    import soundfile as sf
    inp = load_input(FIX)
    w = SessionWriter(folder, SessionMeta(trainee="ana", target="V", r1_n=40.0, r2_n=120.0))
    w.append_force(inp.force.t_s, inp.force.values)
    if with_sound:
        x, rate = sf.read(FIX.replace(".csv", ".flac"), dtype="float32")
        w.append_audio(np.arange(len(x)) / rate, x, rate)
    w.close(inp.force.rate_hz)
    return folder


def drawn(monkeypatch, item) -> dict:
    """What the thrust figure drew: its key, and the stars (x in ms from onset, y in N)."""
    seen = {}
    export = figures._png

    def watch(plot_item, width=1000):
        seen["key"] = [label.text for _, label in plot_item.legend.items]
        stars = [d for d in plot_item.listDataItems() if d.opts.get("symbol") == "star"]
        seen["stars"] = [tuple(zip(*d.getData())) for d in stars]
        seen["png"] = export(plot_item, width)
        return seen["png"]

    monkeypatch.setattr(figures, "_png", watch)
    report.thrust_figure(item)
    return seen


def test_each_thrusts_pops_are_stars_on_its_curve_at_their_moments(tmp_path, monkeypatch):
    item = report.load_item(session(tmp_path / "s", True))
    thrusts = {e["index"]: e for e in item.events if e.get("type") == "thrust"}
    pops = [e for e in item.events if e.get("type") == "cavitation"]
    assert len(thrusts) == 6 and len(pops) == 13
    seen = drawn(monkeypatch, item)
    assert seen["key"][-1] == "pop" and seen["key"].count("pop") == 1      # (once in the key)
    [stars] = seen["stars"]
    want = sorted(1000.0 * (p["t"] - thrusts[p["thrust"]]["t_onset"]) for p in pops)
    assert sorted(x for x, _ in stars) == pytest.approx(want, abs=1e-6)
    # on the curve: each star's force is the force at its pop's moment
    f = item.inp.force
    for p in pops:
        x = 1000.0 * (p["t"] - thrusts[p["thrust"]]["t_onset"])
        [(_, y)] = [s for s in stars if s[0] == pytest.approx(x, abs=1e-6)]
        assert y == pytest.approx(float(np.interp(p["t"], f.t_s, item.force_drawn())), abs=1e-6)
        assert -500.0 <= x <= 500.0                             # (inside the figure's second)
    os.makedirs(ARTIFACTS, exist_ok=True)
    with open(os.path.join(ARTIFACTS, "report_thrust_pops.png"), "wb") as fh:
        fh.write(base64.b64decode(seen["png"]))


def test_a_recording_without_sound_has_no_pops_in_the_figure(tmp_path, monkeypatch):
    item = report.load_item(session(tmp_path / "s", False))
    seen = drawn(monkeypatch, item)
    assert seen["stars"] == [] and "pop" not in seen["key"]
