"""``python -m firmware_bridge.ble_record --live``: an ``--out`` that cannot be written is one
line before the device is connected, and a capture that stops being writable while recording
(a full disk) is one line that says where every notification received was kept instead. Both
were a traceback, the second losing every notification; and ``--duration`` that is not a
positive time (-1, nan) is one line before the radio is asked, where it connected and then said
"no notification came in the nan s recorded"."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from firmware_bridge.ble_record import main, read_stream
from tests.firmware_bridge._fake_radio import FakeClient, FakeScanner, Radio


@pytest.fixture
def on_air(monkeypatch):
    import bleak
    radio = Radio("progressor_grade4")
    monkeypatch.setattr(bleak, "BleakScanner", FakeScanner(radio))
    monkeypatch.setattr(bleak, "BleakClient", lambda device, disconnected_callback, timeout:
                        FakeClient(radio, device, disconnected_callback, timeout))
    return radio


def _refused(argv, capsys) -> str:
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("gradecoach: "), err
    return err[0]


def test_an_out_that_cannot_be_made_is_one_line_before_connecting(on_air, tmp_path, capsys):
    out = tmp_path / ("x" * 300 + ".jsonl")                    # a name too long for the file system
    line = _refused(["--live", f"ble:{on_air.device.name}", "--duration", "1", "--out", str(out)], capsys)
    assert line.startswith(f"gradecoach: error: {out}: cannot be written (") and line.endswith("; nothing recorded")
    assert on_air.connects == 0 and not os.path.exists(out)


def test_a_capture_there_is_checked_without_a_byte_changed(on_air, tmp_path, capsys):
    cap = tmp_path / "p.jsonl"
    cap.write_bytes(b'{"meta": {}}\n')
    before = (cap.read_bytes(), cap.stat().st_mtime_ns)
    from firmware_bridge.ble_record import _unwritable
    assert _unwritable(cap) is None and _unwritable(tmp_path / "new.jsonl") is None
    assert (cap.read_bytes(), cap.stat().st_mtime_ns) == before and not (tmp_path / "new.jsonl").exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs a device that is always full")
def test_a_capture_that_cannot_be_written_keeps_what_came_in_elsewhere(on_air, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    full = Path("/dev/full")                                   # every write: no space left on device
    line = _refused(["--live", f"ble:{on_air.device.name}", "--duration", "1.5", "--out", str(full),
                     "--overwrite"], capsys)
    assert line.startswith(f"gradecoach: {full}: cannot be written (No space left on device); "
                           f"the recording stopped there: the "), line
    kept = Path(line.rsplit(" are kept in ", 1)[1].split(" instead")[0])
    assert kept.parent == tmp_path, line
    meta, records = read_stream(kept)
    assert meta["profile"] == on_air.meta["profile"] and records
    assert f"the {len(records)} notifications received" in line
    sent = [(c, bytes(d)) for _, c, d in on_air.records]
    assert [(c, bytes(d)) for _, c, d in records] == sent[:len(records)]


@pytest.mark.parametrize("duration", ["-1", "nan", "0"])
def test_a_duration_that_is_not_a_positive_time_is_one_line_before_connecting(on_air, tmp_path, capsys, duration):
    out = tmp_path / "p.jsonl"
    line = _refused(["--live", f"ble:{on_air.device.name}", "--duration", duration, "--out", str(out)], capsys)
    assert line.startswith(f"gradecoach: error: --duration {float(duration):g}: give a positive number of seconds")
    assert on_air.connects == 0 and not os.path.exists(out)
