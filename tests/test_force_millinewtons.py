"""Forces in millinewtons: session.json's ``"force_units": "mN"`` is read (it was refused, "known:
N, kgf, kg, lbf, counts"), giving the grades of the same force in newtons, and the warning on
forces far beyond a hand's names the ways to say millinewtons (it named force_kgf and force_lbf
only, though force_mn is read)."""

from __future__ import annotations

import json

from tests.conftest import ROOT, gc

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"


def _in_mn(path):
    lines = LUMBAR.read_text().splitlines()
    path.write_text("t_s,force_n\n" + "".join(f"{t},{float(f) * 1000:.4f}\n" for t, f in
                                              (x.split(",") for x in lines[1:])))
    return path


def _grades(r):
    assert r.returncode == 0, r.stderr
    return [(e["grade"], e["modifier"]) for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "cycle"]


def test_a_session_in_millinewtons_is_read_as_newtons(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    _in_mn(folder / "force.csv")
    (folder / "session.json").write_text(json.dumps({"complete": True, "sensor": {"force_units": "mN"}}))
    got = gc("replay", folder, "--r1", "40", "--r2", "120", "--format", "jsonl")
    want = gc("replay", LUMBAR, "--r1", "40", "--r2", "120", "--format", "jsonl")
    assert _grades(got) == _grades(want) and len(_grades(got)) == 20
    assert "far beyond what hands give" not in got.stdout + got.stderr


def test_the_warning_names_force_mn_and_mN(tmp_path):
    r = gc("replay", _in_mn(tmp_path / "mn.csv"), "--r1", "40", "--r2", "120", "--format", "jsonl")
    said = [e["message"] for e in map(json.loads, r.stdout.splitlines()) if e["type"] == "warning"
            and "far beyond what hands give" in e["message"]]
    assert len(said) == 1
    assert 'force_units in session.json, "mN" for millinewtons, or force_mn, force_kgf, force_lbf' in said[0]
