"""A session folder's force.csv whose time is a logger's millisecond or microsecond clock
(``t_ms``, ``t_us``, ``Time (ms)``, as a bare force CSV's may be) is read in seconds: ``replay``,
the library and the review give what the same folder gives in ``t_s`` (it was refused: "header
lacks column 't_s' (found t_ms: unknown units?)", and the library left the folder out).
Milliseconds written under ``t_s`` are still refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import InputError
from analysis.scheme import GradingScheme
from firmware_bridge.recorder import new_meta, record
from firmware_bridge.session import SessionWriter, open_session
from firmware_bridge.sources import FileSource
from ui.cli import main


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> Path:
    """A session folder as ``gradecoach record`` writes it (force.csv in ``t_s``): a simulated
    grade III set then an HVLA thrust at 500 Hz, played 50 times faster than real time."""
    d = tmp_path_factory.mktemp("rec")
    for name, grade in (("a.csv", "III"), ("b.csv", "V")):
        cycles = ["--cycles", "4"] if grade != "V" else []         # (a thrust has no cycles to give)
        assert main(["simulate", "--grade", grade, *cycles, "--rate", "500", "--seed", "2",
                     "-o", str(d / name)]) == 0
    a, b = (np.loadtxt(d / n, delimiter=",", skiprows=1) for n in ("a.csv", "b.csv"))
    b[:, 0] += a[-1, 0] + 0.002
    np.savetxt(d / "x.csv", np.vstack([a, b]), fmt=("%.6f", "%.4f"), delimiter=",", header="t_s,force_n",
               comments="")
    scheme = GradingScheme(40.0, 120.0)
    src = FileSource(str(d / "x.csv"), speed=50.0)
    src.open()
    try:
        w = SessionWriter(d / "anna", new_meta(src, scheme, "anna"))
        record(src, w, scheme)
    finally:
        src.close()
        w.close()
    assert (d / "anna" / "force.csv").read_text().startswith("t_s,force_n\n")
    return d / "anna"


def _with_time(src: Path, dst: Path, header: str, per_s: float, fmt: str) -> Path:
    """A copy of the session folder ``src`` whose force.csv gives its time under ``header`` in
    1/``per_s`` s, written with ``fmt``, without its stored events (replay analyses it afresh)."""
    shutil.copytree(src, dst)
    (dst / "events.jsonl").unlink()
    lines = (src / "force.csv").read_text().splitlines()
    rows = [ln.split(",", 1) for ln in lines[1:]]
    (dst / "force.csv").write_text("\n".join([f"{header},force_n"] + [f"{float(t) * per_s:{fmt}},{f}" for t, f in rows])
                                   + "\n")
    return dst


def _replay(folder: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["replay", str(folder)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    return [json.loads(ln) for ln in out.out.splitlines()]


@pytest.mark.parametrize("header, per_s, fmt", [("t_ms", 1e3, ".3f"), ("Time (ms)", 1e3, ".3f"),
                                                 ("t_us", 1e6, ".0f")])
def test_a_session_timed_in_milliseconds_replays_to_the_events_it_gives_in_seconds(tmp_path, recorded, capsys,
                                                                                  header, per_s, fmt):
    seconds = _with_time(recorded, tmp_path / "s", "t_s", 1.0, ".6f")
    other = _with_time(recorded, tmp_path / "ms", header, per_s, fmt)
    want = _replay(seconds, capsys)
    kinds = [e["type"] for e in want]
    assert kinds.count("cycle") >= 4 and kinds.count("thrust") == 1         # (the simulated set and thrust)
    assert _replay(other, capsys) == want
    s = open_session(other)
    assert s.warnings == [] and s.force.rate_hz == pytest.approx(500.0)
    assert s.force.t_s == pytest.approx(open_session(seconds).force.t_s, abs=1e-9)


def test_the_library_and_the_review_read_a_session_timed_in_milliseconds(tmp_path, recorded, capsys):
    from ui.review.data import open_review

    root = tmp_path / "root"
    _with_time(recorded, root / "in_s", "t_s", 1.0, ".6f")
    _with_time(recorded, root / "in_ms", "t_ms", 1e3, ".3f")
    capsys.readouterr()
    assert main(["library", "list", str(root)]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    rows = {ln.split()[-1]: ln.split()[-3:-1] for ln in out.out.splitlines()[1:]}     # cycles, thrusts
    assert set(rows) == {"in_s", "in_ms"} and rows["in_ms"] == rows["in_s"] and rows["in_s"][1] == "1"
    a, b = open_review(root / "in_s"), open_review(root / "in_ms")
    assert b.warnings == []
    assert b.events == a.events and b.source == a.source == "analysis"


def test_milliseconds_under_t_s_in_a_session_are_still_refused_naming_t_ms(tmp_path, recorded):
    s = _with_time(recorded, tmp_path / "s", "t_s", 1e3, ".0f")         # whole ms under a seconds header
    with pytest.raises(InputError, match=r"force\.csv: times under a seconds header are whole numbers 2 s apart .* "
                                         r"name the time column t_ms \(500 samples a second\)$"):
        open_session(s)


# times as a logger's µs clock may give them, in or out of order, with repeats; forces any
_ROWS = st.lists(st.tuples(st.integers(0, 999_999), st.one_of(st.floats(-1e3, 1e3), st.just(float("nan")))),
                 max_size=80)


def _session(folder: Path, header: str, rows, per_s: float, fmt: str) -> Path:
    folder.mkdir()
    (folder / "session.json").write_text(json.dumps({"complete": True}))
    (folder / "force.csv").write_text(f"{header},force_n\n"
                                      + "".join(f"{t_us * per_s / 1e6:{fmt}},{f!r}\n" for t_us, f in rows))
    return folder


def _read(folder: Path):
    try:
        s = open_session(folder)
    except InputError as e:
        assert "\n" not in str(e)
        return None
    return s.force


@settings(max_examples=150, deadline=None)
@given(_ROWS)
def test_any_force_rows_read_alike_in_s_ms_and_us(tmp_path_factory, rows):
    """The same rows in any of the three units: the same rows kept, skipped and spread, at the
    same times in seconds, or the folder refused alike."""
    d = tmp_path_factory.mktemp("units")
    got = [_read(_session(d / name, header, rows, per_s, fmt))
           for name, header, per_s, fmt in (("s", "t_s", 1.0, ".6f"), ("ms", "t_ms", 1e3, ".3f"),
                                            ("us", "Time (µs)", 1e6, ".0f"))]
    if got[0] is None:
        assert got == [None, None, None]
        return
    for g in got[1:]:
        assert g.t_s == pytest.approx(got[0].t_s, rel=1e-12, abs=1e-12)
        assert np.array_equal(g.values, got[0].values) and g.skipped_rows == got[0].skipped_rows
        assert np.all(np.diff(g.t_s) > 0) and np.isfinite(g.values).all()


@settings(max_examples=150, deadline=None)
@given(header=st.sampled_from(["t_ms,force_n", "t_us,force_n", "timestamp_ms,force_n", "Time (ms);Force (N)"]),
       data=st.binary(max_size=300))
def test_a_session_force_file_in_ms_of_any_bytes_opens_in_seconds_or_fails_in_one_line(tmp_path_factory,
                                                                                       header, data):
    d = tmp_path_factory.mktemp("fuzz") / "s"
    d.mkdir()
    (d / "force.csv").write_bytes(header.encode() + b"\n" + data)
    try:
        s = open_session(d)
    except InputError as e:
        assert "\n" not in str(e) and "force.csv" in str(e)
        return
    assert np.all(np.diff(s.force.t_s) > 0) and np.isfinite(s.force.values).all()
