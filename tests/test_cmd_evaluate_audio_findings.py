"""``gradecoach evaluate`` and the sound beside a recording as replay hears it: a WAV (or another
sound evaluate knows) beside the recording is scored as a FLAC is, and when none is there the
line names the names looked for; ``--format jsonl`` gives the same pop keys whatever became of
the sound; pops replay calls unknown (a thrust with no pop heard where the sound clipped) are
not scored, not missed."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
import soundfile as sf

from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT

POP_KEYS = {"pops_expected", "pops_heard", "pops_not_expected", "pops_not_scored", "pops_not_scored_because"}


@pytest.fixture
def pops(tmp_path):
    """fixtures/thrust_pops (6 thrusts, 13 expected pops) copied without its sound."""
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(ROOT / "fixtures" / f"thrust_pops{suffix}", tmp_path / f"thrust_pops{suffix}")
    return tmp_path / "thrust_pops.csv"


def _sound_beside(csv, suffix: str, gain: float = 1.0) -> None:
    """The fixture's sound written beside ``csv`` as ``NAME{suffix}``, ``gain`` times as loud
    (clipped at full scale, as a microphone's input turned up too far)."""
    x, rate_hz = sf.read(ROOT / "fixtures" / "thrust_pops.flac")
    sf.write(csv.with_suffix(suffix), np.clip(x * gain, -1.0, 1.0), rate_hz)


def test_a_wav_beside_the_recording_is_scored(pops, capfd):
    """A .wav beside the recording (replay names it) was passed over: "13 expected pops not scored:
    no thrust_pops.flac beside it", exit 1."""
    r = gc_in_process(capfd, "evaluate", pops)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].endswith(
        "; 13 expected pops not scored: no thrust_pops.flac, .wav, .ogg, .opus or .mp3 beside it"), r.stdout
    _sound_beside(pops, ".wav")
    r = gc_in_process(capfd, "evaluate", pops)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[0].endswith("; pops 13 of 13 heard, 0 not expected"), r.stdout


def test_jsonl_gives_the_same_pop_keys_whatever_became_of_the_sound(pops, capfd):
    """A sound beside that cannot be read gave pops_not_scored but no pops_heard or
    pops_not_expected; one that could gave no pops_not_scored: a reader of the figures could not
    tell a key left out from a sound that was fine."""
    pops.with_suffix(".flac").write_text("not audio")
    r = gc_in_process(capfd, "evaluate", pops, "--format", "jsonl")
    unread = json.loads(r.stdout)
    assert POP_KEYS <= set(unread), unread
    assert {k: unread[k] for k in POP_KEYS if k != "pops_not_scored_because"} == {
        "pops_expected": 13, "pops_heard": None, "pops_not_expected": None, "pops_not_scored": 13}
    assert unread["pops_not_scored_because"].startswith("thrust_pops.flac: unreadable audio")
    _sound_beside(pops, ".flac")
    r = gc_in_process(capfd, "evaluate", pops, "--format", "jsonl")
    heard = json.loads(r.stdout)
    assert POP_KEYS <= set(heard), heard
    assert {k: heard[k] for k in POP_KEYS} == {
        "pops_expected": 13, "pops_heard": 13, "pops_not_expected": 0, "pops_not_scored": 0,
        "pops_not_scored_because": None}
    assert set(unread) == set(heard)
