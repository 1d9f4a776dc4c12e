"""A phone's or a camera's recording (AAC in MPEG-4, a video with its sound, Opus in WebM), which
libsndfile does not read, is decoded (PyAV) and analysed as a FLAC is: the fixture's 13 pops at
the same times within a millisecond, tied to the same thrusts; under another name and through a
pipe too. One cut before it was finished (its index missing), a video without sound, and, without
PyAV, any such file, are one line each, and force beside them is analysed."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest

from tests._cli_in_process import gc_in_process
from tests._phone import CLIP, POPS_PER_THRUST, ROOT, phone_recording

FORCE = ROOT / "fixtures" / "thrust_pops.csv"


def events(r) -> list[dict]:
    assert r.returncode == 0, r.stderr
    return [json.loads(x) for x in r.stdout.splitlines()]


def pop_times(r) -> list[float]:
    return [e["t"] for e in events(r) if e["type"] == "cavitation"]


@pytest.fixture(scope="module")
def flac_pops() -> list[float]:
    from firmware_bridge.replay import analyze_input, load_input
    from analysis.events import CavitationEvent
    return [e.t for e in analyze_input(load_input(CLIP)) if isinstance(e, CavitationEvent)]


@pytest.mark.parametrize("name, codec, video", [("phone.m4a", "aac", False), ("clip.mp4", "aac", True),
                                                ("voice note.webm", "libopus", False),
                                                ("phone.wav", "aac", False)])
def test_a_phones_recording_is_read_and_its_pops_found_as_in_the_flac(tmp_path, capfd, flac_pops, name, codec,
                                                                      video):
    fmt = "mp4" if name == "phone.wav" else None             # (an MPEG-4 under a WAV's name)
    clip = phone_recording(tmp_path / name, codec, fmt=fmt, video=video)
    got = pop_times(gc_in_process(capfd, "replay", clip, "--format", "jsonl"))
    assert len(flac_pops) == 13 and len(got) == len(flac_pops)
    assert max(abs(a - b) for a, b in zip(got, flac_pops)) < 0.001


def test_a_phones_video_beside_the_force_gives_each_thrust_its_pops(tmp_path, capfd):
    clip = phone_recording(tmp_path / "thrusts.mp4", video=True)
    out = events(gc_in_process(capfd, "replay", FORCE, "--audio", clip, "--format", "jsonl"))
    summary = out[-1]
    assert [t["pops"] for t in summary["thrusts"]] == POPS_PER_THRUST
    assert summary["pops_outside_thrusts"] == [] and summary["warnings"] == []


def test_a_phones_recording_through_a_pipe_is_read(tmp_path, flac_pops):
    clip = phone_recording(tmp_path / "phone.m4a")
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", "/dev/stdin", "--format", "jsonl"],
                       input=clip.read_bytes(), cwd=ROOT, capture_output=True, timeout=120)
    got = [json.loads(x)["t"] for x in r.stdout.decode().splitlines() if '"cavitation"' in x]
    assert r.returncode == 0, r.stderr.decode()
    assert len(got) == 13 and max(abs(a - b) for a, b in zip(got, flac_pops)) < 0.001


CUT = ("unreadable audio (its recording was cut before it was finished: the index an MPEG-4 file ends "
       "with (its 'moov' box) is missing, and without it its sound cannot be found)")


def test_a_recording_cut_before_it_was_finished_is_one_line_and_the_force_is_analysed(tmp_path, capfd):
    whole = phone_recording(tmp_path / "whole.m4a").read_bytes()
    cut = tmp_path / "cut.m4a"
    cut.write_bytes(whole[:len(whole) // 2])             # (the app stopped: its index never written)
    r = gc_in_process(capfd, "replay", cut)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: {cut}: {CUT}"]
    summary = events(gc_in_process(capfd, "replay", FORCE, "--audio", cut, "--format", "jsonl"))[-1]
    assert summary["n_thrusts"] == 6 and all(t["pops"] is None for t in summary["thrusts"])   # unknown, not 0
    assert summary["warnings"] == [f"{cut}: {CUT}; analysed without the audio"]


def test_a_video_without_sound_is_one_line(tmp_path, capfd):
    import av
    import numpy as np
    silent = tmp_path / "no sound.mp4"
    with av.open(str(silent), "w") as box:
        v = box.add_stream("mpeg4", rate=25)
        v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            pic = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
            pic.pts = i
            for p in v.encode(pic):
                box.mux(p)
        for p in v.encode(None):
            box.mux(p)
    r = gc_in_process(capfd, "replay", silent)
    assert (r.returncode, r.stderr.splitlines()) == (2, [f"gradecoach: error: {silent}: unreadable audio "
                                                         f"(no audio track in it)"])


@pytest.mark.parametrize("folder", ["af", "rec's files/2024"])
def test_without_pyav_a_phones_recording_gets_the_ffmpeg_command_as_typed(tmp_path, capfd, monkeypatch, folder):
    """Where PyAV cannot be imported, the file is not decoded: the line gives the ffmpeg command
    that converts it, its paths as typed, quoted for the shell, from where replay was run."""
    (tmp_path / folder).mkdir(parents=True)
    phone_recording(tmp_path / folder / "phone 1.m4a", seconds=2.0)
    monkeypatch.setitem(sys.modules, "av", None)           # (import av: ImportError)
    typed = f"{folder}/phone 1.m4a"
    r = gc_in_process(capfd, "replay", typed, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    [line] = r.stderr.splitlines()
    assert line.startswith(f"gradecoach: error: {typed}: .m4a audio is not read")
    cmd = shlex.split(line.split("for example: ", 1)[1])
    assert cmd == ["ffmpeg", "-i", typed, f"{folder}/phone 1.flac"]
    assert (tmp_path / cmd[2]).is_file()                    # the input, from where the user is


def test_a_file_libsndfile_reads_does_not_load_pyav():
    """PyAV's FFmpeg libraries (50 ms and 29 MB to load) are loaded for a file that needs them
    only: not for a CSV with a FLAC beside it, nor for the FLAC."""
    code = ("import sys, contextlib, io\n"
            "from ui.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
            "    main(['replay', sys.argv[1], '--format', 'jsonl'])\n"
            "    main(['replay', sys.argv[2], '--format', 'jsonl'])\n"
            "print('av' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code, str(FORCE), str(CLIP)], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


def damaged(path, share: float, n: int):
    """``path``'s bytes with ``n`` of them zeroed from ``share`` of its length on, as ``damaged<suffix>``."""
    raw = bytearray(path.read_bytes())
    i = int(len(raw) * share)
    raw[i:i + n] = bytes(n)
    bad = path.with_name("damaged" + path.suffix)
    bad.write_bytes(bytes(raw))
    return bad


def unreadable_span(warning: str, path) -> tuple[float, float]:
    """The span (s) a warning says is unreadable and skipped."""
    head = f"{path}: "
    assert warning.startswith(head) and warning.endswith("skipped; the sound after it is analysed"), warning
    a, b = warning.split(" s of audio unreadable at ")[1].split(" s (")[0].split("–")
    return float(a), float(b)


def test_a_recording_damaged_half_way_is_read_past_the_damage(tmp_path, capfd, flac_pops):
    """Bytes overwritten in its sound (AAC in .m4a): the decoder refuses those packets, and the
    sound after them is read at its place on the timeline: the thrusts after the damage keep
    their pops, the one in it has them unknown (not 0), and the warning says where."""
    bad = damaged(phone_recording(tmp_path / "whole.m4a"), 0.7, 3000)
    out = events(gc_in_process(capfd, "replay", FORCE, "--audio", bad, "--format", "jsonl"))
    summary = out[-1]
    [said] = summary["warnings"]
    t0, t1 = unreadable_span(said, bad)
    pops = [t["pops"] for t in summary["thrusts"]]
    k = pops.index(None)
    assert k < 5 and pops[:k] + pops[k + 1:] == POPS_PER_THRUST[:k] + POPS_PER_THRUST[k + 1:]
    assert POPS_PER_THRUST[k] > 0                          # (the damage hides pops there)
    got = [e["t"] for e in out if e["type"] == "cavitation"]
    outside = [t for t in flac_pops if not t0 - 0.01 <= t <= t1 + 0.01]
    assert len(got) == len(outside) and max(abs(a - b) for a, b in zip(got, outside)) < 0.001


def test_sound_lost_from_a_voice_message_leaves_the_rest_in_its_place(tmp_path, capfd, flac_pops):
    """A WebM's damaged stretch is passed over by its demuxer, seconds of packets with it, and
    no decoder refuses anything: the gap in its time stamps is what shows it. The pops after it
    are at their times (joined up, they came seconds early) and the gap is said."""
    bad = damaged(phone_recording(tmp_path / "voice.webm", "libopus"), 0.2, 2000)
    r = gc_in_process(capfd, "replay", bad, "--format", "jsonl")
    got = pop_times(r)
    out = events(r)
    [said] = out[-1]["warnings"]
    t0, t1 = unreadable_span(said, bad)
    assert "its time stamps jump" in said and t1 - t0 > 1.0
    outside = [t for t in flac_pops if not t0 - 0.01 <= t <= t1 + 0.01]
    assert len(outside) >= 10 and len(got) == len(outside)
    assert max(abs(a - b) for a, b in zip(got, outside)) < 0.001


def test_a_downloaded_recording_cut_short_says_where_its_sound_ends(tmp_path, capfd, flac_pops):
    """An .m4a made to be streamed (its index first) whose download broke off: its last packet
    runs past the file's end. Its sound is read to there and the warning says the file was cut,
    with the length its index gives, as for a cut WAV (not an unreadable packet's words)."""
    whole = phone_recording(tmp_path / "whole.m4a", faststart=True)
    raw = whole.read_bytes()
    assert raw.find(b"moov") < raw.find(b"mdat")
    cut = tmp_path / "cut.m4a"
    cut.write_bytes(raw[:int(0.6 * len(raw))])
    r = gc_in_process(capfd, "replay", cut, "--format", "jsonl")
    out = events(r)
    [said] = out[-1]["warnings"]
    head, tail = f"{cut}: audio ends at ", " s its header gives (the file was cut)"
    assert said.startswith(head) and said.endswith(tail), said
    end_s, claimed_s = (float(x) for x in said[len(head):-len(tail)].split(" s, short of the "))
    import soundfile as sf
    assert 15.0 < end_s < 25.0 and abs(claimed_s - sf.info(str(CLIP)).duration) < 0.01
    got = [e["t"] for e in out if e["type"] == "cavitation"]
    before = [t for t in flac_pops if t < end_s - 0.05]
    assert len(got) == len(before) and max(abs(a - b) for a, b in zip(got, before)) < 0.001


def test_a_voice_message_cut_short_says_where_its_sound_ends(tmp_path, capfd, flac_pops):
    """A WebM whose copy broke off: its demuxer stops at its last whole block and says nothing,
    but its header gives its length; the warning says the file was cut, and where its sound ends."""
    whole = phone_recording(tmp_path / "whole.webm", "libopus")
    raw = whole.read_bytes()
    cut = tmp_path / "cut.webm"
    cut.write_bytes(raw[:int(0.6 * len(raw))])
    out = events(gc_in_process(capfd, "replay", cut, "--format", "jsonl"))
    [said] = out[-1]["warnings"]
    head, tail = f"{cut}: audio ends at ", " s its header gives (the file was cut)"
    assert said.startswith(head) and said.endswith(tail), said
    end_s, claimed_s = (float(x) for x in said[len(head):-len(tail)].split(" s, short of the "))
    assert 15.0 < end_s < 25.0 and abs(claimed_s - 31.85) < 0.02
    got = [e["t"] for e in out if e["type"] == "cavitation"]
    assert len(got) == len([t for t in flac_pops if t < end_s - 0.05])
    assert events(gc_in_process(capfd, "replay", whole, "--format", "jsonl"))[-1]["warnings"] == []


def test_a_raw_aac_stream_cut_short_says_where_its_sound_ends(tmp_path, capfd):
    """Raw AAC (ADTS, an .aac) gives no length, and its last frame cut short is refused by the
    decoder: that frame ending where the file ends is its cut, said as such, not as damage."""
    raw = phone_recording(tmp_path / "whole.aac", fmt="adts").read_bytes()
    cut = tmp_path / "cut.aac"
    cut.write_bytes(raw[:int(0.6 * len(raw))])
    [said] = events(gc_in_process(capfd, "replay", cut, "--format", "jsonl"))[-1]["warnings"]
    head, tail = f"{cut}: audio ends at ", " s, where the file was cut"
    assert said.startswith(head) and said.endswith(tail), said
    assert 15.0 < float(said[len(head):-len(tail)]) < 25.0
