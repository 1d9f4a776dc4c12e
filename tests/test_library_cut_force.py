"""``library list`` notes a session whose session.json says it finished but whose force.csv was
cut short after (its last line torn: a copy or a disk error), as replay warns of it ("last line
cut off (no line end …)"); a file cut at a line end, of which replay says nothing, has no note."""

from __future__ import annotations

import json

from tests.conftest import gc
from tests.ui.review.conftest import make_session

CUT = "(cut off: force.csv's last line has no line end)"


def _cut(folder, keep=0.6, torn=True):
    """``folder``'s force.csv cut to ``keep`` of its bytes: mid-line (``torn``) or at a line end."""
    fp = folder / "force.csv"
    raw = fp.read_bytes()
    raw = raw[:int(len(raw) * keep)]
    fp.write_bytes(raw if torn else raw[:raw.rindex(b"\n") + 1])
    assert json.loads((folder / "session.json").read_text())["complete"] is True
    return folder


def _rows(out: str) -> dict[str, str]:
    """``library list``'s rows by their session's folder (one word here)."""
    return {ln.split("  ")[-1].split()[0] if "  (" not in ln else ln.split("  (")[0].split()[-1]: ln
            for ln in out.splitlines()[1:]}


def test_a_finished_session_with_a_torn_force_file_is_noted_as_replay_warns(tmp_path):
    root = tmp_path / "class"
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=4, seed=1)
    _cut(make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=4, seed=2))
    _cut(make_session(root / "cleo", trainee="cleo", created="2025-03-03T09:00:00", cycles=4, seed=3), torn=False)

    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    rows = _rows(r.stdout)
    assert rows["ana"].endswith("  ana") and rows["cleo"].endswith("  cleo")
    assert rows["ben"].endswith(f"  ben  {CUT}")

    said = gc("replay", root / "ben")
    assert "force.csv:" in said.stdout + said.stderr
    assert "last line cut off (no line end" in said.stdout + said.stderr
    clean = gc("replay", root / "cleo")
    assert "cut off" not in clean.stdout + clean.stderr       # (nothing to say: no note either)

    jl = gc("library", "list", root, "--format", "jsonl")
    assert {d["path"]: d["finished"] for d in map(json.loads, jl.stdout.splitlines())} == \
        {"ana": True, "ben": False, "cleo": True}


def test_the_note_goes_once_the_last_line_is_ended_again(tmp_path):
    root = tmp_path / "class"
    ben = _cut(make_session(root / "ben", trainee="ben", cycles=4, seed=2))
    r = gc("library", "list", root)
    assert r.stdout.splitlines()[1].endswith(f"  ben  {CUT}")
    fp = ben / "force.csv"
    fp.write_bytes(fp.read_bytes() + b"\n")                  # its last line ended again
    r = gc("library", "list", root)
    assert r.stdout.splitlines()[1].endswith("  ben"), r.stdout
