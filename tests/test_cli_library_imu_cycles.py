"""``library list`` counts the cycles of a recording made with a hand-worn IMU alone as the review
window, the report's overview and Compare do ("16 (IMU)"): the table said 0 for it, as if the
mobilisation had not been done, and ``--format jsonl`` had no field for the IMU's cycles.
``n_cycles`` stays the force's count, a number.

The commands run in this process (``gc_in_process``: ``ui.cli.main``, as the program runs it)."""

from __future__ import annotations

import json

from tests._cli_in_process import gc_in_process
from tests.ui.review.conftest import mobilisation_sessions


def _imu_cycles(capsys, folder) -> int:
    """The IMU's cycles in ``folder``, as ``replay`` finds them (and the review shows them)."""
    r = gc_in_process(capsys, "replay", folder, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return sum(json.loads(line)["type"] == "imu_cycle" for line in r.stdout.splitlines())


def _force_cycles(capsys, folder) -> int:
    r = gc_in_process(capsys, "replay", folder, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    return sum(json.loads(line)["type"] == "cycle" for line in r.stdout.splitlines())


def test_the_table_shows_an_imu_alones_cycles(tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    n_imu, n_both = _imu_cycles(capsys, imu), _force_cycles(capsys, both)
    assert n_imu >= 12 and n_both >= 12
    r = gc_in_process(capsys, "library", "list", root)
    assert r.returncode == 0, r.stderr
    head, *rows = r.stdout.splitlines()
    assert [row.split()[-1] for row in rows] == ["imu", "both"]
    cycles = head.index("cycles") + len("cycles")         # (right-aligned under the header)
    assert [row[:cycles].rsplit("  ", 1)[-1].strip() for row in rows] == [f"{n_imu} (IMU)", str(n_both)]
    thrusts = head.index("thrusts") + len("thrusts")
    assert [row[:thrusts].split()[-1] for row in rows] == ["0", "0"]


def test_jsonl_says_the_imus_cycles(tmp_path, capsys):
    root, imu, both = mobilisation_sessions(tmp_path)
    capsys.readouterr()
    n_imu, n_both = _imu_cycles(capsys, imu), _imu_cycles(capsys, both)
    r = gc_in_process(capsys, "library", "list", root, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    got = {o["path"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert (got["imu"]["n_cycles"], got["imu"]["n_imu_cycles"]) == (0, n_imu)
    assert (got["both"]["n_cycles"], got["both"]["n_imu_cycles"]) == (_force_cycles(capsys, both), n_both)
    assert list(got["imu"]).index("n_imu_cycles") == list(got["imu"]).index("n_cycles") + 1
