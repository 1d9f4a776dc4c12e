"""An IMU sampled too slowly for what it measures is said in one warning, as force sampled under
50 Hz is: a 25 Hz stream gave thrusts 0 ms to peak and 52 mm of movement without a word, and a
10 Hz one cycles that were not there. A mobilisation at 50 Hz is measured well and not warned of."""

from __future__ import annotations

import pytest

from ui.cli import main


@pytest.fixture(scope="module")
def recordings(tmp_path_factory):
    d = tmp_path_factory.mktemp("imu_rates")
    for kind, args in (("v", ["--grade", "V", "--sets", "3"]), ("g", ["--grade", "III", "--sets", "2"])):
        for rate in (50, 500):
            assert main(["simulate", *args, "--imu", str(rate), "--seed", "3", "-o", str(d / f"{kind}{rate}.csv")]) == 0
    for kind in ("v", "g"):                   # the 500 Hz IMU kept at every 20th and 50th sample
        lines = (d / f"{kind}500.imu.csv").read_text().splitlines()
        for step in (20, 50):
            (d / f"{kind}_{500 // step}.imu.csv").write_text("\n".join(lines[:1] + lines[1::step]) + "\n")
    return d


def warnings_of(path, capsys) -> list[str]:
    capsys.readouterr()
    assert main(["replay", str(path), "--format", "table"]) == 0
    return [ln.strip() for ln in capsys.readouterr().out.splitlines() if ln.strip().startswith("warning: IMU sampled")]


@pytest.mark.parametrize("name,said", [
    ("v_25", "warning: IMU sampled at 25 Hz, under the 100 Hz a thrust needs: its time to peak and the hand's "
             "movement may be wrong"),
    ("v50", "warning: IMU sampled at 50 Hz, under the 100 Hz a thrust needs: its time to peak and the hand's "
            "movement may be wrong"),
    ("g_10", "warning: IMU sampled at 10 Hz, under the 20 Hz its analysis needs: the hand's cycles and thrusts "
             "may be wrong")])
def test_an_imu_too_slow_for_its_thrusts_or_cycles_is_said(recordings, capsys, name, said):
    assert warnings_of(recordings / f"{name}.imu.csv", capsys) == [said]


@pytest.mark.parametrize("name", ["v500", "g500", "g50", "g_25"])
def test_an_imu_fast_enough_for_what_it_measured_is_not_warned_of(recordings, capsys, name):
    assert warnings_of(recordings / f"{name}.imu.csv", capsys) == []
