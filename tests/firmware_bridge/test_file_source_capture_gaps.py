"""``--device file:`` counts the samples a recording lost in each gap it marks as ``replay`` and
``screenshot --replay`` count them: from the samples either side of the hole. A BLE capture
marks a gap by the samples either side of it (so does a session recorded from one), a session
recorded from a numbering device by its first and last lost sample; the source took every
gap for the latter and counted a capture missing three notifications 2 samples too many
(17 and 32 where replay says 15 and 30), in its notices, its dropped count and its numbering."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.ble_record import FIXTURES, read_stream, write_stream
from firmware_bridge.recorder import first_chunks, new_meta, record
from firmware_bridge.replay import load_input
from firmware_bridge.session import SessionWriter, open_session
from firmware_bridge.sources import FileSource
from tests.conftest import ROOT
from tests.firmware_bridge._gapped_session import recorded_session

FIX = ROOT / "fixtures" / "ble"
SPEED = 40.0


def _lossy_capture(tmp_path, name: str):
    """The capture ``name`` with three notifications (40 to 42) missing."""
    meta, records = read_stream(FIX / f"{name}.jsonl")
    path = tmp_path / f"{name}-lossy.jsonl"
    write_stream(path, meta, [r for i, r in enumerate(records) if i not in range(40, 43)])
    return path


def _played(path):
    """Play ``path`` to its end: the samples its gap notices told lost, its dropped count, and the
    jumps of the force's numbering."""
    src = FileSource(str(path), speed=SPEED)
    src.open()
    told, seq = [], []
    try:
        while not src.exhausted:
            for c in src.read(0.1):
                if c.stream == "force":
                    seq.extend(range(c.seq0, c.seq0 + len(c)))
            told += [n.samples for n in src.notices() if n.kind == "gap"]
    finally:
        src.close()
    steps = np.diff(seq)
    return told, src.stats.dropped, [int(s) - 1 for s in steps[steps != 1]]


def _replay_says(path) -> str:
    return " ".join(w for w in load_input(path).warnings if "lost" in w)


@pytest.mark.parametrize("name", ["progressor_grade4", "gradecoach_grade3"])
def test_a_capture_missing_notifications_counts_the_samples_replay_says_lost(tmp_path, name):
    path = _lossy_capture(tmp_path, name)
    k = 3 * FIXTURES[name]["per_notification"]                 # 15 and 30
    assert f"{k} samples lost in 1 gap" in _replay_says(path)
    assert _played(path) == ([k], k, [k])


@pytest.mark.parametrize("name", ["progressor_grade4", "gradecoach_grade3"])
def test_a_session_recorded_from_such_a_capture_counts_them_again(tmp_path, name):
    k = 3 * FIXTURES[name]["per_notification"]
    src = FileSource(str(_lossy_capture(tmp_path, name)), speed=SPEED)
    src.open()
    w = SessionWriter(tmp_path / "s", new_meta(src, GradingScheme(40, 120)))
    try:
        res = record(src, w, GradingScheme(40, 120), pending=first_chunks(src))
    finally:
        src.close()
        w.close()
    assert res.dropped == k
    # (stored as the capture marks it: by the samples either side of the hole)
    assert [g["reason"] for g in open_session(tmp_path / "s").meta.gaps] == ["dropped samples"]
    assert _played(tmp_path / "s") == ([k], k, [k])


def test_a_session_whose_gaps_span_the_lost_samples_still_counts_them(tmp_path):
    folder = recorded_session(tmp_path / "s")      # 3 gaps from the first to the last of 10 lost samples
    told, dropped, _ = _played(folder)
    assert (told, dropped) == ([10, 10, 10], 30)
