"""A session folder whose force.csv has holes in its times no gap marks (a CSV another tool exported
across a Bluetooth dropout, put in a folder as force.csv) has them counted and marked as the same
file replayed alone has: the analysis bridged them silently, with no gap and no warning. A
recording whose session.json marks its gaps (``record`` of a lossy device) has each marked once,
and no second warning of them."""

from __future__ import annotations

import json

import numpy as np

from ui.cli import main

RATE_HZ = 500.0
HOLES = ((1000, 1), (2500, 5), (4000, 40))        # (first sample lost, samples lost)


def _folder(tmp_path, meta: dict | None):
    """A folder with 10 s of force at 500 Hz, :data:`HOLES` cut out of it, and ``meta`` as its
    session.json (none when None); the times either side of each hole."""
    t = np.arange(0, 10, 1 / RATE_HZ)
    keep = np.ones(len(t), bool)
    for a, n in HOLES:
        keep[a:a + n] = False
    sides = [(round(float(t[a - 1]), 6), round(float(t[a + n]), 6)) for a, n in HOLES]
    f = tmp_path / "lea-1"
    f.mkdir()
    y = 60 + 30 * np.sin(2 * np.pi * 1.5 * t)
    (f / "force.csv").write_text("t_s,force_n\n" + "".join(f"{a:.6f},{b:.3f}\n" for a, b in zip(t[keep], y[keep])))
    if meta is not None:
        (f / "session.json").write_text(json.dumps(meta))
    return f, sides


def _replayed(tmp_path, path, capsys) -> tuple[list[dict], str]:
    out = tmp_path / "r.jsonl"
    assert main(["replay", str(path), "--format", "jsonl", "-o", str(out), "--r1", "40", "--r2", "120"]) == 0
    return [json.loads(x) for x in out.read_text().splitlines()], capsys.readouterr().err


def test_a_folders_force_csv_has_its_holes_marked_as_the_file_alone(tmp_path, capsys):
    folder, sides = _folder(tmp_path, {"schema_version": 1, "trainee": "Lea", "complete": True})
    events, err = _replayed(tmp_path, folder, capsys)
    said = (f"{folder / 'force.csv'}: 46 samples lost in 3 gaps (its times skip them, at 500 samples a second; "
            f"the first at {sides[0][0]:.2f} s)")
    assert f"gradecoach: warning: {said}" in err.splitlines()
    assert said in [e["message"] for e in events if e["type"] == "warning"]
    assert [(round(e["t_start"], 6), round(e["t_end"], 6), e["reason"]) for e in events if e["type"] == "gap"] == \
        [(a, b, "dropped samples") for a, b in sides]
    # and without its session.json
    (folder / "session.json").unlink()
    events, err = _replayed(tmp_path, folder, capsys)
    assert said in err and len([e for e in events if e["type"] == "gap"]) == 3


def test_a_recordings_marked_gaps_are_not_counted_twice(tmp_path, capsys):
    meta = {"schema_version": 1, "trainee": "Lea", "complete": True, "streams": {"force": {"file": "force.csv",
            "rate_hz": RATE_HZ}}, "extra": {"source_warnings": ["file:x.csv: 46 samples lost in 3 gaps"]}}
    folder, sides = _folder(tmp_path, meta)
    # the recorder marks the two first; the last it did not (a device whose loss it was not told of)
    meta["gaps"] = [{"t_start": a, "t_end": b, "reason": "dropped samples"} for a, b in sides[:2]]
    (folder / "session.json").write_text(json.dumps(meta))
    events, err = _replayed(tmp_path, folder, capsys)
    assert [(round(e["t_start"], 6), round(e["t_end"], 6)) for e in events if e["type"] == "gap"] == sides
    assert f"{folder / 'force.csv'}: 40 samples lost in 1 gap" in err
    assert err.count("samples lost") == 2                     # the recording's own line, and the one not marked
