"""A camera's, a screen recorder's or an iPhone app's recording in a container libsndfile does not
read (an MPEG transport stream .mts/.ts, FLV, AVI, MPEG program stream .mpg, a CAF of IMA4 or
ALAC, FLAC in Ogg) is decoded (PyAV) and its pops found, under its own name and under another;
before, each was "unreadable audio". Where the file gives the start-up samples its encoder put
before the sound, or the codec puts none, the pops are at the FLAC's times. Where it does not
(AAC in a transport stream or FLV, MP3 in AVI, MP2 in an .mpg), they lie late by those samples,
and beside force a warning says so, with what moves the sound."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests._cli_in_process import gc_in_process
from tests._phone import CLIP, POPS_PER_THRUST, ROOT, phone_recording

FORCE = ROOT / "fixtures" / "thrust_pops.csv"


def events(r) -> list[dict]:
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    return [json.loads(x) for x in r.stdout.splitlines()]


def pops(out: list[dict]) -> list[float]:
    return [e["t"] for e in out if e["type"] == "cavitation"]


@pytest.fixture(scope="module")
def flac_pops(tmp_path_factory) -> list[float]:
    from analysis.events import CavitationEvent
    from firmware_bridge.replay import analyze_input, load_input
    return [e.t for e in analyze_input(load_input(CLIP)) if isinstance(e, CavitationEvent)]


# (name, codec, container, start-up samples the file does not give: 0 when it gives them or has none)
KINDS = [("camcorder.mts", "aac", "mpegts", 1024), ("iphone.caf", "adpcm_ima_qt", "caf", 0),
         ("memo.caf", "alac", "caf", 0), ("take.ogg", "flac", "ogg", 0), ("old camera.avi", "pcm_s16le", "avi", 0),
         ("stream.ts", "aac", "mpegts", 1024), ("screen.flv", "aac", "flv", 1024),
         ("old camera mp3.avi", "libmp3lame", "avi", 1105), ("dvd.mpg", "mp2", "mpeg", 481)]


@pytest.mark.parametrize("name, codec, fmt, late", KINDS)
def test_its_pops_are_found_at_their_times_or_late_by_the_unstated_start(tmp_path, capfd, flac_pops, name, codec,
                                                                          fmt, late):
    clip = phone_recording(tmp_path / name, codec, fmt=fmt)
    out = events(gc_in_process(capfd, "replay", clip, "--format", "jsonl"))
    got = pops(out)
    assert len(got) == len(flac_pops) == 13
    assert out[-1]["warnings"] == []                   # (alone, its own timeline: nothing to lie late against)
    assert max(abs(a - b - late / 16000) for a, b in zip(got, flac_pops)) < 0.001


@pytest.mark.parametrize("name, codec, fmt", [("clip.mts", "aac", "mpegts"), ("clip.flv", "aac", "flv"),
                                               ("clip.avi", "pcm_s16le", "avi"), ("clip.caf", "alac", "caf")])
def test_under_another_name_it_is_known_by_its_content(tmp_path, capfd, flac_pops, name, codec, fmt):
    renamed = phone_recording(tmp_path / name, codec, fmt=fmt).rename(tmp_path / "clip.dat")
    assert len(pops(events(gc_in_process(capfd, "replay", renamed, "--format", "jsonl")))) == len(flac_pops)


def test_a_camcorders_transport_stream_is_known_by_its_192_byte_packets():
    """A camcorder's .mts/.m2ts puts a 4-byte time code before each 188-byte packet."""
    from firmware_bridge.file_kind import audio_to_convert
    packet = b"\0\0\0\0" + b"\x47" + bytes(187)
    assert audio_to_convert(packet * 3) == "MPEG transport stream"
    assert audio_to_convert(packet[4:] * 3) == "MPEG transport stream"
    assert audio_to_convert(bytes(1) + packet * 3) is None
    text = (b"G" + b"x" * 187) * 3                      # (text with a "G" where the packets' syncs are)
    assert audio_to_convert(text) is None


@pytest.mark.parametrize("name, codec, fmt, said", [
    ("stream.ts", "aac", "mpegts", "AAC in an MPEG transport stream does not give the start-up samples its encoder "
                                   "put before the sound, so the sound and its pops may lie late against the force by "
                                   "them (1024 samples from FFmpeg's AAC encoder: 64 ms at 16 kHz); --audio-start "
                                   "moves the sound"),
    ("phone.aac", "aac", "adts", "AAC in a raw stream (ADTS) does not give"),
    ("old camera.avi", "libmp3lame", "avi", "MP3 in an AVI file does not give"),
    ("phone.m4a", "aac", None, None), ("old camera.avi", "pcm_s16le", "avi", None)])
def test_beside_force_a_start_the_file_does_not_give_is_said(tmp_path, capfd, name, codec, fmt, said):
    clip = phone_recording(tmp_path / name, codec, fmt=fmt)
    summary = events(gc_in_process(capfd, "replay", FORCE, "--audio", clip, "--format", "jsonl"))[-1]
    assert [t["pops"] for t in summary["thrusts"]] == POPS_PER_THRUST
    # (the start-up samples, near silence, are not the room's quiet: no thrust in "loud sound")
    assert not any(t["pops_masked"] for t in summary["thrusts"])
    if said is None:
        assert summary["warnings"] == []
    else:
        [warning] = summary["warnings"]
        assert warning.startswith(f"{clip}: {said}")


@settings(max_examples=300, deadline=None)
@given(head=st.binary(max_size=600), at=st.sampled_from([0, 4]))
def test_any_bytes_are_told_apart_without_an_error(head, at):
    """What a file's first bytes hold is told for any bytes: a name or None, never an exception;
    bytes with a packet sync every 188 (or 192) bytes and a NUL among the first are a stream."""
    from firmware_bridge.file_kind import audio_to_convert, is_audio
    kind = audio_to_convert(head)
    assert kind is None or isinstance(kind, str)
    assert isinstance(is_audio(head), bool)
    size = 188 if at == 0 else 192
    synced = bytearray(head.ljust(at + 2 * size + 1, b"\0"))
    for i in range(3):
        synced[at + i * size] = 0x47
    synced[at + 2] = 0                                 # (the first packet's PID, 0: the stream's table)
    if not synced.startswith((b"caff", b"OggS", b"RIFF")) and synced[4:8] != b"ftyp" and \
            not (synced[0] == 0xFF and synced[1] & 0xF6 == 0xF0):
        assert audio_to_convert(bytes(synced)) == "MPEG transport stream"
