"""A CSV Excel saved with a first line ``sep=;`` is known by the header on its next line wherever
replay looks at a header: its units (``Time (ms);Force (kgf)``), a text file named otherwise
(``.txt``), a force CSV's IMU sibling (``x.imu.csv``), an IMU alone, a CSV through a pipe, and
``-o`` refusing to write over such a recording. The first line was taken for the header, so such
a file failed with "header lacks column 't_s'", was an "unknown input type", or was written over."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import ROOT, gc
from tests._fifo import fifo_of

LUMBAR = ROOT / "fixtures" / "lumbar_grade3.csv"
KGF = 9.80665


def events(r) -> list[dict]:
    assert r.returncode == 0, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()]


def same(got: list[dict], want: list[dict], renamed: tuple[str, str] = ("", "")) -> None:
    """The same events, numbers alike to a millionth (units converted and back), the file
    ``renamed[0]`` named ``renamed[1]`` in what they say."""
    def said(v):
        return v.replace(*renamed) if isinstance(v, str) else [said(x) for x in v] if isinstance(v, list) else v
    assert [e["type"] for e in got] == [e["type"] for e in want]
    for g, w in zip(got, want):
        assert g.keys() == w.keys()
        for k, v in w.items():
            if isinstance(v, float) and not isinstance(v, bool):
                assert g[k] == pytest.approx(v, rel=1e-6, abs=1e-6), (w["type"], k)
            else:
                assert g[k] == said(v), (w["type"], k)


def excel(header: str, rows: list[list[float]], fmt: str = "{:.9f}") -> bytes:
    """A table as Excel saves it in a decimal-comma locale: its ``sep=;`` line, then ``header``,
    cells between semicolons with decimal commas, Windows line ends."""
    lines = ["sep=;", header] + [";".join(fmt.format(v).replace(".", ",") for v in r) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture(scope="module")
def lumbar6(tmp_path_factory):
    """The first 6 s of lumbar_grade3.csv: plain, and as Excel saves it in ms and kgf."""
    d = tmp_path_factory.mktemp("excel")
    lines = LUMBAR.read_text().splitlines()[:3002]
    plain = d / "plain.csv"
    plain.write_text("\n".join(lines) + "\n")
    t_f = np.array([[float(c) for c in x.split(",")] for x in lines[1:]])
    excelled = excel("Time (ms);Force (kgf)", [[t * 1000, f / KGF] for t, f in t_f])
    want = events(gc("replay", plain, "--r1", 40, "--r2", 120, "--format", "jsonl"))
    assert sum(e["type"] == "cycle" for e in want) == 5
    return d, excelled, want


def test_a_sep_line_then_units_in_the_header_gives_the_same_cycles(lumbar6):
    d, excelled, want = lumbar6
    p = d / "excel.csv"
    p.write_bytes(excelled)
    same(events(gc("replay", p, "--r1", 40, "--r2", 120, "--format", "jsonl")), want)


def test_a_txt_with_a_sep_line_is_known_by_its_header(lumbar6):
    d, excelled, want = lumbar6
    p = d / "excel.txt"
    p.write_bytes(excelled)
    same(events(gc("replay", p, "--r1", 40, "--r2", 120, "--format", "jsonl")), want)


def test_a_csv_with_a_sep_line_through_a_pipe(lumbar6, tmp_path):
    _, excelled, want = lumbar6
    fifo, writer = fifo_of(tmp_path, "piped", excelled)
    r = gc("replay", fifo, "--r1", 40, "--r2", 120, "--format", "jsonl")
    writer.join(5)
    same(events(r), want)


@pytest.fixture(scope="module")
def with_imu(tmp_path_factory):
    """A simulated set with a hand-worn IMU's accelerometer (no gyroscope) beside it, plain."""
    d = tmp_path_factory.mktemp("imu")
    r = gc("simulate", "--grade", "III", "--freq", "1", "--imu", "500", "-o", d / "set.csv")
    assert r.returncode == 0, r.stderr
    lines = (d / "set.imu.csv").read_text().splitlines()
    acc = [[float(c) for c in x.split(",")[:4]] for x in lines[1:]]
    (d / "set.imu.csv").write_text("\n".join(",".join(x.split(",")[:4]) for x in lines) + "\n")
    return d, acc


def test_an_imu_sibling_with_a_sep_line_is_read(with_imu, tmp_path):
    d, acc = with_imu
    want = events(gc("replay", d / "set.csv", "--r1", 40, "--r2", 120, "--format", "jsonl"))
    assert any(e["type"] == "imu_cycle" for e in want)
    (tmp_path / "set.csv").write_bytes((d / "set.csv").read_bytes())
    (tmp_path / "set.imu.csv").write_bytes(excel("Time (s);ax_mps2;ay_mps2;az_mps2", acc, "{:.6f}"))
    r = gc("replay", tmp_path / "set.csv", "--r1", 40, "--r2", 120, "--format", "jsonl")
    same(events(r), want, (str(d), str(tmp_path)))


@pytest.mark.parametrize("through", ["file", "pipe"])
def test_an_imu_alone_with_a_sep_line_is_read_as_an_imu(with_imu, tmp_path, through):
    d, acc = with_imu
    want = events(gc("replay", d / "set.imu.csv", "--format", "jsonl"))
    assert any(e["type"] == "imu_cycle" for e in want)
    data = excel("Time (s);ax_mps2;ay_mps2;az_mps2", acc, "{:.6f}")
    if through == "file":
        p = tmp_path / "hand.csv"                         # (an IMU by its header, not by its name)
        p.write_bytes(data)
        r = gc("replay", p, "--format", "jsonl")
    else:
        p, writer = fifo_of(tmp_path, "hand", data)
        r = gc("replay", p, "--format", "jsonl")
        writer.join(5)
    same(events(r), want, (str(d / "set.imu.csv"), str(p)))


def test_o_keeps_a_recording_with_a_sep_line(lumbar6, tmp_path):
    _, excelled, _ = lumbar6
    p = tmp_path / "excel.csv"
    p.write_bytes(excelled)
    r = gc("replay", LUMBAR, "--r1", 40, "--r2", 120, "-o", p)
    assert r.returncode == 2
    assert r.stderr == (f"gradecoach: error: -o {p}: that is a recording of force (Time (ms);Force (kgf)); choose "
                        f"another file, the recording is kept as it is\n")
    assert p.read_bytes() == excelled
