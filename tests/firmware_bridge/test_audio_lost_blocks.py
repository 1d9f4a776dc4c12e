"""Audio lost on the way (a full queue, a PortAudio input overflow) keeps its place on the
timeline, and a recording that lost audio says so on replay.

The capture runs PortAudio over ALSA's ``file`` PCM plugin (as in test_audio_capture.py), which
delivers far faster than real time: a reader that does not keep up drops blocks at once, so the
numbers of blocks lost here are not a real microphone's."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import soundfile as sf

from firmware_bridge.audio import AudioClock, audio_loss_note, lost_to_overflow

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"
RATE = 48000
BLOCK = 480

CAPTURE = textwrap.dedent("""
    import json, sys
    import numpy as np
    from firmware_bridge.audio import AudioInput
    mic = AudioInput("default", samplerate=48000, max_blocks=20).start()
    chunks = []
    while sum(len(c) for c in chunks) < 2 * 48000:
        chunks += mic.read(1.0)
    mic.close()
    print(json.dumps({"dropped": mic.dropped_blocks, "lost": mic.lost_frames, "lost_s": mic.lost_s,
                      "chunks": [[c.seq0, len(c), float(c.t_s[0]), float(c.t_s[-1]),
                                  (np.asarray(c.values) * 32768).round().astype(int).tolist()[::7]]
                                 for c in chunks]}))
""")

RECORD = textwrap.dedent("""
    import json, sys, time
    from firmware_bridge.audio import AudioRecorder
    rec = AudioRecorder(sys.argv[1], "default", samplerate=48000, t0_host_s=time.monotonic(), max_blocks=20)
    n = 0
    while n < 3 * 48000:
        n += sum(len(c) for c in rec.poll(1.0))
    note, mic = rec.loss_note(), rec.mic
    info = rec.close()
    print(json.dumps({"info": info, "note": note, "frames": rec.frames, "silence": mic.lost_frames}))
""")


def _run(tmp_path, script, *args):
    x = np.random.default_rng(3).integers(-20000, 20000, 30 * RATE).astype("<i2")
    raw = tmp_path / "in.raw"
    x.tofile(raw)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".asoundrc").write_text(textwrap.dedent(f"""
        pcm.!default {{
            type asym
            playback.pcm {{ type null }}
            capture.pcm {{ type file slave.pcm null file "/dev/null" infile "{raw}" format "raw" }}
        }}
    """))
    out = subprocess.run([sys.executable, "-c", script, *map(str, args)], env=dict(os.environ, HOME=str(home)),
                         capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return x, json.loads(out.stdout.strip().splitlines()[-1])


def test_dropped_blocks_become_silence_in_their_place_and_later_audio_keeps_its_time(tmp_path):
    x, res = _run(tmp_path, CAPTURE)
    assert res["dropped"] > 0 and res["lost"] > 0
    silent = 0
    t_first = res["chunks"][0][2]
    pos = 0
    for seq0, n, t0, t1, v in res["chunks"]:
        assert seq0 == pos                                   # one timeline, nothing left out of it
        pos += n
        if v == x[seq0:seq0 + n].astype(int).tolist()[::7]:
            pass                                             # the audio captured, where it was captured
        else:
            assert not any(v), (seq0, n)                     # else the silence of what was lost
            silent += n
        # stamped where it happened: the samples before it, lost ones too, at 48 kHz
        assert abs(t0 - t_first - seq0 / RATE) < 1e-6 and abs(t1 - t_first - (seq0 + n - 1) / RATE) < 1e-6
    assert silent == res["lost"] and res["lost"] % BLOCK == 0 and res["lost"] <= BLOCK * res["dropped"]
    assert res["lost_s"] == BLOCK * res["dropped"] / RATE


def test_a_recordings_lost_audio_is_silence_in_its_file_said_in_session_json_and_on_replay(tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    x, res = _run(tmp_path, RECORD, folder)
    info = res["info"]
    assert info["dropped_blocks"] > 0 and info["lost_s"] > 0
    rec, fs = sf.read(folder / "audio.flac", dtype="int16")
    assert len(rec) == res["frames"]
    m = min(len(rec), len(x))
    hole = rec[:m] != x[:m]
    assert hole.any() and not rec[:m][hole].any()           # what differs from the input is silence
    assert abs(int(hole.sum()) - res["silence"]) <= int((x[:m] == 0).sum()) and res["silence"] % BLOCK == 0
    assert res["silence"] <= round(info["lost_s"] * RATE)     # (blocks dropped after the last read: none)
    assert res["note"] and "\n" not in res["note"] and " blocks dropped (the program fell behind)" in res["note"]

    # replayed beside a force recording, it is said once, with how many and how long
    shutil.copy(FIX / "thrust_pops.csv", folder / "force.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-11-30T10:00:00+0000", "trainee": "", "technique": "",
        "target": None, "r1_n": 40.0, "r2_n": 120.0, "alpha": 0.5, "complete": True, "gaps": [],
        "streams": {"force": {"file": "force.csv", "rate_hz": 1000.0}, "audio": info}}))
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", folder, "--format", "jsonl"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    said = [s for s in r.stderr.splitlines() if "audio lost while recording" in s]
    assert len(said) == 1
    ms = 1e3 * info["lost_s"]
    assert f"{info['dropped_blocks']} blocks dropped" in said[0]
    assert (f"{ms:.0f} ms in all" if ms < 1000 else f"{ms / 1e3:.1f} s in all") in said[0]


def test_an_older_recordings_dropped_blocks_are_said_with_how_far_the_audio_after_them_is_early():
    note = audio_loss_note({"dropped_blocks": 3, "overflows": 0})
    assert note == ("audio lost while recording: 3 blocks dropped (the program fell behind); the lost audio is "
                    "not in the file, so the audio after it plays earlier than it happened, by up to 30 ms")
    assert audio_loss_note({"dropped_blocks": 0, "overflows": 0}) is None and audio_loss_note({}) is None
    assert "1 input overflow (the sound card's buffer overran), 20 ms in all" in \
        audio_loss_note({"dropped_blocks": 0, "overflows": 1, "lost_s": 0.02})


def test_input_lost_to_an_overflow_is_estimated_in_whole_blocks_from_the_blocks_arrival():
    assert lost_to_overflow(BLOCK, 1.000, 0.990, RATE) == 0            # on time: nothing lost
    assert lost_to_overflow(BLOCK, 1.000, 0.987, RATE) == 0            # 3 ms late: nothing lost
    assert lost_to_overflow(BLOCK, 1.000, 0.970, RATE) == 2 * BLOCK    # 30 ms since the last: two lost
    assert lost_to_overflow(BLOCK, 1.000, None, RATE) == 0


def test_the_audio_clock_counts_lost_samples_so_the_measured_rate_stays_right():
    # a card 50 ppm fast; one block in 50 is lost and stamped as silence, as AudioInput does
    true_hz, clock = RATE * (1 + 50e-6), AudioClock(RATE, 0.0)
    for k in range(int(20 * true_hz / BLOCK)):
        clock.stamp(BLOCK, (k + 1) * BLOCK / true_hz)
    assert abs(clock.rate_hz / true_hz - 1) < 5e-6
