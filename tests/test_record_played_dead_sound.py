"""``gradecoach record --device file:SESSION`` of a session whose sound is silent around one
thrust's peak, or clipped: replay of the recorded folder said "no usable sound at …" (or
"clipping …") and left that thrust's pops unknown, but record said no warning and stored the
thrust's pops as counted ("no pop"), so the report and the review, reading the stored summary,
said "no pop". Now record's stored summary, and the warnings it says at its end, are replay's of
the same folder.

A short simulated thrust session with sound (``simulate --thrust --sets 2 --audio 16000``),
played 400 times faster than real time."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf

import ui.cmd_record
from firmware_bridge.sources import FileSource
from tests._cli_in_process import gc_in_process

WARNING = "gradecoach: warning: "


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """The simulated force (two thrusts, peaking near 3.8 s and 8.25 s) and its sound."""
    from ui.cli import main

    folder = tmp_path_factory.mktemp("sim")
    assert main(["simulate", "--thrust", "--sets", "2", "--audio", "16000", "-o", str(folder / "th.csv")]) == 0
    x, sr = sf.read(str(folder / "th.flac"), dtype="float32")
    return folder / "th.csv", x, sr


def _session(tmp_path, simulated, sound) -> str:
    csv, x, sr = simulated
    folder = tmp_path / "played"
    folder.mkdir()
    shutil.copy(csv, folder / "force.csv")
    sf.write(str(folder / "audio.wav"), sound(x.copy(), sr), sr)
    return str(folder)


def _recorded_and_replayed(tmp_path, capfd, monkeypatch, played: str):
    monkeypatch.setattr(ui.cmd_record, "open_source", lambda spec: FileSource(spec[len("file:"):], speed=400.0))
    out = tmp_path / "again"
    rec = gc_in_process(capfd, "record", "--device", f"file:{played}", "--out", out, "--target", "V", "--quiet")
    assert rec.returncode == 0, rec.stderr
    stored = json.loads((out / "events.jsonl").read_text().splitlines()[-1])
    rep = gc_in_process(capfd, "replay", out)
    assert rep.returncode == 0, rep.stderr
    replayed = json.loads(rep.stdout.splitlines()[-1])
    assert stored["type"] == replayed["type"] == "summary"
    return out, rec, stored, rep, replayed


def _pops(summary: dict) -> list:
    return [(t["pops"], t["pops_partly_heard"]) for t in summary["thrusts"]]


def _warned(r) -> list[str]:
    return [ln for ln in r.stderr.splitlines() if ln.startswith(WARNING)]


def _silent_at_second_peak(x, sr):
    x[int(7.2 * sr):int(9.2 * sr)] = 0.0
    return x


def test_sound_silent_around_a_thrust_leaves_its_pops_unknown_as_replay_does(tmp_path, capfd, monkeypatch, simulated):
    out, rec, stored, rep, replayed = _recorded_and_replayed(
        tmp_path, capfd, monkeypatch, _session(tmp_path, simulated, _silent_at_second_peak))
    assert _pops(stored) == _pops(replayed)
    assert stored["thrusts"][1]["pops"] is None                     # (replay's "–", not "no pop")
    assert stored["thrusts"][0]["pops"]                             # (the first thrust's still heard)
    silent = [w for w in stored["warnings"] if "no usable sound at 7.2–9.2 s" in w]
    assert silent and silent == [w for w in replayed["warnings"] if "no usable sound" in w]
    assert _warned(rec) == _warned(rep) and any("no usable sound at 7.2–9.2 s" in w for w in _warned(rec))


def test_clipped_sound_is_said_and_stored_as_replay_says_it(tmp_path, capfd, monkeypatch, simulated):
    out, rec, stored, rep, replayed = _recorded_and_replayed(
        tmp_path, capfd, monkeypatch, _session(tmp_path, simulated, lambda x, sr: np.clip(30 * x, -1.0, 1.0)))
    assert _pops(stored) == _pops(replayed)
    assert any(w for w, partly in _pops(stored) if partly)          # (heard, some of it where it clipped)
    clipped = [w for w in stored["warnings"] if "clipping (" in w]
    assert clipped and clipped == [w for w in replayed["warnings"] if "clipping (" in w]
    assert _warned(rec) == _warned(rep) and any("clipping (" in w for w in _warned(rec))
    share = json.loads((out / "session.json").read_text())["streams"]["audio"]["clipped_share"]
    assert f"clipping ({100 * share:.2g} %" in clipped[0]


class _Clock:
    """A clock each sleep moves on by 50 ms at least: playback without waiting, a status line
    each second of the recording."""

    t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += max(s, 0.05)


def _status_of_second_thrust(tmp_path, played: str) -> list[str]:
    """The status lines while the second thrust (peak 8.25 s) is the last one, recording ``played``."""
    from analysis.scheme import GradingScheme
    from firmware_bridge.recorder import new_meta, record
    from firmware_bridge.session import SessionWriter
    from firmware_bridge.sources import Pacer

    clock = _Clock()
    src = FileSource(played, pacer=Pacer(1.0, clock, clock.sleep))
    src.open()
    scheme = GradingScheme(r1_n=40.0, r2_n=120.0)
    w = SessionWriter(tmp_path / "again", new_meta(src, scheme), new=True)
    lines: list[str] = []
    try:
        record(src, w, scheme, status=lines.append, notice=lambda s: None, clock=clock)
    finally:
        src.close()
        w.close(500.0)
    return [ln for ln in lines if float(ln.split()[0]) > 9.0]


@pytest.mark.parametrize("sound", [lambda x, sr: x[:6 * sr], _silent_at_second_peak],
                         ids=["sound ended before it", "silent around it"])
def test_status_line_says_no_sound_around_a_thrust_not_no_pop(tmp_path, simulated, sound):
    lines = _status_of_second_thrust(tmp_path, _session(tmp_path, simulated, sound))
    assert lines and all(ln.endswith("last grade V (no sound around its peak: pops not counted)") for ln in lines), lines


def test_status_line_still_says_the_pops_heard_around_a_thrust(tmp_path, simulated):
    lines = _status_of_second_thrust(tmp_path, _session(tmp_path, simulated, lambda x, sr: x))
    assert lines and all(ln.endswith("last grade V (2 pops, first 11 ms before peak force)") for ln in lines), lines
