"""Two review stations commenting on one session at the same moment (two real processes, one
session folder): every comment a station says it saved is in session.json."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from .conftest import make_session

ROOT = Path(__file__).resolve().parents[3]
N = 40

# one station: the session opened, then, once the file named first exists, N comments added
# as the review window's Add comment adds them; prints how many it was told were saved
_STATION = """
import os, sys, time
from ui.review.data import add_comment, open_review
go, ready, folder, name, n = sys.argv[1:]
rs = open_review(folder)
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
saved, errors = 0, []
for i in range(int(n)):
    try:
        add_comment(rs, i * 0.1, f"{name} #{i}", author=name)
        saved += 1
    except Exception as e:
        errors.append(str(e))
print(saved, errors[:3])
"""


def test_comments_from_two_stations_at_once_are_all_kept(tmp_path):
    """22 of instructor A's 50 and 36 of B's 49 comments said saved were in session.json, and
    one save failed with 'cannot save (No such file or directory)': both wrote session.json.tmp."""
    folder = make_session(tmp_path / "ana", kinds=("III",), target="III")
    go = tmp_path / "go"
    names = ("instructorA", "instructorB")
    ps = [subprocess.Popen([sys.executable, "-c", _STATION, str(go), str(tmp_path / f"ready-{n}"), str(folder), n,
                            str(N)], cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
          for n in names]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{n}").exists() for n in names):
        assert time.monotonic() < deadline and all(p.poll() is None for p in ps)
        time.sleep(0.01)
    go.touch()
    told = [p.communicate(timeout=60) for p in ps]
    assert [p.returncode for p in ps] == [0, 0] and [e for _, e in told] == ["", ""]
    assert [o for o, _ in told] == [f"{N} []\n"] * 2
    comments = json.loads((folder / "session.json").read_text())["comments"]
    for n in names:
        assert sorted(c["text"] for c in comments if c["author"] == n) == sorted(f"{n} #{i}" for i in range(N))
    assert [c["t_s"] for c in comments] == sorted(c["t_s"] for c in comments)
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
