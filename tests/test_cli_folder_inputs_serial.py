"""``--device serial:PATH`` naming a folder (or a file) is one line saying it is no serial port,
as ``devices --port`` says it: it was pyserial's doubled "cannot open ([Errno 21] could not open
port sessions: [Errno 21] Is a directory: 'sessions')" (and for a file "Could not configure
port: (25, 'Inappropriate ioctl for device')"). Nothing is recorded."""

from __future__ import annotations

from tests.conftest import gc


def test_record_from_a_folder_as_serial_port(tmp_path):
    folder = tmp_path / "sessions"
    folder.mkdir()
    r = gc("record", "--device", f"serial:{folder}", "--out", tmp_path / "new", "--quiet")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{folder}: a folder, not a serial port"]
    assert not (tmp_path / "new").exists()


def test_record_from_a_file_as_serial_port(tmp_path):
    f = tmp_path / "s02.csv"
    f.write_text("t_s,force_n\n0,1\n")
    r = gc("record", "--device", f"serial:{f}@230400", "--out", tmp_path / "new", "--quiet")
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr.splitlines() == [f"gradecoach: error: serial:{f}: a file, not a serial port"]
    assert not (tmp_path / "new").exists()
