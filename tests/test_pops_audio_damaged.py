"""A sound file damaged part way (bytes overwritten in the middle of a FLAC) lost all the sound
after the damage: the pops of the later thrusts were unknown. The damaged stretch is skipped and
the sound after it read on, in one line saying how much could not be read and where."""

from __future__ import annotations

import json
import re

import numpy as np

from tests._cli_in_process import gc_in_process
from tests._pops_audio import PEAKS_S, force_csv, pops_flac

CAL = ("--r1", 40, "--r2", 120)


def _damaged(tmp_path, at_share: float = 0.5, size: int = 3000):
    """20.5 s of force with four thrusts and its sound, a pop 2 ms after each peak; ``size`` bytes
    of the FLAC overwritten ``at_share`` of the way into it (about 10 s: between thrusts 2 and 3)."""
    csv = force_csv(tmp_path / "x.csv", 20.5)
    flac = pops_flac(tmp_path / "x.flac", [p + 0.002 for p in PEAKS_S[:4]], 20.5)
    raw = bytearray(flac.read_bytes())
    at = int(at_share * len(raw))
    raw[at:at + size] = np.random.default_rng(1).integers(0, 256, size, dtype=np.uint8).tobytes()
    flac.write_bytes(bytes(raw))
    return csv, flac


def test_sound_after_damage_in_the_middle_is_read_on(tmp_path, capsys):
    csv, flac = _damaged(tmp_path)
    r = gc_in_process(capsys, "replay", csv, "--audio", flac, *CAL, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert [t["pops"] for t in s["thrusts"]] == [1, 1, 1, 1], s["thrusts"]
    said = [ln for ln in r.stderr.splitlines() if "unreadable" in ln]
    assert len(said) == 1, r.stderr
    m = re.fullmatch(rf"gradecoach: warning: {re.escape(str(flac))}: (\d+\.\d\d) s of audio unreadable at "
                     r"(\d+\.\d\d)–(\d+\.\d\d) s \(.+\), skipped; the sound after it is analysed", said[0])
    assert m, said[0]
    lost, a, b = map(float, m.groups())
    assert 0 < lost < 1.0 and 8.0 < a < b < 12.0 and abs((b - a) - lost) < 0.011, said[0]
    assert s["spans_s"]["audio"][1] > 20.0
