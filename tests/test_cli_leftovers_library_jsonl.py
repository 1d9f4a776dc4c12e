"""``library list --format jsonl``: one JSON object per session and line, with the table's
fields, for a script (a CI job, an instructor's spreadsheet) that had only the padded table to
cut apart. The table stays the default; ``rebuild``, which lists nothing, refuses the option."""

from __future__ import annotations

import json

from tests.conftest import gc
from tests.ui.review.conftest import make_session, tear


def test_one_object_per_session_in_the_tables_order(tmp_path):
    root = tmp_path / "sessions"
    make_session(root / "anon", trainee="", cycles=3, created="2025-03-01T09:00:00", seed=1)
    make_session(root / "chloe", trainee=" Chloe\u0301  Martin ", cycles=3, created="2025-03-02T10:00:00", seed=2)
    tear(make_session(root / "ana", trainee="Ana", cycles=3, created="2025-03-03T11:30:00", seed=3))
    table = gc("library", "list", root)
    r = gc("library", "list", root, "--format", "jsonl")
    assert r.returncode == 0 and r.stderr == table.stderr
    got = [json.loads(line) for line in r.stdout.splitlines()]
    # the figures Progress follows, for a script checking a trainee's progress
    figures = [{k: g.pop(k) for k in ("duration_s", "audio_s", "freq_cv_pct", "amplitude_cv_pct", "peak_mean_n", "peak_sd_n",
                                      "ttp_mean_ms", "ttp_sd_ms")} for g in got]
    assert all(f["duration_s"] > 1 and 0 < f["freq_cv_pct"] < 30 and 0 < f["amplitude_cv_pct"] < 30
               and f["peak_mean_n"] is None and f["ttp_mean_ms"] is None and f["audio_s"] is None
               for f in figures), figures
    shown = {"created": None, "trainee": None, "technique": "PA L4", "target": "III", "score_pct": 100.0,
             "n_cycles": 3, "n_imu_cycles": 0, "n_beyond_r2": 0, "n_thrusts": 0, "n_pops": None, "path": None,
             "finished": True, "stopped_early": None}
    # (trainee_typed: the name as typed at that recording, beside the trainee's one spelling)
    shown["trainee_typed"] = None
    assert got == [{**shown, "created": "2025-03-01T09:00:00", "path": "anon"},
                   {**shown, "created": "2025-03-02T10:00:00", "trainee": "Chlo\u00e9 Martin",
                    "trainee_typed": "Chlo\u00e9 Martin", "path": "chloe"},
                   {**shown, "created": "2025-03-03T11:30:00", "trainee": "Ana", "trainee_typed": "Ana", "path": "ana",
                    "finished": False}]
    rows = table.stdout.splitlines()[1:]                         # (the same sessions, in the same order)
    assert [row.split("  (unfinished")[0].split()[-1] for row in rows] == ["anon", "chloe", "ana"]
    assert all("100 %          0     –       3        0" in row for row in rows)


def test_only_list_takes_it(tmp_path):
    make_session(tmp_path / "ana", cycles=3)
    r = gc("library", "rebuild", tmp_path, "--format", "jsonl")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == ["gradecoach: error: --format jsonl: only 'list' prints the sessions; "
                                     "'rebuild' says how many it indexed"]
    assert not (tmp_path / "gradecoach-library.sqlite").exists()
