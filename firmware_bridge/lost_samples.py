"""Samples lost from a stream's times: how many a marked gap lost (:func:`lost_in_gap`), and where
holes no gap marks lie (:func:`holes_in_times`)."""

from __future__ import annotations

import numpy as np


def lost_in_gap(t: np.ndarray, t_end: float, rate_hz: float) -> tuple[int, int]:
    """Where the data resume after a gap marked up to ``t_end`` and how many samples were lost
    in it: ``(k, n)``, ``k`` the index in ``t`` of the first sample after it and ``n`` the samples
    missing between ``t[k-1]`` and ``t[k]`` at ``rate_hz`` (0 when ``k`` has no sample on either
    side). A gap is marked by its first and last lost sample (a device numbering its samples) or
    by the samples either side of it (a BLE capture, a device counting by its clock): counted
    from the data either side of the hole, both give the same."""
    k = int(np.searchsorted(t, t_end - 0.25 / rate_hz, side="left"))
    return k, (int(round((t[k] - t[k - 1]) * rate_hz)) - 1 if 0 < k < len(t) else 0)


# a step between two samples this many sample periods long or longer lost a sample (lost_in_gap
# counts round(step) - 1 in it); a shorter one lost none
HOLE_STEP_PERIODS = 1.5
# the samples each side of such a step whose median time tells a hole (those after it stay a
# period or more late) from jitter (they come back): a BLE logger's times jitter by up to ±0.4 of
# a period (fixtures/ble_jitter_grade2.csv, thrust_ble_letup.csv), making one step in 15 that long
HOLE_SIDE_SAMPLES = 16
HOLE_ROUNDS = 8        # holes closer than HOLE_SIDE_SAMPLES are found one more in each round
# times jittered by up to half a period (simulate --jitter 0.5, the most it makes) step by less
# than this many periods, and all lie within one period of each other on the sample grid: a step
# this long or longer is a hole whatever the jitter; a shorter one only when the samples around it
# spread over more than a period (and this much more, for the grid's drift over them that a rate
# measured from jittered times leaves: 0.04 of a period at 0.1 % off)
JITTER_STEP_PERIODS = 2.0
JITTER_BAND_SLACK = 0.1
# a step of two periods as written may read this much shorter: times rounded to the µs (a 2 kHz
# logger's step of 1 ms, its ends each rounded half a µs), or to the last bit of a float
STEP_ROUNDING_PERIODS = 0.01


def holes_in_times(t: np.ndarray, rate_hz: float) -> np.ndarray:
    """Where samples are missing from the times ``t`` (s, increasing) of a stream at ``rate_hz``
    though no gap marks it (a file another tool exported across a Bluetooth dropout): the index
    in ``t`` of the first sample after each hole, as :func:`lost_in_gap` gives it.

    A hole is a step of :data:`HOLE_STEP_PERIODS` or more after which the samples stay late: the
    median of the :data:`HOLE_SIDE_SAMPLES` after it (the one right after left out) is half a
    period or more later on the sample grid than the median of those before it (the one right
    before left out); near either end of the stream, only those there are. A step that long made
    by jittered times is followed by short ones, and is no hole. Jitter of up to half a period
    makes no hole: a step shorter than :data:`JITTER_STEP_PERIODS` is one only when the samples
    around it lie further apart on the grid than jitter can put them; a step that long near
    either end, where fewer samples tell, is one. Holes near each other are taken largest first,
    each one's samples counted out of the times after it before the next is judged."""
    t = np.asarray(t, dtype=np.float64)
    n = len(t)
    if n < 2 or not rate_hz > 0:
        return np.empty(0, dtype=np.int64)
    steps = np.diff(t) * rate_hz
    cand = np.flatnonzero(steps >= HOLE_STEP_PERIODS) + 1          # first sample after each
    if not len(cand):                                               # (most files: no more arrays of n)
        return cand
    lost = np.round(steps[cand - 1]) - 1
    step = steps[cand - 1]
    resid = t * rate_hz - np.arange(n)                              # grows by k where k are lost
    side = np.arange(HOLE_SIDE_SAMPLES)
    before, after = cand[:, None] - 2 - side, cand[:, None] + 1 + side
    # (samples beyond either end are none: not the end's sample again, which outweighed the others)
    in_before, in_after = before >= 0, after < n
    before, after = np.clip(before, 0, n - 1), np.clip(after, 0, n - 1)
    at_end = ~(in_before.all(axis=1) & in_after.all(axis=1))
    found = np.zeros(len(cand), bool)
    for _ in range(HOLE_ROUNDS):
        shift = np.zeros(n)
        shift[cand[found]] = lost[found]
        r = resid - np.cumsum(shift)
        # each side with the sample at the step, which stands for it where it has none
        rb = np.column_stack([r[cand - 1], np.where(in_before, r[before], np.nan)])
        ra = np.column_stack([r[cand], np.where(in_after, r[after], np.nan)])
        lone_b, lone_a = ~in_before[:, 0], ~in_after[:, 0]
        mb = np.where(lone_b, rb[:, 0], np.nanmedian(np.where(lone_b[:, None], 0.0, rb[:, 1:]), axis=1))
        ma = np.where(lone_a, ra[:, 0], np.nanmedian(np.where(lone_a[:, None], 0.0, ra[:, 1:]), axis=1))
        spread = np.fmax(np.nanmax(ra, axis=1), np.nanmax(rb, axis=1)) - np.fmin(np.nanmin(ra, axis=1),
                                                                                 np.nanmin(rb, axis=1))
        sure = step >= JITTER_STEP_PERIODS - STEP_ROUNDING_PERIODS
        late = ~found & (((ma - mb >= 0.5) | (sure & at_end))
                         & (sure | (spread > 1.0 + JITTER_BAND_SLACK)))
        if not late.any():
            break
        # of the late steps near each other, the largest: the others may be late by its samples
        i = np.flatnonzero(late)
        w = HOLE_SIDE_SAMPLES + 1
        at = np.zeros(n + 2 * w)
        at[cand[i] + w] = steps[cand[i] - 1]
        nearby = np.lib.stride_tricks.sliding_window_view(at, 2 * w + 1).max(axis=1)   # (n,)
        found[i[steps[cand[i] - 1] >= nearby[cand[i]]]] = True
    return cand[found]
