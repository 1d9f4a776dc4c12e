"""The benchmark helper that joins short spoken clips into one file per folder: folders of the
same name (a game's lines in fdto/cs and gods/cs) each get a file of their own; the second was
written over the first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent


def test_folders_of_the_same_name_each_keep_their_clips(tmp_path):
    lengths = {}
    for scene, n in (("fdto", 3), ("gods", 2)):
        d = tmp_path / "data" / scene / "cs"
        d.mkdir(parents=True)
        for i in range(n):
            sf.write(str(d / f"line{i}.wav"), np.full(22050, 0.1, np.float32), 22050)
        lengths[f"{scene}_cs.wav"] = n * 48000
    out = tmp_path / "joined"
    r = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "join_clips.py"), str(out),
                        str(tmp_path / "data" / "fdto" / "cs"), str(tmp_path / "data" / "gods" / "cs")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(lengths)
    for name, n in lengths.items():
        assert sf.info(str(out / name)).frames == n
