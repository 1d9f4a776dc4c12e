"""Every BLE profile's decoder against arbitrary notification bytes: never an exception, only
finite forces, and times that stay finite and strictly increasing on the host timeline. (The
Progressor's own codec is fuzzed in test_ble.py.)
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware_bridge import ble_profiles as bp
from firmware_bridge import ble_timeline as bt
from firmware_bridge.protocol import binary

# bytes that look like the real thing now and then: frames, lines, numbers, separators
_PIECES = st.one_of(
    st.binary(max_size=60),
    st.sampled_from([b"\x00", b"\n", b",", b"-", b".", b"1e308", b"nan", b"inf", b"12.5", b"99999999999999",
                     b"Force: 3 N", b"HX711 reading: 8388000"]),
    st.builds(lambda s, t, dt, n: binary.encode_samples(s, t, dt, np.arange(n, dtype=float)),
              st.integers(0, 2 ** 32 - 1), st.integers(0, 2 ** 32 - 1), st.integers(0, 65535), st.integers(1, 20)),
)
_NOTIFICATIONS = st.lists(st.tuples(st.lists(_PIECES, max_size=4).map(b"".join), st.floats(0, 1e4)),
                          max_size=40)


def _check(prof: bp.Profile, notes) -> None:
    tl = bt.Timeline(prof.clock_wrap_us, prof.seq_modulus)
    last = -np.inf
    for i, (data, t_host) in enumerate(sorted(notes, key=lambda x: x[1])):
        if i == len(notes) // 2:
            prof.reset()            # a reconnect half way
            tl.new_epoch()
        for b in prof.decode(data):
            assert np.all(np.isfinite(b.values))
            p = tl.place(b, t_host)
            assert len(p.t_s) == len(p.values)
            if b.stream == "force" and len(p.t_s):
                assert np.all(np.isfinite(p.t_s)) and p.t_s[0] > last and np.all(np.diff(p.t_s) > 0)
                last = p.t_s[-1]
        prof.notes()
        assert prof.errors >= 0


@settings(max_examples=300, deadline=None)
@given(_NOTIFICATIONS)
def test_nus_decoder_survives_any_bytes(notes):
    _check(bp.NusProfile(), notes)


@settings(max_examples=300, deadline=None)
@given(_NOTIFICATIONS)
def test_gradecoach_decoder_survives_any_bytes(notes):
    _check(bp.GradecoachProfile(), notes)
