"""Light commands start without the heavy libraries they do not use: ``--version``, ``help``
(and ``help replay``, ``help record``), ``library list`` on an empty library and ``devices``
loaded scipy.signal (with the rest of scipy, half a second to a second) for the IMU analysis
and the recorder, which none of them runs. Each is run in a fresh interpreter, and what it
left loaded is checked, not how long it took."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("scipy", "scipy.signal", "numpy", "PySide6", "pyqtgraph", "sounddevice", "soundfile", "bleak", "serial")
NO_GUI_NOR_DEVICE = {"PySide6", "pyqtgraph", "sounddevice", "soundfile", "bleak", "serial"}

_RUN = """
import json, sys
import ui.cli
try:
    status = ui.cli.main(sys.argv[1:])
except SystemExit as e:
    status = e.code
sys.stdout.flush()
print("\\nLOADED " + json.dumps({"status": status, "loaded": [m for m in %r if m in sys.modules]}))
""" % (HEAVY,)


def _loaded(argv: list[str]) -> tuple[int, str, set[str]]:
    r = subprocess.run([sys.executable, "-c", _RUN, *argv], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in r.stderr, r.stderr
    out, _, last = r.stdout.rpartition("\nLOADED ")
    said = json.loads(last)
    return said["status"], out, set(said["loaded"])


def test_version_loads_no_heavy_library():
    status, out, loaded = _loaded(["--version"])
    assert status == 0 and out.startswith("gradecoach ")
    assert loaded == set()


@pytest.mark.parametrize("argv, not_loaded", [
    (["help"], {"scipy"} | NO_GUI_NOR_DEVICE),
    (["help", "replay"], {"scipy"} | NO_GUI_NOR_DEVICE),
    (["help", "record"], {"scipy"} | NO_GUI_NOR_DEVICE),
])
def test_help_loads_neither_the_analysis_nor_the_gui(argv, not_loaded):
    status, out, loaded = _loaded(argv)
    assert status == 0 and out.startswith("usage: gradecoach")
    assert not loaded & not_loaded


def test_library_list_of_an_empty_library_loads_neither_the_analysis_nor_the_gui(tmp_path):
    status, out, loaded = _loaded(["library", "list", str(tmp_path)])
    assert status == 0 and out.split()[:5] == ["date", "(old", "→", "new)", "trainee"]
    assert not loaded & ({"scipy"} | NO_GUI_NOR_DEVICE)


def test_devices_loads_the_serial_and_audio_libraries_only():
    status, out, loaded = _loaded(["devices"])
    assert status == 0 and out.startswith(("serial ports:", "no serial ports"))
    assert not loaded & {"scipy", "PySide6", "pyqtgraph", "soundfile", "bleak"}
    assert "serial" in loaded                           # (the ports it lists: it needs that one)
