"""``gradecoach record --device file:x.csv`` with ``x.flac`` beside a CSV whose times start at
100 s (a device's clock, ``simulate --t0 100``) said to analyse them together with
``gradecoach replay x.csv --audio x.flac``, leaving out the ``--audio-start 100`` replay gives for
the same file: followed, the sound lay 100 s early and every pop was unknown. It gives replay's
command now."""

from __future__ import annotations

import numpy as np
import soundfile as sf

from tests._cli_in_process import gc_in_process

TOGETHER = "to analyse them together: "


def test_record_gives_the_command_replay_gives_for_a_csv_on_a_later_clock(tmp_path, capfd, monkeypatch):
    from firmware_bridge import sources

    # played fifty times faster than real time: what is said on opening does not hang on the pace
    monkeypatch.setitem(sources.SOURCES, "file", lambda rest: sources.FileSource(rest, speed=50.0))
    t = 100.0 + np.arange(0.0, 0.5, 0.002)
    np.savetxt(tmp_path / "x.csv", np.column_stack([t, 60 + 8 * np.sin(4 * np.pi * t)]), fmt=("%.6f", "%.4f"),
               delimiter=",", header="t_s,force_n", comments="")
    sf.write(str(tmp_path / "x.flac"), np.zeros(8000, dtype="float32"), 16000)
    rec = gc_in_process(capfd, "record", "--device", "file:x.csv", "--out", "r", "--quiet", "--r1", 40, "--r2", 120,
                        cwd=tmp_path)
    assert rec.returncode == 0, rec.stderr
    rep = gc_in_process(capfd, "replay", "x.csv", "--r1", 40, "--r2", 120, "--format", "jsonl", cwd=tmp_path)
    said = [x.split(TOGETHER, 1)[1] for x in rec.stderr.splitlines() if TOGETHER in x]
    replay_said = [x.split(TOGETHER, 1)[1] for x in rep.stderr.splitlines() if TOGETHER in x]
    assert len(said) == 1 and "--audio-start 100 " in said[0], rec.stderr
    assert said == replay_said, (rec.stderr, rep.stderr)
