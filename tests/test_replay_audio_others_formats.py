"""Audio files made elsewhere (another recorder, an editor, an examiner's export) beside force
data: the pops of the same recording are found whatever its format, width, rate or channel count;
what cannot be analysed is one line naming the file, and the force is analysed without it.

Every file is made here from fixtures/thrust_pops.flac (16 kHz, whose pops per thrust are
4, 1, 2, 0, 2, 4) with soundfile."""

from __future__ import annotations

import json
import struct
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from scipy import signal

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from tests._cli_in_process import gc_in_process
from tests.conftest import ROOT, gc

FIX = ROOT / "fixtures"
FORCE = FIX / "thrust_pops.csv"
POPS = [4, 1, 2, 0, 2, 4]


@pytest.fixture(scope="module")
def clip() -> tuple[np.ndarray, int]:
    x, sr = sf.read(str(FIX / "thrust_pops.flac"), dtype="float64")
    return x, sr


def replay(audio) -> dict:
    return analyze_input(load_input(FORCE, audio), GradingScheme(r1_n=40, r2_n=120))[-1].to_dict()


def at(x: np.ndarray, sr: int, rate: int) -> np.ndarray:
    return signal.resample_poly(x, rate, sr)


def six_channels(x: np.ndarray) -> np.ndarray:
    """Six microphones, the pops on the fifth alone; the others hear room noise as loud as its own."""
    out = np.random.default_rng(3).normal(0, np.std(x[:1600]), (len(x), 6))
    out[:, 4] = x
    return out


MP3 = "MP3" in sf.available_formats()
MADE = {
    "pcm24.wav": lambda x, sr: (x, sr, {"subtype": "PCM_24"}),
    "float32.wav": lambda x, sr: (x, sr, {"subtype": "FLOAT"}),
    "extensible.wav": lambda x, sr: (x, sr, {"format": "WAVEX", "subtype": "PCM_16"}),
    "unsigned8.wav": lambda x, sr: (x, sr, {"subtype": "PCM_U8"}),
    "vorbis44k.ogg": lambda x, sr: (at(x, sr, 44100), 44100, {"format": "OGG", "subtype": "VORBIS"}),
    "hires96k.flac": lambda x, sr: (at(x, sr, 96000), 96000, {"subtype": "PCM_24"}),
    "six.wav": lambda x, sr: (six_channels(x), sr, {"subtype": "PCM_16"}),
    "dc_offset.wav": lambda x, sr: (0.7 + 0.25 * x, sr, {"subtype": "PCM_16"}),
    "mp3_44k.mp3": lambda x, sr: (at(x, sr, 44100), 44100, {"format": "MP3", "subtype": "MPEG_LAYER_III"}),
}


@pytest.mark.parametrize("name", list(MADE))
def test_the_same_recording_saved_another_way_has_the_same_pops(tmp_path, clip, name):
    if name.endswith(".mp3") and not MP3:
        pytest.skip("this libsndfile writes no MP3")
    a, rate, kw = MADE[name](*clip)
    path = tmp_path / name
    sf.write(str(path), a, rate, **kw)
    s = replay(path)
    assert [t["pops"] for t in s["thrusts"]] == POPS, (name, s["warnings"])
    assert not [w for w in s["warnings"] if str(path) in w], s["warnings"]


def test_a_float_file_far_above_full_scale_is_sound_not_clipping(tmp_path, clip):
    # a float WAV may hold samples past 1.0 (a DC offset of 3, an export not normalised): they
    # move, so they are sound; it was "clipped throughout", the pops of a thrust unknown
    x, sr = clip
    for name, a in (("dc3.wav", 3.0 + x), ("dc_minus5.wav", x - 5.0)):
        path = tmp_path / name
        sf.write(str(path), a, sr, subtype="FLOAT")
        s = replay(path)
        assert [t["pops"] for t in s["thrusts"]] == POPS, (name, s["warnings"])
        assert not [w for w in s["warnings"] if "no usable sound" in w], s["warnings"]


def test_a_float_file_held_at_a_rail_above_full_scale_is_still_clipped(tmp_path, clip):
    x, sr = clip
    path = tmp_path / "railed.wav"
    sf.write(str(path), np.where(np.arange(len(x)) % 2, 1.5, -1.5), sr, subtype="FLOAT")
    s = replay(path)
    assert all(t["pops"] is None for t in s["thrusts"])
    assert [w for w in s["warnings"] if "no usable sound" in w and "clipped throughout" in w], s["warnings"]


def test_digital_silence_and_a_fifth_of_a_second_are_said_or_analysed(tmp_path, clip):
    x, sr = clip
    silent, short = tmp_path / "silent.wav", tmp_path / "short.wav"
    sf.write(str(silent), np.zeros(len(x)), sr, subtype="PCM_16")
    sf.write(str(short), x[:int(0.2 * sr)], sr, subtype="PCM_16")
    s = replay(silent)
    assert all(t["pops"] is None for t in s["thrusts"])
    assert [w for w in s["warnings"] if str(silent) in w and "silent throughout" in w], s["warnings"]
    s = replay(short)
    assert s["spans_s"]["audio"] == [0.0, pytest.approx(0.2, abs=1e-3)]
    assert all(t["pops"] is None for t in s["thrusts"])      # none within its 0.2 s: unknown, not 0


def test_files_that_are_not_audio_it_reads_are_one_line_and_the_force_is_analysed(tmp_path, clip, capfd):
    x, sr = clip
    m4a = tmp_path / "phone.m4a"
    m4a.write_bytes(b"\0\0\0\x20ftypM4A \0\0\0\0M4A mp42isom" + bytes(range(256)) * 16)
    text = tmp_path / "notes.wav"
    text.write_text("t_s,force_n\n0,1\n")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    full = tmp_path / "full.wav"
    sf.write(str(full), x, sr, subtype="PCM_16")
    cut = tmp_path / "cut.wav"
    cut.write_bytes(full.read_bytes()[:len(full.read_bytes()) // 3])
    expect = {m4a: f"{m4a}: unreadable audio (Invalid data found when processing input); analysed without the "
                   f"audio",
              text: f"{text}: unreadable audio (its content is not WAV, FLAC, OGG, Opus, MP3 or AIFF); analysed "
                    f"without the audio",
              empty: f"{empty}: unreadable audio (an empty file, 0 bytes); analysed without the audio"}
    for path, line in expect.items():
        s = replay(path)
        assert s["n_thrusts"] == 6 and all(t["pops"] is None for t in s["thrusts"])
        assert [w for w in s["warnings"] if str(path) in w] == [line]
    s = replay(cut)
    assert [t["pops"] for t in s["thrusts"]] == [4, 1, None, None, None, None]
    assert [w for w in s["warnings"] if str(cut) in w] == [
        f"{cut}: audio ends at 10.61 s, short of the 31.84 s its header gives (the file was cut)"]
    for i, path in enumerate(expect):                    # alone: the one line, exit 2
        # (the first through gc: what the command writes to file descriptors 1 and 2 captured)
        r = gc("replay", path) if i == 0 else gc_in_process(capfd, "replay", path)
        alone = expect[path].split("; analysed")[0]
        assert r.returncode == 2 and r.stderr.splitlines() == [f"gradecoach: error: {alone}"]


@pytest.mark.slow
def test_half_an_hour_of_mostly_silent_flac_is_read_in_blocks(tmp_path, clip):
    # the program's peak stays near 180 MiB whatever the length (measured at 20 min and 2 hours):
    # half an hour at 48 kHz read whole would take 330 MiB more as float32, 165 MiB as 16-bit
    x, sr = clip
    rate, minutes = 48000, 30
    path = tmp_path / "half_hour.flac"
    with sf.SoundFile(str(path), "w", rate, 1, subtype="PCM_16") as f:
        f.write(at(x, sr, rate))
        quiet = np.zeros(60 * rate, np.int16)           # (as 16-bit samples: no conversion to write)
        for _ in range(minutes - 1):
            f.write(quiet)
        f.write(np.zeros(minutes * 60 * rate - f.frames, np.int16))
    # (VmHWM, the program's own peak: ru_maxrss keeps a forking parent's, a test runner's, across exec)
    code = ("import runpy, sys\n"
            "sys.argv = ['gradecoach', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('ui.cli', run_name='__main__')\n"
            "finally:\n    print('maxrss_kb', next(int(ln.split()[1]) for ln in open('/proc/self/status') "
            "if ln.startswith('VmHWM:')), file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code, "replay", str(FORCE), "--audio", str(path), "--format", "jsonl"],
                       cwd=ROOT, capture_output=True, text=True, timeout=280)
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout.splitlines()[-1])
    assert [t["pops"] for t in s["thrusts"]] == POPS and s["spans_s"]["audio"][1] == pytest.approx(minutes * 60,
                                                                                                    abs=0.01)
    rss_mb = int(r.stderr.split("maxrss_kb ")[1].split()[0]) / 1024
    # the program alone, without the audio, peaks near 150 MiB; read in blocks, near 180 MiB
    assert rss_mb < 300, rss_mb


def test_a_wav_header_libsndfile_refuses_is_said_in_its_words_without_the_path_twice(tmp_path):
    # it was "unreadable audio (Error opening '<the path again>': Channel count is zero.)"
    fmt = struct.pack("<HHIIHH", 1, 0, 16000, 32000, 2, 16)             # PCM, no channels
    data = bytes(32000)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path = tmp_path / "no channels.wav"
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    s = replay(path)
    assert s["n_thrusts"] == 6
    assert [w for w in s["warnings"] if str(path) in w] == [
        f"{path}: unreadable audio (Channel count is zero.); analysed without the audio"]
