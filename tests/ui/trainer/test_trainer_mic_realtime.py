"""The microphone turned off and on again (key A) while the trainer records, with a real capture:
audio.flac holds each sound the trainer had at its time on the force's timeline, and silence
for the seconds the microphone was off.

Real parts: the trainer window on the emulator in real time, its acquisition thread, PortAudio
capturing through ALSA's ``file`` plugin from a named pipe filled in real time (in a subprocess
with its own HOME, as PortAudio reads the ALSA configuration when it starts).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from firmware_bridge.session import open_session

from ._real_capture import RATE, TAP_AUDIO, run_with_real_capture

# force times (s): A (on), Space (record), A (off), A (on), Space (stop)
STEPS = (0.3, 0.8, 2.5, 4.5, 6.0)

SCRIPT = TAP_AUDIO + textwrap.dedent("""
    import json, sys, time
    from firmware_bridge.sources import open_source
    from ui.trainer.app import ensure_app
    from ui.trainer.acquisition import AcquisitionWorker
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow

    steps, root, fed_path = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
    ensure_app()
    eng = Engine()
    src = open_source("emulator:hvla")                # in real time, on the host's clock
    worker = AcquisitionWorker(src, eng, read_timeout_s=0.005)
    win = TrainerWindow(eng, worker, start_timer=False, record_root=root)
    save_fed = tap_audio(eng)
    worker.start()
    deadline = time.monotonic() + 60                  # a bound for a broken machine, not a wait
    def force_at(t):
        while (eng.force.last_t or 0.0) < t and time.monotonic() < deadline:
            time.sleep(0.01)
    a = win.actions_by_name["toggle_microphone"]
    force_at(steps[0]); a.trigger()
    force_at(steps[1]); folder = win.start_recording()
    force_at(steps[2]); a.trigger()
    force_at(steps[3]); a.trigger()
    force_at(steps[4]); win.stop_recording()
    worker.stop()
    win.refresh()
    save_fed(fed_path)
    print(json.dumps({"folder": str(folder), "off": eng.disabled, "error": eng.error,
                      "status": win.statusBar().currentMessage()}))
""")


def test_microphone_off_and_on_while_recording_with_a_real_capture(tmp_path):
    fed_path = tmp_path / "fed.npz"
    r, stderr = run_with_real_capture(tmp_path, SCRIPT, json.dumps(STEPS), str(tmp_path / "rec"), str(fed_path),
                                      seconds=40, seed=11)
    assert "Traceback" not in stderr
    assert r["error"] is None and not r["off"]
    folder = Path(r["folder"])
    ses = open_session(folder)
    t0 = ses.meta.extra["source_t0_s"]
    entry = ses.meta.streams["audio"]
    kept, rate = sf.read(str(folder / "audio.flac"), dtype="float32")
    assert rate == RATE
    fed = np.load(fed_path)
    t_rec = fed["t"] - t0
    inside = fed["rec"] & (t_rec >= entry["t0_s"] - 0.5 / RATE)
    # each sample the trainer had while recording lies in the file at its time on the timeline
    # (the sound after the microphone came back was written straight after the sound before it,
    # two seconds early)
    at = np.round((t_rec[inside] - entry["t0_s"]) * RATE).astype(int)
    v = fed["v"][inside]
    assert at.min() == 0 and at.max() < len(kept) + 1
    # (the second stream's first stamp lies between two of the file's samples: it is written at
    # the nearer, which rounding its stamp here may put one sample off)
    restart = int(np.flatnonzero(np.diff(at) > 1)[0]) + 1
    for seg in (slice(0, restart), slice(restart, None)):
        shifts = [d for d in (0, -1, 1) if at[seg].max() + d < len(kept) and np.array_equal(kept[at[seg] + d], v[seg])]
        assert shifts, (seg, at[seg][:3])
    # ... and silence where the microphone was off (a second in the middle of those two)
    off = slice(int((STEPS[2] + 0.5 - t0 - entry["t0_s"]) * RATE), int((STEPS[3] - 0.5 - t0 - entry["t0_s"]) * RATE))
    assert not kept[off].any()
    assert entry.get("rate_measured_hz", RATE) == pytest.approx(RATE, rel=0.01)
