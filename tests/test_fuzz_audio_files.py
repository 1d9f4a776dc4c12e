"""A damaged sound file (cut short, bytes overwritten: a copy broken off, a failing card) given to
``replay``, alone or as the sound of a force recording: the program never ends in a traceback.
It analyses what can be read, or says in one line per problem what is wrong, naming the file; the
force beside it is analysed whatever the sound."""

from __future__ import annotations

import functools
import io
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from firmware_bridge.audio_sim import make_scene
from tests._cli_in_process import gc_here

ROOT = Path(__file__).resolve().parent.parent
FORCE = ROOT / "fixtures" / "thrust_pops.csv"
RATE = 16000


FORMATS = {".wav": ("WAV", "PCM_16"), ".flac": ("FLAC", "PCM_16"), ".ogg": ("OGG", "VORBIS")}


@functools.cache
def _encoded(suffix: str) -> bytes:
    """Two seconds of a scene with pops, as the format writes it."""
    x = make_scene(2.0, float(RATE), seed=5, thrusts_per_min=60).audio
    buf = io.BytesIO()
    sf.write(buf, x, RATE, format=FORMATS[suffix][0], subtype=FORMATS[suffix][1])
    return buf.getvalue()


def _damaged(data: bytes, cut: float, hits: list[tuple[float, int]]) -> bytes:
    b = bytearray(data[:max(0, int(round(cut * len(data))))])
    for at, value in hits:
        if b:
            b[min(int(at * len(b)), len(b) - 1)] = value
    return bytes(b)


def _one_line_each(err: str) -> None:
    assert "Traceback" not in err, err
    for line in err.splitlines():
        assert line.startswith("gradecoach: "), err


def _summary(out: str) -> dict:
    last = json.loads(out.splitlines()[-1])
    assert last["type"] == "summary", out
    return last


damage = dict(suffix=st.sampled_from(sorted(FORMATS)), cut=st.floats(0.0, 1.0),
              hits=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=6))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**damage)
@example(suffix=".wav", cut=0.0, hits=[])           # empty
@example(suffix=".flac", cut=0.3, hits=[])          # torn in its frames
@example(suffix=".wav", cut=1.0, hits=[(0.01, 0)])  # its header's "RIFF" broken
def test_sound_alone(suffix, cut, hits):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"clip{suffix}"
        p.write_bytes(_damaged(_encoded(suffix), cut, hits))
        r = gc_here("replay", p, "--format", "jsonl")
        _one_line_each(r.stderr)
        if r.returncode:
            assert str(p) in r.stderr and "error" in r.stderr, r.stderr
        else:
            _summary(r.stdout)
            assert all(str(p) in w for w in _summary(r.stdout)["warnings"]), r.stdout


@pytest.fixture(scope="module")
def force(tmp_path_factory) -> Path:
    """The force fixture's first 10 s, its first two thrusts (peaks at 3.2 and 7.6 s), under the
    2-s sound and beyond it. Made once, only read."""
    lines = FORCE.read_text().splitlines()
    path = tmp_path_factory.mktemp("force") / "force.csv"
    path.write_text("\n".join([lines[0]] + [s for s in lines[1:] if float(s.split(",", 1)[0]) <= 10.0]) + "\n")
    return path


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(**damage)
@example(suffix=".ogg", cut=0.5, hits=[])
def test_sound_beside_force(force, suffix, cut, hits):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"clip{suffix}"
        p.write_bytes(_damaged(_encoded(suffix), cut, hits))
        r = gc_here("replay", force, "--audio", p, "--r1", 40, "--r2", 120, "--target", "V", "--format", "jsonl")
        _one_line_each(r.stderr)
        # the force's two thrusts whatever the sound; what is wrong with the sound names it
        assert r.returncode == 0, r.stderr
        s = _summary(r.stdout)
        assert s["n_thrusts"] == 2, r.stdout
        assert all(str(p) in w for w in s["warnings"] if "audio" in w or "sound" in w), r.stdout


def test_the_undamaged_files_are_read_with_their_pops():
    """(what the damaged copies are made from: each format read whole, its pops found)"""
    with tempfile.TemporaryDirectory() as d:
        for suffix in FORMATS:
            p = Path(d) / f"clip{suffix}"
            p.write_bytes(_encoded(suffix))
            r = gc_here("replay", p, "--format", "jsonl")
            assert r.returncode == 0 and not r.stderr, r.stderr
            assert _summary(r.stdout)["n_cavitations"] >= 1, (suffix, r.stdout)
