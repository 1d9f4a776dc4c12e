"""'gradecoach devices' on a machine without PortAudio says so in the one line 'record --audio'
says it in; it said 'no audio inputs', as if the machine had no microphone."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# a machine without libportaudio2: the library is not found (sounddevice looks it up so)
NO_PORTAUDIO = textwrap.dedent("""
    import ctypes.util as _u
    _find = _u.find_library
    _u.find_library = lambda name: None if "portaudio" in name else _find(name)
""")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(NO_PORTAUDIO, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), str(ROOT)]))
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def test_devices_says_portaudio_is_missing_as_record_does(tmp_path):
    rec = _run(tmp_path, "record", "--device", "emulator:grade3", "--audio", "default",
               "--out", str(tmp_path / "s"), "--duration", "0.5")
    said = [line for line in rec.stderr.splitlines() if "PortAudio is not available" in line]
    assert said, rec.stderr
    why = said[0].split("; recording force only")[0]           # ('record' goes on without sound)

    dev = _run(tmp_path, "devices")
    assert dev.returncode == 0, dev.stderr
    lines = dev.stdout.splitlines()
    assert why in lines, dev.stdout
    assert why.endswith("install libportaudio2")
    assert "no audio inputs" not in dev.stdout
    assert "Traceback" not in dev.stderr
