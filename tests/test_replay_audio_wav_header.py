"""A WAV whose header gives another length than the samples it holds: a length shorter than
its samples (a recorder that went on writing) is said, not read silently as the shorter file;
the length a streaming recorder writes before it knows it (0xFFFFFFFF) is no cut file."""

from __future__ import annotations

import json
import struct

import numpy as np
import soundfile as sf

from firmware_bridge.replay import iter_chunks, load_input
from tests.conftest import gc

SR = 16000


def wav(tmp_path, name: str, seconds: float = 3.0):
    p = tmp_path / name
    sf.write(str(p), np.random.default_rng(0).normal(0, 0.05, int(seconds * SR)), SR, subtype="PCM_16")
    return p


def with_data_size(p, size: int, riff: int | None = None):
    b = bytearray(p.read_bytes())
    i = b.find(b"data")
    struct.pack_into("<I", b, i + 4, size)
    if riff is not None:
        struct.pack_into("<I", b, 4, riff)
    p.write_bytes(bytes(b))
    return p


def read_warnings(p) -> tuple[list[str], float]:
    inp = load_input(p)
    n = sum(len(c) for c in iter_chunks(inp))
    return inp.warnings, n / SR


def test_samples_past_the_length_the_header_gives_are_a_warning(tmp_path):
    short = with_data_size(wav(tmp_path, "short.wav"), 2 * SR)     # 3 s of samples, 1 s by its header
    r = gc("replay", short, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    said = [w for w in s["warnings"] if "past the" in w]
    assert len(said) == 1 and "2.00 s of audio past the 1.00 s its header gives" in said[0], s["warnings"]
    assert str(short) in said[0] and said[0] in r.stderr
    empty = with_data_size(wav(tmp_path, "zero.wav"), 0)
    r = gc("replay", empty, "--format", "jsonl")
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "empty by its header, yet 3.00 s of audio follow it" in r.stderr, r.stderr


def test_a_streaming_recorders_unknown_length_is_read_whole_without_a_cut_warning(tmp_path):
    streamed = with_data_size(wav(tmp_path, "streamed.wav"), 0xFFFFFFFF, riff=0xFFFFFFFF)
    warnings, seconds = read_warnings(streamed)
    assert seconds == 3.0 and warnings == []


def test_a_whole_wav_with_chunks_after_its_samples_reads_without_a_warning(tmp_path):
    tagged = wav(tmp_path, "tagged.wav")
    tag = b"INFOINAM" + struct.pack("<I", 12) + b"lumbar, ann\0"          # a LIST chunk after the samples
    b = bytearray(tagged.read_bytes() + b"LIST" + struct.pack("<I", len(tag)) + tag)
    struct.pack_into("<I", b, 4, len(b) - 8)
    tagged.write_bytes(bytes(b))
    warnings, seconds = read_warnings(tagged)
    assert seconds == 3.0 and warnings == []
