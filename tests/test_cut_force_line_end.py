"""A finished session whose force.csv was cut short after at a line end (a copy broken off, a disk
error) leaves no torn line to tell of it: replay analysed the shorter file without a word (6
cycles) while ``library list`` showed the stored summary's (8). Replay now says in one line where
the file ends and where the session recorded it to, and analyses what is there; the library marks
the stored figures it lists for such a session (*) and says the same line."""

from __future__ import annotations

import json

from tests.conftest import gc
from tests.ui.review.conftest import cut_at_line_end, make_session


def _said(text: str, what: str) -> list[str]:
    return [ln for ln in text.splitlines() if what in ln]


def test_replay_says_where_a_force_file_cut_at_a_line_end_stops_and_goes_on(tmp_path):
    s = make_session(tmp_path / "ben", trainee="ben", cycles=8, seed=2)
    whole = gc("replay", s, "--format", "table")
    assert whole.returncode == 0 and "8 cycles" in whole.stdout.splitlines()[0]
    assert "ends at" not in whole.stdout + whole.stderr                   # (a whole file: nothing to say)
    end, recorded = cut_at_line_end(s)
    assert recorded - end > 4.0

    table = gc("replay", s, "--format", "table")
    assert table.returncode == 0 and "Traceback" not in table.stderr
    assert "6 cycles" in table.stdout.splitlines()[0]                      # (what is there, analysed)
    line = f"{s / 'force.csv'}: ends at {end:g} s while the session recorded {recorded:g} s"
    assert len(_said(table.stdout, line)) == 1, table.stdout
    assert "cut short after the recording" in _said(table.stdout, line)[0]
    assert "cut off" not in table.stdout                                   # (no torn line: none said)

    jl = gc("replay", s, "--format", "jsonl")
    assert jl.returncode == 0 and "Traceback" not in jl.stderr
    assert len(_said(jl.stderr, line)) == 1, jl.stderr
    summary = json.loads(jl.stdout.splitlines()[-1])
    assert summary["n_cycles"] == 6 and any(w.startswith(line) for w in summary["warnings"])


def test_library_marks_the_stored_figures_of_a_session_cut_at_a_line_end(tmp_path):
    root = tmp_path / "class"
    make_session(root / "ana", trainee="ana", created="2025-03-01T09:00:00", cycles=8, seed=1)
    make_session(root / "ben", trainee="ben", created="2025-03-02T09:00:00", cycles=8, seed=2)
    before = gc("library", "list", root)
    assert before.returncode == 0 and before.stderr == ""
    assert "*" not in before.stdout
    end, recorded = cut_at_line_end(root / "ben")

    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    head, ana, ben = r.stdout.splitlines()
    assert ben.split()[-3:] == ["8*", "0*", "ben"]                         # the recording's, as stored, marked
    assert ana.split()[-3:] == ["8", "0", "ana"]
    # (the columns kept: the digits one above the other, the marks under the headings' last letters)
    assert ana.index("8 ") == ben.index("8*") == head.index("cycles") + len("cycles") - 2
    assert ana.rindex("0 ") == ben.index("0*") == head.index("thrusts") + len("thrusts") - 2
    line = f"{root / 'ben' / 'force.csv'}: ends at {end:g} s while the session recorded {recorded:g} s"
    said = _said(r.stderr, line)
    assert len(said) == 1 and "(*)" in said[0] and len(r.stderr.splitlines()) == 1, r.stderr

    replayed = gc("replay", root / "ben", "--format", "jsonl")          # (the same line as replay's)
    assert line in replayed.stderr

    jl = gc("library", "list", root, "--format", "jsonl")
    assert [json.loads(x)["n_cycles"] for x in jl.stdout.splitlines()] == [8, 8]
    assert len(_said(jl.stderr, line)) == 1 and "(*)" not in jl.stderr


def test_the_mark_goes_once_the_force_file_is_whole_again(tmp_path):
    root = tmp_path / "class"
    ben = make_session(root / "ben", trainee="ben", cycles=8, seed=2)
    whole = (ben / "force.csv").read_bytes()
    cut_at_line_end(ben)
    assert "8*" in gc("library", "list", root).stdout
    (ben / "force.csv").write_bytes(whole)
    r = gc("library", "list", root)
    assert r.stdout.splitlines()[1].split()[-3:] == ["8", "0", "ben"] and r.stderr == "", r.stdout + r.stderr
    assert "ends at" not in gc("replay", ben, "--format", "table").stdout


def test_the_library_says_it_lists_what_is_left_when_it_analysed_a_cut_session_again(tmp_path):
    """Recalibrated since it was recorded, the session's stored events are not used: the library
    lists the shorter file's figures, analysed again, unmarked, and says so; it said they were the
    whole recording's, as stored."""
    root = tmp_path / "class"
    s = make_session(root / "ben", trainee="ben", cycles=8, seed=2)
    end, recorded = cut_at_line_end(s)
    meta = json.loads((s / "session.json").read_text())
    meta["r1_n"] = 41.0
    (s / "session.json").write_text(json.dumps(meta))

    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    _, ben = r.stdout.splitlines()
    assert ben.split()[-3:] == ["6", "0", "ben"] and "*" not in r.stdout
    line = f"{s / 'force.csv'}: ends at {end:g} s while the session recorded {recorded:g} s"
    said = _said(r.stderr, line)
    assert len(said) == 1 and "as stored" not in said[0] and "what the file holds" in said[0], r.stderr


def test_after_a_saved_re_analysis_replay_and_the_library_still_say_the_file_was_cut_short(tmp_path):
    """A re-analysis saved in the review (tests/ui/review/test_review_cut_short_save.py) stores
    the file's figures with its own spans and the recording's apart (``recorded_spans_s``):
    replay and ``library list`` read only the former, and said nothing of the cut any more."""
    root = tmp_path / "class"
    s = make_session(root / "ben", trainee="ben", cycles=8, seed=2)
    end, recorded = cut_at_line_end(s)
    lines = (s / "events.jsonl").read_text().splitlines()
    summary = json.loads(lines[-1])
    summary.update(n_cycles=6, spans_s={"force": [0.0, end]}, recorded_spans_s={"force": [0.0, recorded]})
    (s / "events.jsonl").write_text("\n".join(lines[:-1] + [json.dumps(summary)]) + "\n")
    line = f"{s / 'force.csv'}: ends at {end:g} s while the session recorded {recorded:g} s"

    r = gc("library", "list", root)
    assert r.returncode == 0, r.stderr
    _, ben = r.stdout.splitlines()
    assert ben.split()[-3:] == ["6", "0", "ben"] and "*" not in r.stdout     # (the file's figures, unmarked)
    said = _said(r.stderr, line)
    assert len(said) == 1 and "what the file holds" in said[0] and "as stored" not in said[0], r.stderr

    replayed = gc("replay", s, "--format", "table")
    assert replayed.returncode == 0 and len(_said(replayed.stdout, line)) == 1, replayed.stdout
