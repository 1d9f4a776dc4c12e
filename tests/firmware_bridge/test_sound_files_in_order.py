"""A sound file whose codec libsndfile reads only in order (G.721 ADPCM, GSM 6.10, NMS ADPCM in a
WAV; G.723 in an AU: an old dictaphone's or telephone system's recording) is read as any other:
sought forward and back to the samples a read from its start gives, and replayed beside force
with the fixture's pops at their times. Before, opening it for replay raised libsndfile's
"Seek attempted on unseekable file type" as a traceback."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firmware_bridge.replay.audio_file import read_span
from firmware_bridge.sound_files import open_sound
from tests._cli_in_process import gc_in_process
from tests._phone import CLIP, POPS_PER_THRUST, ROOT

KINDS = [("g721.wav", "WAV", "G721_32"), ("gsm.wav", "WAV", "GSM610"), ("nms.wav", "WAV", "NMS_ADPCM_32"),
         ("g723.au", "AU", "G723_40")]


@pytest.fixture(scope="module")
def in_order(tmp_path_factory):
    """The fixture's first 2 s in each codec: {name: (path, what a read from its start gives)}."""
    d = tmp_path_factory.mktemp("in_order")
    x, fs = sf.read(CLIP, frames=2 * 16000)
    out = {}
    for name, fmt, sub in KINDS:
        p = d / name
        sf.write(p, x, fs, format=fmt, subtype=sub)
        with sf.SoundFile(p) as f:
            assert not f.seekable()                 # (what this is about)
            out[name] = (p, f.read(f.frames, dtype="float32", always_2d=True))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from([k[0] for k in KINDS]),
       reads=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(1, 9000)), min_size=1, max_size=5))
def test_it_is_sought_back_and_forth_to_the_samples_read_in_order(in_order, name, reads):
    path, whole = in_order[name]
    with open_sound(path) as f:
        for share, n in reads:
            at = int(share * len(whole))
            got = read_span(f, at, n)
            assert f.tell() == at + len(got)
            np.testing.assert_array_equal(got, whole[at:at + n])


def test_a_dictaphones_adpcm_wav_beside_force_gives_each_thrust_its_pops(tmp_path, capfd):
    x, fs = sf.read(CLIP)
    wav = tmp_path / "dictaphone.wav"
    sf.write(wav, x, fs, subtype="G721_32")
    r = gc_in_process(capfd, "replay", ROOT / "fixtures" / "thrust_pops.csv", "--audio", wav, "--format", "jsonl")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    out = [json.loads(line) for line in r.stdout.splitlines()]
    summary = out[-1]
    assert [t["pops"] for t in summary["thrusts"]] == POPS_PER_THRUST and summary["warnings"] == []
    flac = [json.loads(line) for line in gc_in_process(capfd, "replay", CLIP, "--format", "jsonl").stdout.splitlines()]
    want = [e["t"] for e in flac if e["type"] == "cavitation"]
    got = [e["t"] for e in out if e["type"] == "cavitation"]
    assert len(got) == len(want) == 13 and max(abs(a - b) for a, b in zip(got, want)) < 0.001
