"""A session folder's force.csv with its force in another unit than N named in its header
(``force_kgf``) was refused as "header lacks column 'force_n' (found force_kgf: unknown units?)",
though the same file alone is read. Its units are session.json's ``force_units`` (a header's unit
beside them would say it twice, or differently): the message now says what a session's force.csv
takes, and doing so gives the events of the file read alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from firmware_bridge.session import KNOWN_FORCE_UNITS, read_force_csv
from ui.cli import main

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def _folder(d: Path, column: str, per_n: float, sensor: dict | None = None) -> Path:
    f = read_force_csv(FIX / "thrust_letup.csv")
    d.mkdir()
    (d / "force.csv").write_text(f"t_s,{column}\n" + "".join(f"{t:.6f},{v * per_n:.9g}\n" for t, v in zip(f.t_s, f.values)))
    (d / "session.json").write_text(json.dumps({"complete": True, **({"sensor": sensor} if sensor else {})}))
    return d


def _events(path) -> list[dict]:
    return [e.to_dict() for e in analyze_input(load_input(path), GradingScheme(40.0, 120.0))
            if e.to_dict()["type"] != "warning"]


@pytest.mark.parametrize("column, per_n, fix", [
    ("force_kgf", 1 / KNOWN_FORCE_UNITS["kgf"], 'name the column force_n and set force_units to "kgf"'),
    ("Weight (lb)", 1 / KNOWN_FORCE_UNITS["lbf"], 'name the column force_n and set force_units to "lbf"'),
    ("force_kn", 1e-3, "give the force in N under force_n"),
    ("force_mn", 1e3, 'name the column force_n and set force_units to "mN"'),
])
def test_a_sessions_force_in_another_unit_says_what_its_force_csv_takes(tmp_path, capsys, column, per_n, fix):
    folder = _folder(tmp_path / "s", column, per_n)
    assert main(["replay", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{folder / 'force.csv'}:1: header lacks column 'force_n'" in err
    assert (f"(found {column!r}: a session's force.csv gives its force as force_n, in the units its session.json's "
            f"\"sensor\": {{\"force_units\": ...}} names (N, mN, kgf, kg or lbf); {fix}, or replay the file alone, as a "
            f"bare CSV, which reads {column!r})") in err
    assert "unknown units" not in err
    # the file alone is read, and gives the events of the fixture
    alone = _events(folder / "force.csv")
    assert [e["type"] for e in alone] == [e["type"] for e in _events(FIX / "thrust_letup.csv")]


def test_doing_as_said_gives_the_events_of_the_file_read_alone(tmp_path):
    said = _folder(tmp_path / "kgf", "force_kgf", 1 / KNOWN_FORCE_UNITS["kgf"])
    done = _folder(tmp_path / "done", "force_n", 1 / KNOWN_FORCE_UNITS["kgf"], {"force_units": "kgf"})
    got, want = _events(done), _events(said / "force.csv")
    assert [e["type"] for e in got] == [e["type"] for e in want] and "thrust" in [e["type"] for e in got]
    for g, w in zip(got, want):
        for k, v in w.items():
            if isinstance(v, float):
                assert g[k] == pytest.approx(v, rel=1e-6, abs=1e-6), k
