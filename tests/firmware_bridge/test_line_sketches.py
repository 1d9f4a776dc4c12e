"""What the load-cell libraries' stock example sketches print, read as forces by the line protocol.

A school's force sensor is often a load cell, an HX711 (or NAU7802) board and an Arduino running
the library's example unchanged. Each literal below is what such a sketch prints (its
``Serial.print`` calls, written out): the force is the first number after the label, in newtons
when the line names its unit (kg, g, lb…), as it comes when it names none. Banners before the data
are skipped, not counted as bad; raw ADC readings are no forces and are said so."""

from __future__ import annotations

import os
import threading
import time
import tty
from contextlib import contextmanager

import numpy as np
import pytest

from firmware_bridge.protocol.line import LineDecoder
from firmware_bridge.serial_source import SerialSource, probe

KG_N, LBF_N = 9.80665, 4.4482216152605

# bogde/HX711 HX711_full_example.ino: a banner, a setup report of raw readings before and after
# set_scale()/tare(), then "one reading:\t<get_units()>\t| average:\t<get_units(10)>"
BOGDE = (b"HX711 Demo\r\nInitializing the scale\r\nBefore setting up the scale:\r\n"
         b"read: \t\t-145876\r\nread average: \t\t-145902\r\nget value: \t\t-145898.00\r\nget units: \t\t-145898.0\r\n"
         b"After setting up the scale:\r\nread: \t\t-145890\r\nread average: \t\t-145888\r\nget value: \t\t3.00\r\n"
         b"get units: \t\t0.0\r\nReadings:\r\n"
         b"one reading:\t0.0\t| average:\t0.00219\r\none reading:\t12.3\t| average:\t12.29012\r\n")
# SparkFun HX711 SparkFun_HX711_Example.ino (and its calibration sketch's extra column)
SPARKFUN = (b"HX711 scale demo\r\nReadings:\r\nReading: 1.2 lbs\r\nReading: -0.0 lbs\r\n"
            b"Reading: 0.5 lbs calibration_factor: -7050.00\r\n")
# olkal/HX711_ADC Read_1x_load_cell.ino
OLKAL = b"\r\nStarting...\r\nStartup is complete\r\nLoad_cell output val: 12.34\r\nLoad_cell output val: -0.07\r\n"
# RobTillaart/HX711 examples: the file and library version, then "UNITS: <get_units()>"
TILLAART = (b"C:\\Users\\lab\\HX_kitchen_scale\\HX_kitchen_scale.ino\r\nLIBRARY VERSION: 0.3.9\r\n\r\n"
            b"UNITS: 12.50\r\nUNITS: 12.75\r\n")
# a Tindeq-like gauge, and sketches that weigh in kg or g
OTHERS = (b"Force: 12.3 N\r\nweight = 1.23 kg\r\nWeight: 496.00 g\r\nReading: 2.00 grams\r\n12.3N\r\n"
          b"Load cell 1: 0.25 kg\r\n")
# Adafruit_NAU7802 nau7802_test.ino, uncalibrated: its settings, then raw ADC counts
NAU7802 = (b"NAU7802\r\nFound NAU7802\r\nLDO voltage set to 3.0V\r\nGain set to 128x\r\n"
           b"Conversion rate set to 10 SPS\r\nCalibrated internal offset\r\nCalibrated system offset\r\n"
           b"Read 12345\r\nRead -6789\r\nRead 12350\r\n")

STOCK = [
    (BOGDE, [0.0, 12.3]),
    (SPARKFUN, [1.2 * LBF_N, -0.0, 0.5 * LBF_N]),
    (OLKAL, [12.34, -0.07]),
    (TILLAART, [12.5, 12.75]),
    (OTHERS, [12.3, 1.23 * KG_N, 0.496 * KG_N, 0.002 * KG_N, 12.3, 0.25 * KG_N]),
]


@pytest.mark.parametrize("text,forces", STOCK, ids=["bogde", "sparkfun", "olkal", "tillaart", "others"])
def test_a_stock_sketch_gives_its_forces_in_newtons(text, forces):
    d = LineDecoder()
    rows = d.feed(text)
    assert [t for t, _ in rows] == [None] * len(forces)
    assert [f for _, f in rows] == pytest.approx(forces, rel=1e-12)
    assert d.bad_lines == 0


def test_bogde_setup_report_is_no_force_and_no_bad_line():
    d = LineDecoder()
    assert len(d.feed(BOGDE)) == 2
    assert d.raw_lines == 8 and d.first_raw == (4, "read: \t\t-145876")


def test_uncalibrated_nau7802_counts_are_no_forces():
    d = LineDecoder()
    assert d.feed(NAU7802) == []
    assert d.bad_lines == 0 and d.raw_lines == 3 and d.first_raw == (8, "Read 12345")


def test_labelled_nan_inf_and_unknown_units_are_bad_after_data():
    d = LineDecoder()
    assert d.feed(b"Reading: 1.0 kg\nReading: nan kg\nForce: inf N\none reading:\tovf\t| average:\tovf\n"
                  b"Reading: 3.0 oz\nTare done...\n") == [(None, KG_N)]
    assert d.bad_lines == 5


def test_plain_lines_are_read_as_before():
    d = LineDecoder()
    assert d.feed(b"t_ms,force_n\r\n10,1.5\r\n20;2.5\r\n3.0\r\n1,2,3\r\nnan\r\n") == \
        [(10.0, 1.5), (20.0, 2.5), (None, 3.0)]
    assert d.bad_lines == 2


def _pty():
    master, slave = os.openpty()
    tty.setraw(slave)
    os.set_blocking(master, False)
    return master, slave


def _writer(master: int, head: bytes, line: bytes, rate_hz: float, stop: threading.Event) -> threading.Thread:
    """A sketch: ``head`` once, then ``line`` at ``rate_hz`` in real time (paced on its own start)."""
    def run():
        os.write(master, head)
        t0, k = time.monotonic(), 0
        while not stop.is_set():
            k += 1
            time.sleep(max(0.0, t0 + k / rate_hz - time.monotonic()))
            try:
                os.write(master, line)
                os.read(master, 4096)        # the host's identify/start, unanswered
            except (BlockingIOError, OSError):
                pass
    th = threading.Thread(target=run, daemon=True)
    th.start()
    return th


@contextmanager
def _sketch_on_a_port(head: bytes, line: bytes, rate_hz: float):
    """A SerialSource open on a pseudo-terminal whose other end prints ``head`` and then
    ``line`` at ``rate_hz``, as a sketch does; all of it closed afterwards."""
    master, slave = _pty()
    stop = threading.Event()
    src = SerialSource(os.ttyname(slave))
    src.open()
    th = _writer(master, head, line, rate_hz, stop)
    try:
        yield src
    finally:
        stop.set()
        th.join(5)
        src.close()
        os.close(master)
        os.close(slave)


def test_sparkfun_style_kg_lines_at_80_hz_are_recorded_in_newtons():
    with _sketch_on_a_port(b"HX711 scale demo\r\nReadings:\r\n", b"Reading: 1.23 kg\r\n", 80.0) as src:
        got, deadline = [], time.monotonic() + 30
        while sum(len(c) for c in got) < 160 and time.monotonic() < deadline:
            got += [c for c in src.read(0.1) if c.stream == "force"]
        silent = src.silent(5)
    f = np.concatenate([c.values for c in got])
    t = np.concatenate([c.t_s for c in got])
    assert len(f) >= 160 and src.info["protocol"] == "line"
    assert np.allclose(f, 1.23 * KG_N)                   # 12.06 N, not 1.23 N nor no samples
    assert src.stats.crc_errors == 0 and src.info["force_units"] == "N"
    assert (np.diff(t) > 0).all()
    rate = (len(t) - 1) / (t[-1] - t[0])
    assert 60 < rate < 100, rate                         # 80 lines/s, spread on arrival
    assert "Reading" not in silent


def _until_raw_readings_said(src):
    """Read ``src`` until it says it gets raw ADC readings, then half a second more (40 lines at
    80 Hz): the chunks read, the notices, and what it says of its silence."""
    notes, got, deadline = [], [], time.monotonic() + 30
    while not any("raw ADC reading" in n.message for n in notes):
        assert time.monotonic() < deadline
        got += src.read(0.1)
        notes += src.notices()
    end = time.monotonic() + 0.5                     # 40 more lines: still said once
    while time.monotonic() < end:
        got += src.read(0.1)
        notes += src.notices()
    return got, notes, src.silent(5)


def test_uncalibrated_nau7802_on_a_port_says_raw_readings_once():
    with _sketch_on_a_port(NAU7802, b"Read 12345\r\n", 80.0) as src:
        got, notes, silent = _until_raw_readings_said(src)
    assert not [c for c in got if c.stream == "force"]
    said = [n.message for n in notes if "raw ADC reading" in n.message]
    assert len(said) == 1 and "'Read 12345'" in said[0] and "calibrate the sketch" in said[0]
    assert "raw ADC readings" in silent and "not the binary or line protocol" not in silent
    assert src.stats.crc_errors == 0


def test_probe_names_raw_readings():
    master, slave = _pty()
    stop = threading.Event()
    th = _writer(master, NAU7802, b"Read 12345\r\n", 80.0, stop)
    try:
        said = probe(os.ttyname(slave), timeout_s=2.0)
    finally:
        stop.set()
        th.join(5)
        os.close(master)
        os.close(slave)
    assert said.startswith("line protocol, but raw ADC readings ('Read 12345')") and "calibrate" in said


def test_a_device_that_prints_only_text_is_named_by_its_lines():
    """A port that prints words and never a number was described as '(0 unreadable lines)'."""
    master, slave = _pty()
    src = SerialSource(os.ttyname(slave))
    src.open()
    try:
        for _ in range(50):
            os.write(master, b"hello world, temperature ok\r\n")
        deadline = time.monotonic() + 10
        while src._line.lines < 50 and time.monotonic() < deadline:
            src.read(0.1)
        said = src.silent(5)
    finally:
        src.close()
        os.close(master)
        os.close(slave)
    assert "50 lines of text without a number" in said and "no samples" in said


# SparkFun Qwiic Scale (NAU7802) Example1_BasicReadings.ino: getReading(), a long, after "Reading: "
QWIIC = b"Qwiic Scale Example\r\nScale detected!\r\nReading: 25776\r\nReading: 43122\r\nReading: -120\r\n"


def test_qwiic_scale_raw_readings_are_no_forces():
    """'Reading: 25776' (an integer with no unit, of an ADC's size) was 25776 N; once a label has
    given counts, its count near zero is none either."""
    d = LineDecoder()
    assert d.feed(QWIIC) == []
    assert d.bad_lines == 0 and d.raw_lines == 3 and d.first_raw == (3, "Reading: 25776")


def test_a_unitless_decimal_or_small_integer_reading_is_still_a_force_as_it_comes():
    d = LineDecoder()
    assert d.feed(b"Reading: 1.23\r\nReading: 12\r\nReading: 12345.00\r\nReading: 25776 g\r\n") == \
        [(None, 1.23), (None, 12.0), (None, 12345.0), (None, 25.776 * KG_N)]
    assert d.raw_lines == 0


def test_qwiic_scale_on_a_port_says_raw_readings_once_and_records_no_force():
    with _sketch_on_a_port(QWIIC, b"Reading: 25790\r\n", 80.0) as src:
        got, notes, silent = _until_raw_readings_said(src)
    assert not [c for c in got if c.stream == "force"]
    said = [n.message for n in notes if "raw ADC reading" in n.message]
    assert len(said) == 1 and "'Reading: 25776'" in said[0] and "calibrate the sketch" in said[0]
    assert "raw ADC readings" in silent and src.stats.crc_errors == 0


def test_qwiic_scale_complete_example_gives_its_weight_not_its_count():
    """SparkFun's Qwiic Scale Example2_CompleteScale prints the raw count, then the calibrated
    weight: 'Reading: 25776<tab>Weight: 12.34'. The word 'Weight' was taken for the count's unit,
    an unknown one, so every line was text and nothing was recorded."""
    d = LineDecoder()
    rows = d.feed(b"Qwiic Scale Example\r\nScale detected!\r\nReading: 25776\tWeight: 0.00\r\n"
                  b"Reading: 43122\tWeight: 15.20\r\n")
    assert rows == [(None, 0.0), (None, 15.2)] and d.bad_lines == 0 and d.raw_lines == 0
