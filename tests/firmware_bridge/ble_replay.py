"""Replayed BLE notifications delivered late, for the tests of notifications out of order.

``radio_fakes`` is test_ble.py: its fake radio stands where bleak's scanner and client stand,
so everything from the notification callback on is the code a live device runs through. On top
of it: a notification moved later in a radio's stream, a replay recorded into a session folder,
and notifications of any arrival order handed through the Reorder and Timeline stages alone.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from analysis.scheme import GradingScheme
from firmware_bridge import ble_profiles as bp
from firmware_bridge import ble_timeline as bt
from firmware_bridge.ble import BleSource
from firmware_bridge.recorder import RecordResult, finish_meta, new_meta, record
from firmware_bridge.session import SessionWriter

_spec = importlib.util.spec_from_file_location("_ble_replay", Path(__file__).with_name("test_ble.py"))
radio_fakes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(radio_fakes)


def delivered_late(radio, i: int, after: int):
    """``radio`` with notification ``i`` of its stream delivered 1 ms after the ``after`` ones
    that followed it. Returns ``radio``."""
    records = list(radio.records)
    rec = records.pop(i)
    records.insert(i + after, (records[i + after - 1][0] + 0.001, rec[1], rec[2]))
    radio.records = records
    return radio


def record_replay(radio, folder: Path, scheme: GradingScheme, imu: bool = False
                  ) -> tuple[BleSource, RecordResult]:
    """All of ``radio``'s notifications replayed through a BLE source and recorded into the
    session folder ``folder`` (``imu``: with its imu.csv), as ``gradecoach record`` does, the
    source closed after. Returns (source, record's result)."""
    src = radio_fakes.open_replay(radio)
    try:
        w = SessionWriter(folder, new_meta(src, scheme), imu=imu)
        res = record(src, w, scheme, notice=lambda s: None, stop=radio.done.is_set)
        finish_meta(w, src, res)
        w.close()
    finally:
        src.close()
    return src, res


def arrivals(plan: list[tuple[int, bool, bool]], by: str, k: int, wrap: int
             ) -> list[tuple[float, int, bp.Batch]]:
    """Force notifications as they arrive, in order of arrival: ``(t_host_s, i, batch)``.

    Notification ``i`` holds samples ``i * k`` to ``i * k + k - 1`` (their values), 1 ms apart,
    starting 55 samples before the wrap ``wrap`` of the µs clock (and of the sequence number,
    numbered when ``by == "seq"``, else only timed). ``plan[i] = (late_10ms, lost, twice)``: it
    arrives at ``0.02 + i * 0.01`` s plus ``late_10ms`` × 10 ms; never if ``lost``; again 5 ms
    later if ``twice``.
    """
    out = []
    for i, (late_10ms, lost, twice) in enumerate(plan):
        n0 = i * k
        t_dev = (wrap - 55_000 + 1000 * (n0 + np.arange(k))) % wrap
        seq0 = (wrap - 55 + n0) % wrap if by == "seq" else None
        batch = bp.Batch("force", n0 + np.arange(k, dtype=float), t_dev, seq0)
        t = i * 0.01 + 0.02 + late_10ms * 0.01
        if not lost:
            out.append((t, i, batch))
            if twice:
                out.append((t + 0.005, i, batch))
    out.sort(key=lambda a: (a[0], a[1]))
    return out


def placed(arrived: list[tuple[float, int, bp.Batch]], by: str, wrap: int
           ) -> tuple[np.ndarray, np.ndarray, int, bt.Timeline]:
    """The ``arrived`` notifications (from ``arrivals``, at least one placed) pushed through a
    Reorder stage into a Timeline, then flushed and released, as a BLE source hands them on.
    Returns (the placed samples' times in s, each one's index as sent, the samples the timeline
    counted missing, the timeline)."""
    tl = bt.Timeline(clock_wrap_us=wrap, seq_modulus=wrap if by == "seq" else None)
    ro = bt.Reorder(by, wrap)
    out, missing = [], 0

    def hand_on(notes):
        nonlocal missing
        for batches, t_host in notes:
            for b in batches:
                p = tl.place(b, t_host)
                missing += p.missing
                if len(p.t_s):
                    out.append((p.t_s, p.values))

    for t, _, b in arrived:
        hand_on(ro.push([b], t))
    hand_on(ro.flush())
    tl.release()
    t_s = np.concatenate([t for t, _ in out])
    n = np.concatenate([v for _, v in out]).astype(int)
    return t_s, n, missing, tl
