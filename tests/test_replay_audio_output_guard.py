"""replay -o keeps an audio recording whatever its name: audio is known by its content too."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"


@pytest.mark.parametrize("name, fmt, subtype", [("take1", "WAV", "PCM_16"), ("take2.jsonl", "FLAC", "PCM_24"),
                                                ("take3", "OGG", "VORBIS"), ("take4.txt", "MP3", "MPEG_LAYER_III"),
                                                ("take5", "AIFF", "PCM_16")])
def test_replay_output_onto_audio_without_its_suffix_is_refused_and_the_audio_kept(tmp_path, name, fmt, subtype):
    rec = tmp_path / name
    sf.write(str(rec), np.random.default_rng(0).normal(0, 0.1, 48000).astype(np.float32), 48000,
             format=fmt, subtype=subtype)
    before = rec.read_bytes()
    r = gc("replay", FIX / "thrust_pops.csv", "-o", rec, "--format", "jsonl")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    said = r.stderr.strip().splitlines()[-1]
    assert f"-o {rec}: that is an audio recording" in said
    assert rec.read_bytes() == before


def test_an_earlier_output_without_a_suffix_is_still_replaced(tmp_path):
    out = tmp_path / "events"
    assert gc("replay", FIX / "thrust_pops.csv", "-o", out, "--format", "jsonl").returncode == 0
    r = gc("replay", FIX / "thrust_pops.csv", "-o", out, "--format", "jsonl", "--r1", 40, "--r2", 120)
    assert r.returncode == 0, r.stderr
    assert '"r1_n": 40.0' in out.read_text().splitlines()[-1]
