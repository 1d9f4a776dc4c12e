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


def test_pops_replay_calls_unknown_where_the_sound_clipped_are_not_scored(pops, capfd):
    """The sound 100 times too loud (about 6 % of it clipped): replay gives the last thrust no
    pop heard where it clipped as unknown (–), and evaluate counted its 4 expected pops missed
    ("pop at 28.186 s not heard within 5 ms"). They are not scored, as pops past a sound cut short
    are; the pops of the thrusts replay heard are scored as they were."""
    _sound_beside(pops, ".wav", gain=100.0)
    r = gc_in_process(capfd, "evaluate", pops)
    assert r.returncode == 1, r.stdout + r.stderr
    out = r.stdout.splitlines()
    assert out[0].endswith("; pops 7 of 9 heard, 0 not expected; 4 expected pops not scored: thrust_pops.wav "
                           "leaves the pops of the thrust peaking at 28.19 s unknown"), r.stdout
    assert out[1] == ("  below the thresholds: pops expected and not heard within 5 ms, tied to their thrust: 6, "
                      "4 of them not scored (at most 0, --max-missed-pops; --no-audio leaves them out)")
    assert out[2:] == ["    --max-missed-pops: pop at 3.186 s not heard within 5 ms; pop at 3.215 s not heard "
                       "within 5 ms"]
    assert "clipping" in r.stderr
    r = gc_in_process(capfd, "evaluate", pops, "--format", "jsonl")
    got = json.loads(r.stdout)
    assert {k: got[k] for k in POP_KEYS} == {
        "pops_expected": 13, "pops_heard": 7, "pops_not_expected": 0, "pops_not_scored": 4,
        "pops_not_scored_because": "thrust_pops.wav leaves the pops of the thrust peaking at 28.19 s unknown"}
