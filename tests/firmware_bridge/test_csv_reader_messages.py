"""Messages about a recording's files show what was found there, in one line naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.errors import InputError
from firmware_bridge.session import SessionMeta, open_session, read_force_csv

ROOT = Path(__file__).resolve().parents[2]
ROWS = "".join(f"{i / 100},{i}\n" for i in range(200))


@pytest.mark.parametrize("header, said", [
    ("Zeit,Kraft", "header lacks column 't_s'; expected t_s,force_n, found 'Zeit,Kraft'"),
    ("t_s;force", "header lacks column 'force_n' (found force with no unit: name it force_n, force_kgf, force_kg, "
                  "force_lbf, 'force (N)' or 'weight (g)'); expected t_s,force_n, found 't_s;force'"),
    ("0.0,1.5", "missing header; expected t_s,force_n, found '0.0,1.5'"),
])
def test_a_header_error_quotes_the_header_found(tmp_path, header, said):
    p = tmp_path / "x.csv"
    p.write_text(header + "\n" + ROWS)
    r = subprocess.run([sys.executable, "-m", "ui.cli", "replay", str(p)], cwd=ROOT, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 2 and r.stderr == f"gradecoach: error: {p}:1: {said}\n"


def test_a_non_numeric_cell_is_shown(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("t_s,force_n\n" + ROWS.replace("0.5,50\n", "0.5,5O\n").replace("1.5,150\n",
                                                                                "1.5,a very long note of the day\n"))
    d = read_force_csv(p)
    assert d.problems == [f"{p}:52: non-numeric cell '5O'", f"{p}:152: non-numeric cell 'a very long note ...'"]


def _session(tmp_path, meta: dict, files=("force.csv",)) -> Path:
    s = tmp_path / "s"
    s.mkdir()
    (s / "session.json").write_text(json.dumps({"complete": True, **meta}))
    for f in files:
        (s / f).write_text("t_s,force_n\n" + ROWS)
    return s


def test_a_stream_file_session_json_names_that_is_missing_is_named(tmp_path):
    s = _session(tmp_path, {"streams": {"force": {"file": "force_left.csv"}}}, files=())
    with pytest.raises(InputError) as e:           # was: "no force.csv, imu.csv or audio file in this session folder"
        open_session(s)
    assert str(e.value) == f"{s / 'force_left.csv'}: no such force file (session.json lists it)"


def test_a_missing_stream_file_beside_a_readable_one_is_a_warning(tmp_path):
    s = _session(tmp_path, {"streams": {"force": {"file": "force.csv"}, "imu": {"file": "imu.csv"}}})
    got = open_session(s)
    assert len(got.force.t_s) == 200 and got.imu is None
    assert got.warnings == [f"{s / 'imu.csv'}: no such imu file (session.json lists it)"]


def test_a_schema_version_written_as_text_is_read_with_a_warning(tmp_path):
    s = _session(tmp_path, {"schema_version": "1"})
    got = open_session(s)                          # was: "schema_version '1' is newer than this gradecoach reads (1)"
    assert got.meta.schema_version == 1 and len(got.force.t_s) == 200
    assert got.warnings == [f"{s / 'session.json'}: schema_version '1' is text, not a number; read as 1"]


@pytest.mark.parametrize("v, said", [
    ("one", "schema_version 'one' is not a version number; this gradecoach reads 1"),
    (True, "schema_version 'True' is not a version number; this gradecoach reads 1"),
    (0, "schema_version 0 is not a version number; this gradecoach reads 1"),
    (2, "schema_version 2 is newer than this gradecoach reads (1)"),
    ("2", "schema_version 2 is newer than this gradecoach reads (1)"),
])
def test_a_schema_version_that_is_no_version_says_what_it_is(v, said):
    with pytest.raises(InputError) as e:
        SessionMeta.from_dict({"schema_version": v})
    assert str(e.value) == f"session.json: {said}"


def test_a_calibration_with_an_unusable_r1_is_not_said_to_lack_it():
    meta = SessionMeta.from_dict({"r1_n": "40", "r2_n": 120})
    assert meta.r1_n is None and meta.r2_n is None
    assert meta.problems == ["session.json: r1_n '40' is not usable; ignored",      # was: "only one of r1_n/r2_n given"
                             "session.json: r2_n 120 N without r1_n (r1_n is not usable); calibration ignored"]


def test_a_calibration_with_one_force_only_names_the_one_given():
    assert SessionMeta.from_dict({"r1_n": 40}).problems == [
        "session.json: r1_n 40 N without r2_n (r2_n is not given); calibration ignored"]
