"""Only ui imports Qt; analysis imports neither firmware_bridge nor ui."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("pkg, banned", [
    ("analysis", ("firmware_bridge", "ui", "PySide6", "pyqtgraph", "serial", "bleak", "sounddevice")),
    ("firmware_bridge", ("ui", "PySide6", "pyqtgraph")),
])
def test_layering(pkg, banned):
    mods = {"analysis": "analysis.pipeline, analysis.force, analysis.evaluate",
            "firmware_bridge": "firmware_bridge.sources, firmware_bridge.replay, firmware_bridge.session"}[pkg]
    code = (f"import importlib, sys\nfor m in '{mods}'.split(', '): importlib.import_module(m)\n"
            "import analysis.pipeline as p; p._load_optional()\n"
            "print(' '.join(sorted({k.split('.')[0] for k in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert not set(banned) & set(out)
