"""A recording an error ends part way is kept as cut, not as finished: session.json says
complete false and where and why it stopped (extra.stopped), as for a full disk; it said
complete true, and replay, review and report took the stump for the whole recording."""

from __future__ import annotations

import json

import numpy as np
import pytest

import firmware_bridge.recorder
from ui import cli


def test_an_error_while_recording_leaves_the_session_marked_cut(tmp_path, monkeypatch):
    def failing_record(src, w, *a, **k):
        t = np.arange(0, 2.0, 0.01)
        w.append_force(t, np.full_like(t, 5.0))
        w.flush()
        raise ValueError("the analysis could not take this chunk")

    monkeypatch.setattr(firmware_bridge.recorder, "record", failing_record)
    out = tmp_path / "s"
    with pytest.raises(ValueError):
        cli.main(["record", "--device", "emulator:grade3", "--out", str(out), "--duration", "1", "--quiet"])
    meta = json.loads((out / "session.json").read_text())
    assert meta["complete"] is False
    assert meta["extra"]["stopped"]["reason"] == "an error (the analysis could not take this chunk)"
    assert meta["extra"]["stopped"]["t_s"] == pytest.approx(1.99)
    assert len((out / "force.csv").read_text().splitlines()) == 201      # what was written is kept
