"""What reading a played recording found is said naming the file once: ``record --device
file:x.csv`` said "file:x.csv: x.csv: 46 samples lost …" (the spec, then replay's own words, which
name the file), and of a session folder "file:anna: anna: unfinished (still recording, or cut off) …"."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from firmware_bridge.session import SessionMeta, SessionWriter, read_force_csv
from tests._cli_in_process import gc_here

ROOT = Path(__file__).resolve().parents[2]


def _record(tmp_path: Path, spec: str) -> list[str]:
    r = gc_here("record", "--device", spec, "--out", tmp_path / "rec", "--duration", "0.3", "--quiet")
    assert r.returncode == 0, r.stderr
    return r.stderr.splitlines()


def test_a_csv_with_holes_is_named_once(tmp_path):
    t = np.arange(0, 4, 1 / 500)
    keep = np.ones(len(t), bool)
    keep[1000:1005] = False                               # 5 samples lost at 2.00 s, no gap marked
    path = tmp_path / "export.csv"
    path.write_text("t_s,force_n\n" + "".join(f"{a:.6f},{60 + 30 * np.sin(3 * a):.3f}\n" for a in t[keep]))
    said = [ln for ln in _record(tmp_path, f"file:{path}") if "lost in" in ln]
    assert said == [f"file:{path}: 5 samples lost in 1 gap (its times skip them, at 500 samples a second; "
                    f"the first at 2.00 s)"]


def test_a_session_folder_is_named_once(tmp_path):
    folder = tmp_path / "anna"
    sd = read_force_csv(ROOT / "fixtures" / "demo_mixed.csv")
    w = SessionWriter(folder, SessionMeta(trainee="anna"))
    w.append_force(sd.t_s[:2000], sd.values[:2000])
    w.close(sd.rate_hz)
    m = json.loads((folder / "session.json").read_text())
    m["complete"] = False                                  # (its recorder was killed)
    (folder / "session.json").write_text(json.dumps(m))
    said = [ln for ln in _record(tmp_path, f"file:{folder}") if "unfinished" in ln]
    assert said == [f"file:{folder}: unfinished (still recording, or cut off); showing what was saved"]
