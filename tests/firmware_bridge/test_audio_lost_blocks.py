"""Audio lost on the way (a full queue, a PortAudio input overflow) keeps its place on the
timeline, and a recording that lost audio says so on replay.

The capture runs PortAudio over ALSA's ``file`` PCM plugin (as in test_audio_capture.py), with a
named pipe as the plugin's infile: the plugin delivers what the test writes into the pipe and
waits for more, as a microphone delivers what it hears. So the reader falls behind by exactly as
much as the test says, whatever the load: it reads a few blocks, then leaves the queue full while
the test writes QUEUE + DROP more blocks, waits until the capture's own counter shows the DROP
blocks dropped, and then reads again, never more than 10 blocks behind. (With a plain file the
plugin runs as fast as the machine lets it: how much is dropped depends on the load, and past the
file's end it hands out stale buffer contents, not the file.)"""

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
from tests._cli_in_process import gc_here

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"
RATE = 48000
BLOCK = 480
QUEUE, LEAD, DROP, AFTER = 20, 10, 6, 100       # blocks: queue bound, read before, dropped, read after
FED = (LEAD + QUEUE + DROP + AFTER) * BLOCK      # samples written into the pipe, the timeline's length
HOLE = slice((LEAD + QUEUE) * BLOCK, (LEAD + QUEUE + DROP) * BLOCK)   # where the dropped blocks were

# Shared by both capture scripts: argv[1] the pipe, argv[2] the input (raw s16le).
FEED = textwrap.dedent(f"""
    import faulthandler, json, os, sys, time
    import numpy as np
    faulthandler.dump_traceback_later(100, exit=True)     # a stuck capture says where, before the test's timeout
    BLOCK, QUEUE, LEAD, DROP, AFTER = {BLOCK}, {QUEUE}, {LEAD}, {DROP}, {AFTER}
    # PortAudio reads the plugin 960 frames (1920 bytes) at a time here, and a pipe write of at
    # most 4096 bytes is read whole: written in pieces of 1920 bytes, no read gets part of a piece
    PIECE = 1920
    pipe = os.open(sys.argv[1], os.O_RDWR)    # a writer first, or ALSA's open of the infile waits for one
    x = np.fromfile(sys.argv[2], "<i2")
    fed = 0

    def put(samples):
        b = samples.astype("<i2").tobytes()
        assert len(b) % PIECE == 0
        for i in range(0, len(b), PIECE):
            os.write(pipe, b[i:i + PIECE])

    def feed(blocks):
        global fed
        assert fed + blocks * BLOCK <= len(x)
        put(x[fed:fed + blocks * BLOCK])
        fed += blocks * BLOCK

    def wait_until(cond, what, wait=lambda: time.sleep(0.001)):
        t = time.monotonic()
        while not cond():
            if time.monotonic() - t > 20:
                os.close(pipe)                              # (the stream stops only once its input ends)
                sys.exit(f"no {{what()}} 20 s after {{fed}} samples were fed")
            wait()

    def fall_behind_and_catch_up(mic, read_to):
        feed(LEAD)
        read_to(fed)                                        # kept up with
        feed(QUEUE + DROP)                                  # not read: QUEUE blocks queued, DROP dropped
        wait_until(lambda: mic.dropped_blocks >= DROP, lambda: "dropped blocks")
        read_to(fed - DROP * BLOCK)                         # the queue emptied before anything more comes
        for _ in range(AFTER // 10):                        # read again, never more than 10 blocks behind
            feed(10)
            read_to(fed)                                    # the timeline, the silence in it too

    def end_input():
        os.close(pipe)        # the plugin reads the end of its file, so the stream can be stopped
""")

CAPTURE = FEED + textwrap.dedent("""
    from firmware_bridge.audio import AudioInput
    mic = AudioInput("default", samplerate=48000, max_blocks=QUEUE).start()
    chunks = []

    def read_to(n):
        wait_until(lambda: sum(len(c) for c in chunks) >= n,
                   lambda: f"{n} samples read (dropped {mic.dropped_blocks})", lambda: chunks.extend(mic.read(1.0)))

    fall_behind_and_catch_up(mic, read_to)
    res = {"dropped": mic.dropped_blocks, "lost": mic.lost_frames, "lost_s": mic.lost_s, "overflows": mic.overflows,
           "chunks": [[c.seq0, len(c), float(c.t_s[0]), float(c.t_s[-1]),
                       (np.asarray(c.values) * 32768).round().astype(int).tolist(), bool(c.meta.get("lost"))]
                      for c in chunks]}
    end_input()
    mic.close()
    print(json.dumps(res))
""")

RECORD = FEED + textwrap.dedent("""
    from firmware_bridge.audio import AudioRecorder
    rec = AudioRecorder(sys.argv[3], "default", samplerate=48000, t0_host_s=time.monotonic(), max_blocks=QUEUE)
    # (the pipe delivers faster than real time, as no microphone does: the silence of the blocks
    # dropped is placed whole, as a live microphone's loss, which took that long, is)
    rec.mic.loss_within_time = False
    got = 0

    def read_to(n):
        def poll():
            global got
            got += sum(len(c) for c in rec.poll(1.0))
        wait_until(lambda: got >= n, lambda: f"{n} samples recorded ({got}; {rec.notice})", poll)

    fall_behind_and_catch_up(rec.mic, read_to)
    note, mic, frames = rec.loss_note(), rec.mic, rec.frames
    end_input()
    info = rec.close()                # with what came after the input's end (up to QUEUE blocks)
    print(json.dumps({"info": info, "note": note, "frames": frames, "frames_closed": rec.frames,
                      "silence": mic.lost_frames}))
""")

LONG = 60000        # blocks dropped in one go: 600 s of audio

HUGE = FEED + f"LONG = {LONG}\n" + textwrap.dedent("""
    from firmware_bridge.audio import AudioInput

    def peak_kb_now():       # this program's own peak (ru_maxrss keeps the test runner's across exec)
        return next(int(ln.split()[1]) for ln in open("/proc/self/status") if ln.startswith("VmHWM:"))
    mic = AudioInput("default", samplerate=48000, max_blocks=QUEUE).start()
    tone = np.full(1000 * BLOCK, 1000)
    put(tone[:QUEUE * BLOCK])                       # the queue filled and not read,
    for _ in range(LONG // 1000):                   # so all these are dropped
        put(tone)
    wait_until(lambda: mic.dropped_blocks >= LONG, lambda: "dropped blocks")
    peak_kb = peak_kb_now()
    n, reads, chunks = 0, [], []

    def read():
        global n
        got = mic.read(1.0)
        reads.append(sum(len(c) for c in got))
        for c in got:
            v = (np.asarray(c.values) * 32768).round()
            chunks.append([c.seq0, len(c), float(c.t_s[0]), float(c.t_s[-1]), float(v.min()), float(v.max())])
            n += len(c)

    wait_until(lambda: n >= QUEUE * BLOCK, lambda: "queued blocks", read)
    put(np.full(2 * BLOCK, 2000))                    # what came after the loss
    wait_until(lambda: n >= (QUEUE + LONG + 2) * BLOCK, lambda: "the timeline to the end", read)
    grew_mb = (peak_kb_now() - peak_kb) / 1024
    res = {"grew_mb": grew_mb, "lost": mic.lost_frames, "reads": reads, "chunks": chunks}
    end_input()
    mic.close()
    print(json.dumps(res))
""")


def _input(n: int) -> np.ndarray:
    """n samples of noise with no zero in it, so silence standing in for lost audio is told apart."""
    rng = np.random.default_rng(3)
    return (rng.integers(1, 20000, n) * rng.choice([-1, 1], n)).astype("<i2")


def _run(tmp_path, script, *args):
    x = _input(FED)
    raw, pipe = tmp_path / "in.raw", tmp_path / "in.pipe"
    x.tofile(raw)
    os.mkfifo(pipe)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / ".asoundrc").write_text(textwrap.dedent(f"""
        pcm.!default {{
            type asym
            playback.pcm {{ type null }}
            capture.pcm {{ type file slave.pcm null file "/dev/null" infile "{pipe}" format "raw" }}
        }}
    """))
    out = subprocess.run([sys.executable, "-c", script, str(pipe), str(raw), *map(str, args)],
                         env=dict(os.environ, HOME=str(home)), capture_output=True, text=True, timeout=150, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return x, json.loads(out.stdout.strip().splitlines()[-1])


def _heard(x: np.ndarray) -> np.ndarray:
    """What the reader should get: the input, with silence where the dropped blocks were."""
    y = x.astype(int)
    y[HOLE] = 0
    return y


def test_dropped_blocks_become_silence_in_their_place_and_later_audio_keeps_its_time(tmp_path):
    x, res = _run(tmp_path, CAPTURE)
    assert (res["dropped"], res["lost"], res["overflows"]) == (DROP, DROP * BLOCK, 0)
    assert res["lost_s"] == DROP * BLOCK / RATE
    want, t_first, pos, silent = _heard(x), res["chunks"][0][2], 0, []
    for seq0, n, t0, t1, v, lost in res["chunks"]:
        assert seq0 == pos                                   # one timeline, nothing left out of it
        pos += n
        # each chunk holds the input at its place on the timeline, or the silence of what was lost there
        assert v == want[seq0:seq0 + n].tolist(), (seq0, n)
        if not any(v):
            silent.append((seq0, n))
        assert lost == (not any(v))                          # marked as standing in for lost audio
        # stamped where it happened: the samples before it, lost ones too, at 48 kHz
        assert abs(t0 - t_first - seq0 / RATE) < 1e-6 and abs(t1 - t_first - (seq0 + n - 1) / RATE) < 1e-6
    assert pos == FED
    assert silent == [(HOLE.start, DROP * BLOCK)]            # one chunk of silence, where the blocks were dropped


def test_a_recordings_lost_audio_is_silence_in_its_file_said_in_session_json_and_on_replay(tmp_path):
    folder = tmp_path / "session"
    folder.mkdir()
    x, res = _run(tmp_path, RECORD, folder)
    info = res["info"]
    assert res["frames"] == FED and res["silence"] == DROP * BLOCK
    assert res["note"] == (f"audio lost while recording: {DROP} blocks dropped (the program fell behind), "
                           f"{1e3 * DROP * BLOCK / RATE:.0f} ms in all; silence stands in its place, so the "
                           f"later audio stays in time, but no pop could be heard there")
    rec, fs = sf.read(folder / "audio.flac", dtype="int16")
    assert fs == RATE and len(rec) == res["frames_closed"]
    assert (rec[:FED] == _heard(x)).all()                    # the input, with silence in place of what was lost
    # after the input's end the plugin gives stale data, and blocks queued then are dropped when
    # the reader stops reading: at most QUEUE blocks more, and counted
    assert FED <= len(rec) <= FED + QUEUE * BLOCK
    assert info["dropped_blocks"] >= DROP and info["lost_s"] >= DROP * BLOCK / RATE
    # where the silence lies on the timeline: the first span is the dropped blocks' (any after
    # the input's end are the queue's, dropped as the reader stopped)
    (a, b), *_ = info["lost_at_s"]
    t0 = info["t0_s"]
    assert abs(a - t0 - HOLE.start / RATE) < 1e-5 and abs(b - t0 - HOLE.stop / RATE) < 1e-5

    # replayed beside a force recording, it is said once, with how many and how long
    shutil.copy(FIX / "thrust_pops.csv", folder / "force.csv")
    (folder / "session.json").write_text(json.dumps({
        "schema_version": 1, "created": "2026-11-30T10:00:00+0000", "trainee": "", "technique": "",
        "target": None, "r1_n": 40.0, "r2_n": 120.0, "alpha": 0.5, "complete": True, "gaps": [],
        "streams": {"force": {"file": "force.csv", "rate_hz": 1000.0}, "audio": info}}))
    r = gc_here("replay", folder, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    said = [s for s in r.stderr.splitlines() if "audio lost while recording" in s]
    assert len(said) == 1
    ms = 1e3 * info["lost_s"]
    assert f"{info['dropped_blocks']} blocks dropped" in said[0]
    assert (f"{ms:.0f} ms in all" if ms < 1000 else f"{ms / 1e3:.1f} s in all") in said[0]

    # the same sound placed so that its lost blocks fall 24 ms before the fixture's fourth thrust's
    # peak (17.874 s, no pop in its own sound; this sound is noise): its pops are unknown, not
    # "no pop" (the thrusts outside this 1.4 s of sound are unknown anyway)
    shift = 17.85 - a
    moved = {**info, "t0_s": t0 + shift, "lost_at_s": [[p + shift, q + shift] for p, q in info["lost_at_s"]]}
    meta = json.loads((folder / "session.json").read_text())
    meta["streams"]["audio"] = moved
    (folder / "session.json").write_text(json.dumps(meta))
    r = gc_here("replay", folder, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    [summary] = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "summary"]
    assert [t["pops"] for t in summary["thrusts"]] == [None] * 6
    # ... as it read "no pop" where session.json does not say where the audio was lost
    del moved["lost_at_s"]
    (folder / "session.json").write_text(json.dumps(meta))
    r = gc_here("replay", folder, "--format", "jsonl")
    [summary] = [e for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "summary"]
    assert [t["pops"] for t in summary["thrusts"]] == [None, None, None, 0, None, None]


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


def test_a_long_loss_comes_as_silence_over_several_reads_without_taking_gigabytes(tmp_path):
    # 600 s dropped while the reader stood still (a laptop that sleeps an hour flags an overflow
    # of an hour): handed out in pieces, 10 s a read, not as one chunk of 28.8 million samples
    _, res = _run(tmp_path, HUGE)
    assert res["lost"] == LONG * BLOCK
    assert res["grew_mb"] < 100, res["grew_mb"]                   # it took 548 MB more, in one read
    assert max(res["reads"]) <= QUEUE * BLOCK + 10 * RATE
    t_first, pos = res["chunks"][0][2], 0
    for seq0, n, t0, t1, lo, hi in res["chunks"]:
        assert seq0 == pos and n <= 10 * RATE
        pos += n
        at = (QUEUE * BLOCK <= seq0 < (QUEUE + LONG) * BLOCK, seq0 >= (QUEUE + LONG) * BLOCK)
        assert (lo, hi) == ((0, 0) if at[0] else (2000, 2000) if at[1] else (1000, 1000)), (seq0, n)
        assert abs(t0 - t_first - seq0 / RATE) < 1e-6 and abs(t1 - t_first - (seq0 + n - 1) / RATE) < 1e-6
    assert pos == (QUEUE + LONG + 2) * BLOCK
