"""Sound that covers only part of the force (a whole, valid file shorter than the force, or one
that begins after it) is said in a warning naming the file, both spans and how many thrusts it
leaves with unknown pops: replay gave no warning at all, only "(audio 10.0 s)" in its first line
and null pops, so a CI job checking the warnings missed that two-thirds of a session had no
sound. Sound covering the whole force says nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import soundfile as sf

from tests._cli_in_process import gc_in_process

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def _summary(capfd, tmp_path, a_s: float, b_s: float, start_s: float = 0.0) -> tuple[dict, str]:
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float32")
    wav = tmp_path / "part.wav"
    sf.write(str(wav), x[int(a_s * sr):int(b_s * sr)], sr)
    r = gc_in_process(capfd, "replay", FIX / "thrust_pops.csv", "--audio", wav, "--audio-start", start_s,
                      "--r1", "40", "--r2", "120", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.splitlines()[-1]), r.stderr


@pytest.mark.parametrize("a_s, b_s, start_s, span, unknown", [
    (0.0, 10.0, 0.0, "0.0–10.0", 4),          # ends before the force: thrusts 3-6 unheard
    (15.0, 40.0, 15.0, "15.0–31.8", 3),       # begins after it: thrusts 1-3 unheard
])
def test_sound_covering_part_of_the_force_is_said_with_the_thrusts_it_leaves_unknown(
        tmp_path, capfd, a_s, b_s, start_s, span, unknown):
    s, err = _summary(capfd, tmp_path, a_s, b_s, start_s)
    assert sum(t["pops"] is None for t in s["thrusts"]) == unknown
    said = [w for w in s["warnings"] if "covers only part of the force" in w]
    assert said == [f"{tmp_path / 'part.wav'}: the sound, at {span} s, covers only part of the force, at "
                    f"0.0–31.3 s: the pops of {unknown} of 6 thrusts outside it are unknown"], s["warnings"]
    assert said[0] in err


def test_sound_covering_the_whole_force_says_nothing_of_it(tmp_path, capfd):
    s, err = _summary(capfd, tmp_path, 0.0, 40.0)
    assert all(t["pops"] is not None for t in s["thrusts"])
    assert not [w for w in s["warnings"] if "covers only part" in w] and "covers only part" not in err
