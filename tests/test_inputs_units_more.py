"""An IMU CSV in a logger's own units, named in its header as a force CSV's are (``force_kgf``):
accelerations in g (``ax_g``) and rotation in degrees a second (``gx_dps``, ``gx_degs``) are
converted to m/s² and rad/s on reading. Such a file was refused ("header lacks column 'ax_mps2'
(found ax_g: unknown units?)"), and the same numbers under ``ax_mps2`` were analysed wrong with a
warning "(units in g? give m/s²)"."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from analysis.scheme import GradingScheme
from firmware_bridge.replay import analyze_input, load_input
from ui.cli import main

G = 9.80665


@pytest.fixture(scope="module")
def worn_imu(tmp_path_factory) -> Path:
    """A simulated HVLA session's hand-worn IMU at 200 Hz (``x.imu.csv``, m/s² and rad/s)."""
    d = tmp_path_factory.mktemp("sim")
    assert main(["simulate", "--grade", "V", "--r1", "40", "--r2", "120", "--imu", "200", "-o", str(d / "x.csv")]) == 0
    return d / "x.imu.csv"


def _converted(src: Path, dst: Path, acc: str, gyro: str) -> Path:
    """``src`` with its accelerations in g (columns ``ax{acc}``…) and its rotation in degrees a second
    (``gx{gyro}``…), to 9 significant digits."""
    lines = src.read_text().splitlines()
    out = ["t_s," + ",".join(f"{a}{acc}" for a in ("ax", "ay", "az")) + "," + ",".join(f"{g}{gyro}" for g in ("gx", "gy", "gz"))]
    for line in lines[1:]:
        c = [float(v) for v in line.split(",")]
        out.append(",".join([line.split(",")[0]] + [f"{v / G:.9g}" for v in c[1:4]]
                            + [f"{math.degrees(v):.9g}" for v in c[4:7]]))
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text("\n".join(out) + "\n")
    return dst


def _events(inp) -> list[dict]:
    return [e.to_dict() for e in analyze_input(inp, GradingScheme(40.0, 120.0))]


@pytest.mark.parametrize("acc, gyro", [("_g", "_dps"), ("_g", "_degs"), (" (g)", " (deg/s)"), ("_g", "_rads")])
@pytest.mark.parametrize("where", ["bare", "session"])
def test_an_imu_in_g_and_degrees_a_second_gives_the_events_it_gives_in_si_units(tmp_path, worn_imu, acc, gyro, where):
    if gyro == "_rads":             # (accelerations in g, rotation left in rad/s)
        lines = worn_imu.read_text().splitlines()
        path = tmp_path / "g.imu.csv"
        path.write_text("\n".join([lines[0].replace("_mps2", "_g")] + [
            ",".join([c[0]] + [f"{float(v) / G:.9g}" for v in c[1:4]] + c[4:7])
            for c in (line.split(",") for line in lines[1:])]) + "\n")
    else:
        path = _converted(worn_imu, tmp_path / "g.imu.csv", acc, gyro)
    if where == "session":
        folder = tmp_path / "s"
        folder.mkdir()
        path.rename(folder / "imu.csv")
        (folder / "session.json").write_text(json.dumps({"complete": True}))
        path = folder
    want_inp, got_inp = load_input(worn_imu), load_input(path)
    assert got_inp.warnings == []
    assert got_inp.imu.values == pytest.approx(want_inp.imu.values, rel=1e-7, abs=1e-7)
    got, want = _events(got_inp), _events(want_inp)
    assert not [e for e in got if "units" in json.dumps(e)]
    assert [e["type"] for e in got] == [e["type"] for e in want]
    for g, w in zip(got, want):
        for k, v in w.items():
            if isinstance(v, float):
                assert g[k] == pytest.approx(v, rel=1e-5, abs=1e-5), k
    assert any(e["type"] == "thrust" for e in got)


def test_the_cli_replays_an_imu_in_g_without_a_units_warning(tmp_path, worn_imu, capsys):
    path = _converted(worn_imu, tmp_path / "g.imu.csv", "_g", "_dps")
    assert main(["replay", str(path), "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    assert "units" not in err and "units in g" not in out
    assert main(["replay", str(worn_imu), "--format", "jsonl"]) == 0
    want = capsys.readouterr().out
    assert [json.loads(x)["type"] for x in out.splitlines()] == [json.loads(x)["type"] for x in want.splitlines()]


def test_an_accelerometer_alone_in_g_is_read_in_m_per_s2(tmp_path, worn_imu):
    lines = worn_imu.read_text().splitlines()
    path = tmp_path / "acc.csv"
    path.write_text("t_s,ax_g,ay_g,az_g\n" + "".join(
        ",".join([c[0]] + [f"{float(v) / G:.9g}" for v in c[1:4]]) + "\n" for c in (x.split(",") for x in lines[1:])))
    got = load_input(path)
    assert got.imu.values[:, :3] == pytest.approx(load_input(worn_imu).imu.values[:, :3], rel=1e-7, abs=1e-7)
    assert got.warnings == [f"{path}: no gyroscope columns (gx_rads,gy_rads,gz_rads): the vertical is followed from "
                            f"the accelerometer alone, as if the sensor never turned"]


def test_an_imu_in_g_through_a_pipe_is_read_as_from_its_file(tmp_path, worn_imu):
    import subprocess
    import sys
    path = _converted(worn_imu, tmp_path / "g.imu.csv", "_g", "_dps")
    root = Path(__file__).resolve().parents[1]
    runs = [subprocess.run([sys.executable, "-m", "ui.cli", "replay", arg, "--format", "jsonl"], cwd=root,
                           input=path.read_bytes(), capture_output=True, timeout=120)
            for arg in ("/dev/stdin", str(worn_imu))]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert b"units" not in runs[0].stderr
    types = [[json.loads(x)["type"] for x in r.stdout.splitlines()] for r in runs]
    assert types[0] == types[1] and "thrust" in types[0]
