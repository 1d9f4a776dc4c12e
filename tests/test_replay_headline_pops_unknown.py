"""replay's first line does not count "0 pops" where the sound could not tell: a dead
microphone beside a force recording gave "6 thrusts, 0 pops" over a warning that the pops of
its thrusts are unknown, not none, and a table of "–", while the report's page said "unknown"."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from tests._cli_in_process import gc_in_process


def test_pops_of_thrusts_in_silent_sound_are_unknown_on_the_first_line(tmp_path, capfd):
    dead = tmp_path / "dead.wav"
    sf.write(dead, np.zeros(48000 * 10, dtype="float32"), 48000)      # covers the first 2 thrusts
    r = gc_in_process(capfd, "replay", "fixtures/thrust_pops.csv", "--audio", dead, "--r1", "40", "--r2", "120",
                      "--format", "table")
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.endswith("6 thrusts, pops unknown"), first


def test_pops_heard_with_some_thrusts_unknown_say_so(tmp_path, capfd):
    sound, rate = sf.read("fixtures/thrust_pops.flac", dtype="float32")
    part = tmp_path / "part.flac"
    sf.write(part, sound[: int(10 * rate)], rate)                         # the first 2 of 6 thrusts
    r = gc_in_process(capfd, "replay", "fixtures/thrust_pops.csv", "--audio", part, "--r1", "40", "--r2", "120",
                      "--format", "table")
    first = r.stdout.splitlines()[0]
    n = first.split(", ")[-1]
    assert n.endswith("(unknown at 4 of 6 thrusts)") and int(n.split()[0]) > 0, first
