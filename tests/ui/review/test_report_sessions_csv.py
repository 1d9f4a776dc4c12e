"""report --sessions-csv writes one row a recording, for a term's spreadsheet to sum by trainee:
the trainee as the overview spells them, date, target, score, cycles, thrusts, thrusts on
target, let-ups, pops (all, and those with a thrust), duration and how many warnings. A later
run replaces it; one edited since (an examiner's column of marks) is kept, as the events CSV is."""

from __future__ import annotations

import csv
import json

from ui.cli import main

from .conftest import make_session


def _events(folder):
    return [json.loads(x) for x in (folder / "events.jsonl").read_text().splitlines() if x.strip()]


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_one_row_a_session(tmp_path, capsys):
    root = tmp_path / "class"
    ana = make_session(root / "ana-v", trainee="Ana Kowalska", created="2026-12-02T09:00:00", kinds=("V", "V"),
                       target="V", seed=1, audio=True)
    make_session(root / "ana-osc", trainee="ana  kowalska", created="2026-12-01T09:00:00",
                 kinds=("III",), target="III", seed=3)
    make_session(root / "bo-v", trainee="Bo", created="2026-12-02T10:00:00", kinds=("V",), target="V", seed=2)
    out, sessions = tmp_path / "r.html", tmp_path / "sessions.csv"
    assert main(["report", "--class", str(root), "-o", str(out), "--sessions-csv", str(sessions)]) == 0
    assert capsys.readouterr().out.strip().endswith(f"and {sessions} (3 sessions)")
    assert sessions.read_bytes().startswith(b"\xef\xbb\xbfrecording,name,trainee,date,target,score_pct,")
    rows = {r["name"]: r for r in _rows(sessions)}
    assert list(rows) == ["ana-osc", "ana-v", "bo-v"]             # (as the overview orders them)
    assert {r["trainee"] for n, r in rows.items() if n.startswith("ana")} == {"Ana Kowalska"}
    events = _events(ana)
    thrusts = [e for e in events if e["type"] == "thrust"]
    v = rows["ana-v"]
    assert v["date"] == "2026-12-02 09:00:00" and v["target"] == "V"
    assert int(v["n_thrusts"]) == len(thrusts) and v["n_cycles"] == "0"
    assert int(v["letups"]) == sum(bool(e["letup"]) for e in thrusts)
    assert int(v["pops"]) == sum(e["type"] == "cavitation" for e in events)     # (all heard, as the page)
    assert int(v["pops_with_thrust"]) == sum(e["type"] == "cavitation" and e.get("thrust") is not None
                                             for e in events)
    assert 0 <= int(v["thrusts_on_target"]) <= len(thrusts)
    assert float(v["score_pct"]) == 100.0 * int(v["thrusts_on_target"]) / len(thrusts)
    assert float(v["duration_s"]) > 0 and v["warnings"] == "0"
    assert rows["bo-v"]["pops"] == rows["bo-v"]["pops_with_thrust"] == ""    # (no sound recorded: unknown)
    osc = rows["ana-osc"]
    assert int(osc["n_cycles"]) > 0 and osc["n_thrusts"] == "0"
    assert osc["letups"] == osc["pops"] == osc["thrusts_on_target"] == ""

    # a later run replaces it; one edited since is kept
    assert main(["report", "--class", str(root), "-o", str(out), "--sessions-csv", str(sessions)]) == 0
    text = sessions.read_text(encoding="utf-8-sig").splitlines()
    sessions.write_text("\n".join([text[0] + ",examiner_mark"] + [ln + ",7" for ln in text[1:]]) + "\n",
                        encoding="utf-8")
    kept = sessions.read_bytes()
    capsys.readouterr()
    assert main(["report", "--class", str(root), "-o", str(out), "--sessions-csv", str(sessions)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"gradecoach: error: --sessions-csv {sessions}: that is a sessions CSV changed since gradecoach "
                   f"wrote it (a column examiner_mark); choose another file, the file is kept as it is"]
    assert sessions.read_bytes() == kept
