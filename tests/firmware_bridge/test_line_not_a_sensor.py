"""A device printing text lines that are records of fields, not forces (a GPS's NMEA sentences,
"$GPGGA,123519,4807.038,N,…"), is said to be no force sensor. Its first field's number was taken
for a raw ADC reading: record ended '471 lines of raw ADC readings … calibrate the sketch'."""

from __future__ import annotations

from firmware_bridge.protocol.line import LineDecoder
from firmware_bridge.serial_source import probe
from tests.conftest import pty_device
from ui.cli import main

NMEA = [b"$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n",
        b"$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n",
        b"$GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1*39\r\n"]


def test_nmea_sentences_are_no_raw_readings_and_no_forces():
    d = LineDecoder()
    assert d.feed(b"".join(NMEA) * 5) == []
    assert d.raw_lines == 0 and d.record_lines == 15 and d.first_record[0] == 1


def test_record_of_a_gps_says_not_a_force_sensor(tmp_path, capsys):
    with pty_device(lambda k: NMEA[k % 3]) as port:
        rc = main(["record", "--device", f"serial:{port}", "--out", str(tmp_path / "sess")])
        said = probe(port)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1, err
    assert err[0].startswith(f"gradecoach: error: serial:{port}: ") and "no samples" in err[0]
    assert "not a force sensor (text)" in err[0] and "line " in err[0] and "$GP" in err[0]
    assert "raw ADC" not in err[0] and "calibrate" not in err[0]
    assert "raw ADC" not in said
    assert not (tmp_path / "sess").exists()


def test_labelled_readings_are_read_as_before():
    d = LineDecoder()
    assert d.feed(b"Reading: 25776\r\nsensor,12.5\r\nForce: 12.3 N, raw: 12345\r\n") == [(None, 12.5), (None, 12.3)]
    assert d.raw_lines == 1 and d.record_lines == 0
