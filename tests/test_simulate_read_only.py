"""``simulate -o`` into a read-only folder (a read-only mount) is one line naming the file and
exit 2, as ``replay -o`` says it: it was a traceback (OSError: Read-only file system), raised
again by the clean-up of the files it had begun beside the output. So is a sound that cannot
be written (--audio onto a full disk), which was a traceback from libsndfile."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, gc


def test_simulate_into_a_read_only_folder_is_one_line(tmp_path, monkeypatch):
    """The system's answers in a read-only folder: creating a file there, and removing one
    that was never made, both fail with EROFS (not FileNotFoundError)."""
    ro = tmp_path / "romnt"
    ro.mkdir()

    def refused(path):
        if Path(os.path.abspath(os.fspath(path))).parent == ro:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))

    real_open, real_unlink = open, os.unlink

    def ro_open(file, *a, **k):
        if isinstance(file, (str, os.PathLike)):
            refused(file)
        return real_open(file, *a, **k)

    def ro_unlink(path, *a, **k):
        refused(path)
        return real_unlink(path, *a, **k)

    monkeypatch.setattr("builtins.open", ro_open)
    monkeypatch.setattr(os, "unlink", ro_unlink)
    r = gc("simulate", "--grade", "II", "--cycles", "4", "-o", ro / "s.csv")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: -o {ro / 's.csv'}: cannot write "
                                     f"({os.strerror(errno.EROFS)})"]
    assert r.stdout == ""


def _can_mount_read_only() -> bool:
    if not shutil.which("unshare") or not sys.platform.startswith("linux"):
        return False
    r = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs unshare -rm (a private read-only mount)")
def test_simulate_onto_a_read_only_mount(tmp_path):
    """On a real read-only tmpfs, mounted in a namespace of the command's own (root too)."""
    (tmp_path / "romnt").mkdir()
    script = (f"mount -t tmpfs -o ro tmpfs romnt || exit 77; "
              f"exec {sys.executable} -m ui.cli simulate --grade II --cycles 4 -o romnt/s.csv")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                       env=env, timeout=120)
    if r.returncode == 77:
        pytest.skip("no tmpfs mount here")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["gradecoach: error: -o romnt/s.csv: cannot write (Read-only file system)"]


def test_a_sound_that_cannot_be_written_is_one_line(tmp_path, monkeypatch):
    """libsndfile's failure to write the sound (a full disk: "System error.") is not an OSError:
    it was a traceback (soundfile.LibsndfileError), and nothing is left behind."""
    import soundfile as sf

    def fails(path, *a, **k):
        raise sf.LibsndfileError(2)

    monkeypatch.setattr(sf, "write", fails)
    out = tmp_path / "s.csv"
    r = gc("simulate", "--thrust", "--audio", "48000", "-o", out)
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == [f"gradecoach: error: -o {out}: cannot write (its sound: System error)"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not _can_mount_read_only(), reason="needs unshare -rm (a private mount)")
def test_simulate_with_sound_onto_a_full_disk(tmp_path):
    (tmp_path / "small").mkdir()
    script = (f"mount -t tmpfs -o size=200k tmpfs small || exit 77; "
              f"{sys.executable} -m ui.cli simulate --thrust --sets 3 --audio 48000 -o small/s.csv; s=$?; "
              f"ls -A small; exit $s")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=tmp_path, capture_output=True, text=True,
                       env=env, timeout=120)
    if r.returncode == 77:
        pytest.skip("no tmpfs mount here")
    assert r.returncode == 2, r.stderr
    assert r.stderr.splitlines() == ["gradecoach: error: -o small/s.csv: cannot write (No space left on device)"]
    assert r.stdout == ""                                   # (nothing left in the folder)
