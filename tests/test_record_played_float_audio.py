"""A recording of a played session whose sound is a float file beyond full scale (a DC offset of
+3.0, which replay hears as sound; an export not normalised, peaking at 4) keeps that sound: it is
written to audio.flac with the offset taken off or scaled down, as far as needed, and said so. It
was written clipped, a constant 1.0: replay of the recording said "no usable sound: constant
throughout" though the analysis while recording heard all 13 pops."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analysis.scheme import GradingScheme
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import SessionMeta, SessionWriter, open_session, read_force_csv
from firmware_bridge.sources import FileSource, Pacer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


class _Clock:
    """A clock each sleep moves on by 50 ms at least: playback without waiting."""

    t = 0.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += max(s, 0.05)


def _pops(events) -> list[float]:
    return [round(e["t"] if isinstance(e, dict) else e.t, 3) for e in events
            if (e["type"] if isinstance(e, dict) else e.TYPE) == "cavitation"]


def _played(tmp_path: Path, sound) -> Path:
    """thrust_pops (pops per thrust 4, 1, 2, 0, 2, 4) with its sound made ``sound(x)``, a float WAV."""
    sd = read_force_csv(FIXTURES / "thrust_pops.csv")
    x, sr = sf.read(str(FIXTURES / "thrust_pops.flac"), dtype="float32")
    folder = tmp_path / "played"
    w = SessionWriter(folder, SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    w.append_force(sd.t_s, sd.values)
    w.close(sd.rate_hz)
    sf.write(str(folder / "audio.wav"), sound(x), sr, subtype="FLOAT")
    m = json.loads((folder / "session.json").read_text())
    m["streams"]["audio"] = {"file": "audio.wav", "rate_hz": sr, "t0_s": 0.0}
    (folder / "session.json").write_text(json.dumps(m))
    return folder


def _record(played: Path, out: Path) -> list[str]:
    clock = _Clock()
    src = FileSource(str(played), pacer=Pacer(1.0, clock, clock.sleep))
    src.open()
    scheme = GradingScheme(r1_n=40.0, r2_n=120.0)
    w = SessionWriter(out, new_meta(src, scheme), new=True)
    said: list[str] = []
    try:
        record(src, w, scheme, notice=said.append, clock=clock)
    finally:
        src.close()
        w.close(1000.0)
    return said


# what was done to it: the offset taken off is midway between its lowest and highest sample (the
# pops reach further up than down), so that it fits without being scaled
@pytest.mark.parametrize("sound, done", [(lambda x: 3.0 + x, "an offset of 3.08 taken off"),
                                         (lambda x: x - 5.0, "an offset of -4.92 taken off"),
                                         (lambda x: 4.0 * x / np.abs(x).max(), "scaled by 0.25")])
def test_sound_beyond_full_scale_is_recorded_with_its_pops(tmp_path, sound, done):
    played = _played(tmp_path, sound)
    x, _ = sf.read(str(played / "audio.wav"))
    assert done.startswith("scaled") or f"{(x.min() + x.max()) / 2:.3g}" in done
    assert len(_pops(analyze_input(load_input(played)))) == 13
    said = _record(played, tmp_path / "again")
    live = _pops(open_session(tmp_path / "again").events)             # what the analysis heard, recording
    assert len(live) == 13
    inp = load_input(tmp_path / "again")
    assert _pops(analyze_input(inp)) == live                          # (none: "constant throughout")
    assert not [w for w in inp.warnings if "usable sound" in w]
    assert said == [f"file:{played}: its sound goes beyond full scale (a float file's samples), which audio.flac "
                    f"cannot hold: written with {done} from 0.00 s (session.json: streams.audio.fitted)"]
    fitted = json.loads((tmp_path / "again" / "session.json").read_text())["streams"]["audio"]["fitted"]
    assert fitted["count"] == 1 and fitted["changes"][0]["t_s"] == 0.0
    kept, _ = sf.read(str(tmp_path / "again" / "audio.flac"))
    assert np.abs(kept).max() <= 1.0 and np.ptp(kept) > 0.1


def test_sound_within_full_scale_is_recorded_as_it_came(tmp_path):
    played = _played(tmp_path, lambda x: 0.9 * x / np.abs(x).max())
    assert _record(played, tmp_path / "again") == []
    meta = json.loads((tmp_path / "again" / "session.json").read_text())
    assert "fitted" not in meta["streams"]["audio"]
    kept, _ = sf.read(str(tmp_path / "again" / "audio.flac"), dtype="float32")
    sound, _ = sf.read(str(played / "audio.wav"), dtype="float32")
    np.testing.assert_allclose(kept, sound[:len(kept)], atol=2 ** -23)


def test_a_writer_told_nothing_beforehand_fits_the_sound_as_it_comes(tmp_path):
    """As the trainer records a played file: the offset is taken off from the first chunk beyond
    full scale (here the first), once."""
    played = _played(tmp_path, lambda x: 3.0 + x)
    heard = _pops(analyze_input(load_input(played)))
    clock = _Clock()
    src = FileSource(str(played), pacer=Pacer(1.0, clock, clock.sleep))
    src.open()
    w = SessionWriter(tmp_path / "again", SessionMeta(trainee="anna", r1_n=40.0, r2_n=120.0))
    while not src.exhausted:
        for c in src.read(0.1):
            if c.stream == "force":
                w.append_force(c.t_s, c.values)
            elif c.stream == "audio":
                w.append_audio(c.t_s, c.values, c.rate_hz)
    src.close()
    assert w.sound_fitted.startswith("its sound goes beyond full scale (a float file's samples), which audio.flac "
                                     "cannot hold: written with an offset of 3 taken off from 0.00 s")
    w.close(1000.0)
    assert _pops(analyze_input(load_input(tmp_path / "again"))) == heard
