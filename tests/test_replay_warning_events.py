"""Every warning replay says on stderr is also a ``warning`` line of its JSON-lines output, once,
before the summary: a CI step that keeps the warning lines alone sees a reversed or an unzeroed
sensor, which only the end of the analysis finds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.conftest import ROOT, gc


def _lumbar(tmp_path, name: str, change) -> str:
    t, f = np.loadtxt(ROOT / "fixtures" / "lumbar_grade3.csv", delimiter=",", skiprows=1, unpack=True)
    path = tmp_path / name
    np.savetxt(path, np.column_stack([t, change(f)]), delimiter=",", fmt="%.6f", header="t_s,force_n",
               comments="")
    return str(path)


@pytest.mark.parametrize("name, change, said", [
    ("reversed.csv", lambda f: -f, "sensor's sign is reversed"),      # pushes read negative
    ("unzeroed.csv", lambda f: np.full_like(f, 50.0), "not zeroed"),   # a tare never done
])
def test_end_of_analysis_warnings_are_warning_lines(tmp_path, name, change, said):
    path = _lumbar(tmp_path, name, change)
    r = gc("replay", path, "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(ln) for ln in r.stdout.splitlines()]
    summary = lines[-1]
    assert summary["type"] == "summary"
    warned = [e["message"] for e in lines if e["type"] == "warning"]
    on_stderr = [ln.removeprefix("gradecoach: warning: ").removeprefix(f"{path}: ") for ln in r.stderr.splitlines()]
    assert any(said in w for w in warned)
    # each warning of stderr and of the summary is a warning line, once, before the summary
    assert sorted(warned) == sorted(on_stderr) == sorted(summary["warnings"])
    assert len(set(warned)) == len(warned)
    assert all(e["type"] != "warning" for e in lines[lines.index(summary):])
