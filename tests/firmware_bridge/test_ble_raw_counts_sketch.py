"""A NUS sketch that prints raw ADC readings (an HX711 not yet calibrated) is told as over
serial: once, naming the first such line and what to do, and a recording that got no sample says
why instead of 'is it streaming?'. Replayed notifications through bleak's API boundary, as in
test_ble.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from firmware_bridge import ble_profiles as bp
from firmware_bridge.recorder import first_chunks

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
_h = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_h)


def test_a_sketch_printing_raw_adc_readings_is_told_not_silent():
    text = b"".join(b"HX711 reading: %d\n" % (8_388_000 + 7 * i) for i in range(40))
    records = [(0.02 * (k + 1), bp.NUS_TX_UUID, text[i:i + 20]) for k, i in enumerate(range(0, len(text), 20))]
    radio = _h.Radio("nus", records=records)
    src = _h.open_replay(radio)
    try:
        assert radio.done.wait(10)
        assert first_chunks(src, 0.2) == []
        notices = src.notices()
        why = src.silent(5.0)
    finally:
        src.close()
    info = [n.message for n in notices if n.kind == "info"]
    assert info == [f"{src.spec}: line 1 'HX711 reading: 8388000' is a raw ADC reading, not a force: such "
                    f"lines are not recorded; {bp.CALIBRATE_HINT}"]
    assert why == (f"{len(records)} notifications in 5 s but no samples: 40 lines of raw ADC readings "
                   f"(line 1: 'HX711 reading: 8388000'), not forces; {bp.CALIBRATE_HINT}")
