"""The trainer's window leaves Python's cycle collector little to go through. A full collection
(the window's collector timer makes one every few minutes) holds the interpreter, and the
acquisition thread's analysis with it, for as long as it takes to go through every object in its
sight: with the modules and Qt's wrappers of the opened window in its sight, 57-61 ms
(benchmarks/bench_frame_cost.py); with them frozen when the window takes the collector over, a
few milliseconds. Garbage left before the window opened is still collected, not kept for good.

Run in a fresh interpreter, as the trainer runs: in the test process the objects of the tests
before would be counted."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent("""
    import gc, os, sys, weakref
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from analysis.scheme import GradingScheme
    from analysis.thrust import ThrustScheme
    from firmware_bridge.replay import iter_chunks, load_input
    from ui.trainer.app import ensure_app
    from ui.trainer.engine import Engine
    from ui.trainer.window import TrainerWindow

    class Junk:
        pass

    ensure_app()
    junk = Junk()
    junk.me = junk                               # a garbage cycle left before the window opens
    gone = []
    ref = weakref.ref(junk, lambda _: gone.append(True))
    del junk
    before = len(gc.get_objects())
    eng = Engine(GradingScheme(40.0, 120.0), ThrustScheme(), clock=lambda: 0.0)
    win = TrainerWindow(eng, start_timer=False)
    win.show()
    fix = Path(sys.argv[1]) / "fixtures" / "thrust_pops.csv"
    for ch in iter_chunks(load_input(fix, audio=fix.with_suffix(".flac")), 0.05):
        eng.feed(ch)
        if ch.stream == "force":
            win.refresh()
            QApplication.processEvents()
    gc.collect()
    print(before, len(gc.get_objects()), bool(gone), ref() is None)
""")


def test_a_full_collection_goes_through_few_objects_once_the_trainer_is_open():
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True, text=True,
                         timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    before, after, collected, freed = out.stdout.split()
    # (the modules and Qt's wrappers the window needs: over 100,000 objects in sight before)
    assert int(before) > 50_000
    # after a session's worth of frames, a tenth of that or less (about 7,500 here)
    assert int(after) < int(before) / 10
    assert collected == "True" and freed == "True"
