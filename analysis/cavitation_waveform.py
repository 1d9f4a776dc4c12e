"""Waveform features of the cavitation detector (``analysis.cavitation``): when a pop starts,
its peak frequency, and how it rings.

A pop is an impulse: it starts with an edge, gives its ring all its energy at once, rings
below 2 kHz for a few ms and swings back to the level before it. Each function measures one
of these on the samples around one candidate that the detector hands over (native rate, or
the internal rate's block means and timing signal); none keeps state.

- Onset (:func:`onset`): on the 70 Hz high-passed native-rate samples from 2 frames before
  the candidate to its peak, the first sample clearly above the quietest noise before it. No
  delay is subtracted: a pop starts with an edge, whose energy lies far above 70 Hz.
- ``peak_hz`` (:func:`peak_frequency`): the peak (80 Hz–2.4 kHz) of the spectrum of the timing
  signal (the 70 Hz high-passed internal-rate signal) from the onset for up to 20 ms or until
  the next pop of the cluster, flat for its first half: a low pop rings only a period or two,
  loudest at its onset.
- ``short``, ``abrupt`` and ``step`` (:func:`ring`), on the block means less their level just
  before the onset, not band-passed, whose own ringing would lengthen a click to a pop's length:
  a pop rings, staying within ``ring_db`` of its loudest for ``ring_min_ms`` or more (``short``:
  a digital click of 0.1-0.5 ms, whose energy lies in the pop band, is over sooner), its energy
  over the millisecond after its loudest 0.5 ms within ``ring_fall_db`` of that (``abrupt``,
  :func:`fall`: a click's next millisecond holds only the noise, also where the noise hides its
  fall to 20 dB down), and swings back to the level before it, since a microphone passes no DC (a jump in the waveform
  stays shifted by ``step_share`` of its peak from 3 to 8 ms after it).
- ``click`` (:func:`brightness`), when the peak frequency is ``click_min_hz`` or more: a struck
  object, such as a clicky keyboard's key, rings at 0.8-1.8 kHz a little slower than a pop and
  a little brighter; either alone is within a pop's range, both at once are not (so the decay
  and band share margins together must reach ``click_pair_min``). (Under ``click_min_hz``, 8 ms
  hold only a few periods of a pop's ring, and low pops that seem to decay slowly are common.)
  A bright ring counts against as a third margin there: a pop rings below 2 kHz, and what it
  has above the band is its onset's crack, over within 3 ms, while a struck key's ring reaches
  above the band as long as it rings. So from 3 ms after the peak until 8 ms, the ring's end
  (20 dB down) or the next pop, the energy above the band is weighed against that in it
  (``click_bright_db``; or against what a ring at the peak frequency leaks through the filters,
  near 2 kHz), when for 3 ms or more both fade by ``click_fade_db``/``click_band_fade_db`` a
  millisecond, as a ring does: in a room the echo of a pop lingers in and above the band
  without fading, and it is no key.
- ``thud`` (:func:`swell`), under ``click_min_hz``: a ring that still swells after its steepest
  rise (``thud_swell_db``). A pop gives its ring all its energy at once, a heel or a block set
  down presses for a millisecond or more, and the floor's ring grows meanwhile.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import signal

from analysis.cavitation_features import median
from analysis.filtering import sosfilt_rest
from analysis.cavitation_scheme import PopScheme


def onset(x: np.ndarray, ba: tuple[np.ndarray, np.ndarray], w0: int, a0: int, j0: int, block: int) -> int:
    """Native-rate index of a sound's onset: ``x`` are one channel's native samples from index
    ``w0`` (warm-up for the 70 Hz high-pass ``ba``) to the sound's peak; the noise is measured
    from ``a0``, the onset sought from ``j0`` (:func:`onset_sample`, over blocks of ``block``)."""
    xn = signal.lfilter(*ba, np.asarray(x, dtype=np.float64))
    return j0 + onset_sample(xn[j0 - w0:], xn[a0 - w0:j0 - w0], block=block)


def peak_frequency(r: np.ndarray, j_i: int, j_stop: int, fs: float, band_hz: tuple[float, float]) -> float | None:
    """Peak frequency (Hz, 0.1 Hz steps; 0.8 × ``band_hz[0]`` to 1.2 × ``band_hz[1]``) of a pop's
    ring: the spectrum of the timing signal ``r`` (rate ``fs``) from the onset (index ``j_i``)
    for up to 20 ms or until the next pop (index ``j_stop``); None under 8 samples. A low pop
    (100-300 Hz) rings only a period or two: the window is long enough to hold them, and flat
    at first, since a ring is loudest at its onset (a Hann window over 6 ms put most low pops
    at the search band's lower edge)."""
    w = r[j_i:min(j_i + int(0.020 * fs), j_stop, len(r))]
    peak_hz = None
    if len(w) >= 8:
        n = 4096
        f, band = _search_bins(n, float(fs), float(band_hz[0]), float(band_hz[1]))
        spec = np.abs(np.fft.rfft(w * _half_taper(len(w)), n)[band])
        peak_hz = round(float(f[np.argmax(spec)]), 1)
    return peak_hz


@lru_cache(maxsize=16)
def _search_bins(n: int, fs: float, lo_hz: float, hi_hz: float) -> tuple[np.ndarray, slice]:
    """The frequencies (Hz) of an ``n``-point spectrum at rate ``fs`` that :func:`peak_frequency`
    searches (0.8 × ``lo_hz`` to 1.2 × ``hi_hz``), and which bins they are (a run of them)."""
    f = np.fft.rfftfreq(n, 1 / fs)
    i = np.flatnonzero((f >= lo_hz * 0.8) & (f <= hi_hz * 1.2))
    band = slice(int(i[0]), int(i[-1]) + 1) if len(i) else slice(0, 0)
    f = f[band].copy()
    f.flags.writeable = False
    return f, band


@lru_cache(maxsize=256)
def _half_taper(n: int) -> np.ndarray:
    """:func:`peak_frequency`'s window of ``n`` samples: flat for the first half, the second half
    of a Hann window after it (read-only: shared by every call)."""
    taper = np.ones(n)
    h = n // 2
    taper[h:] = np.hanning(2 * (n - h))[n - h:]
    taper.flags.writeable = False
    return taper


def ring(y: np.ndarray, i_on: int, i_end: int, fs: float, s: PopScheme) -> tuple[float, float, float]:
    """How long the sound from the onset (row ``i_on`` of ``y``, one channel's internal-rate
    block means at rate ``fs``, up to the horizon; the next pop of its cluster from row
    ``i_end``) stays within ``ring_db`` of its loudest (ms), and how far it stays shifted from the
    level before it from ``step_ms[0]`` to ``step_ms[1]`` after the onset (a share of its peak),
    and how far its energy falls at once after its loudest 0.5 ms (dB, :func:`fall`).

    Both on the block means less their median over the ``ring_pre_ms`` before the onset, not
    band-passed: a filter's own ringing would lengthen a click to a pop's length. The sound's
    energy is taken over 0.5 ms; it has ended where it stays ``ring_db`` down for
    ``ring_gap_ms`` (a low pop's zero crossings are shorter), and never when it does not
    (noise over that level, or a step). The shift is the 10th percentile of the samples on
    the side of their median: a microphone passes no DC, so a sound returns to the level
    before it as it rings, and a step in the waveform stays where it went."""
    n_pre = max(1, int(round(s.ring_pre_ms * 1e-3 * fs)))
    if i_on < n_pre or i_on >= len(y):
        return np.inf, 0.0, 0.0
    x = y - median(y[i_on - n_pre:i_on])
    n_sm = max(1, int(round(0.5e-3 * fs)))
    end = min(max(i_end, i_on + 1), len(x))
    env = np.convolve(x * x, np.full(n_sm, 1.0 / n_sm))[n_sm // 2:n_sm // 2 + len(x)][i_on:end]
    a3, a8 = (i_on + int(round(v * 1e-3 * fs)) for v in s.step_ms)
    top = float(np.abs(x[i_on:a3]).max(initial=0.0))
    if top <= 0 or end - i_on < 2:
        return np.inf, 0.0, 0.0
    n3 = min(a3, end) - i_on                     # the rows the peak is sought in
    w = x[a3:min(a8, end)]
    step = 0.0
    if len(w) >= n_sm:
        w = w * (1.0 if median(w) >= 0 else -1.0)
        step = float(np.partition(w, len(w) // 10)[len(w) // 10]) / top
    i_pk = int(np.argmax(env[:n3]))
    quiet = env < float(env[i_pk]) * 10 ** (-s.ring_db / 10)
    gap = max(1, int(round(s.ring_gap_ms * 1e-3 * fs)))
    runs = np.convolve(quiet[i_pk:], np.ones(gap, int), "valid") == gap   # quiet for gap rows from here
    ends = np.flatnonzero(runs)
    return (float((i_pk + ends[0]) / fs * 1e3) if len(ends) else np.inf), step, fall(y, i_on, end, n_pre, n_sm)


def fall(y: np.ndarray, i_on: int, end: int, n_pre: int, n_sm: int) -> float:
    """How far (dB) a sound's energy falls at once: its most over ``n_sm`` rows (0.5 ms) of the
    block means ``y`` in the 3 ms from the onset (row ``i_on``), against its most over 1 ms
    begun within the millisecond that follows (up to row ``end``, where the next pop of its
    cluster rises); 0 when that is not all there. The level is the line through the ``n_pre``
    rows before the onset, so that the drift of hum and room noise under a click is not read as
    its ring. A pop rings: one of 3 ms, 40 dB down at its end, loses 13 dB a millisecond, and
    its energy over the millisecond after its loudest 0.5 ms is about 9 dB under that (a few dB
    more for a burst of noise that happens to be loud at first, or a crack that fills those 0.5
    ms). A digital click of 0.1-0.5 ms is over within its loudest 0.5 ms: the millisecond after
    holds only the room's noise."""
    if n_pre < 2 or i_on < n_pre or end - i_on < 2:
        return 0.0
    n = min(end, len(y)) - i_on
    t = np.arange(-n_pre, n, dtype=np.float64)
    b, a = np.polyfit(t[:n_pre], np.asarray(y[i_on - n_pre:i_on], dtype=np.float64), 1)
    x = np.asarray(y[i_on:i_on + n], dtype=np.float64) - (a + b * t[n_pre:])
    e = x * x
    env = np.convolve(e, np.full(n_sm, 1.0 / n_sm))[n_sm // 2:n_sm // 2 + len(x)]   # centred
    i_pk = int(np.argmax(env[:6 * n_sm]))
    n_after = 2 * n_sm
    after = np.convolve(e, np.full(n_after, 1.0 / n_after), "valid")   # from each row on
    a0 = i_pk + n_sm // 2 + 1                      # the first row after the loudest 0.5 ms (env is centred)
    w = after[a0:a0 + n_after]
    if len(w) < n_after or env[i_pk] <= 0:
        return 0.0
    return float(10 * np.log10(env[i_pk] / max(float(w.max()), env[i_pk] * 1e-12)))


def swell(r: np.ndarray, i_on: int, i_end: int, f_hz: float, sos_b: np.ndarray, fs: float, s: PopScheme) -> float:
    """How much the ring's energy still grows after its steepest rise (dB, <= 0): its most in
    the first ``thud_swell_ms[1]`` from that rise against its most in the ``thud_swell_ms[2]``
    from there (up to ``i_end``, where the next pop of its cluster rises). The energy of a
    ring at ``f_hz`` is its swing and its speed over the angular frequency, squared and added
    (a tone's is flat), of the pop band (``sos_b``) of the timing signal ``r`` (internal rate
    ``fs``); the steepest rise is the largest gain over ``thud_swell_ms[0]``, sought from that
    long before the onset (row ``i_on`` of ``r``) until 3 ms after it. An impulse (a pop) gives
    its ring all its energy at once; a force that presses for a millisecond or more (a heel, a
    block set down) lets the ring swell while it presses. The window also ends where another
    pop rises: after this one has died down (10 dB down and up again), or sharply
    (``thud_rise_db`` within ``thud_rise_ms[1]``, ``thud_rise_ms[0]`` or more after the
    steepest rise: a ring swells a few dB a millisecond)."""
    g, n_first, n_win = (max(1, int(round(v * 1e-3 * fs))) for v in s.thud_swell_ms)
    b = min(i_on + int(round(3e-3 * fs)) + n_win, len(r))
    x = sosfilt_rest(sos_b, r[:b])
    dx = gradient(x) * (fs / (2 * np.pi * f_hz))
    n_sm = max(1, int(round(0.25e-3 * fs)))
    e_db = 10 * np.log10(np.convolve(x * x + dx * dx, np.full(n_sm, 1.0 / n_sm), "same") + 1e-30)
    ts = np.arange(max(i_on - g, g), min(i_on + int(round(3e-3 * fs)), b))
    if not len(ts):
        return 0.0
    t = int(ts[np.argmax(e_db[ts] - e_db[ts - g])])
    end = max(min(t + n_win, i_end, b), t + n_first)
    # a ring swells without a dip; another pop rising within it (one 3 ms after this one,
    # whose rise the band's frames do not tell apart) comes after this one has died down:
    # the window ends where the energy falls 10 dB from its most and rises 10 dB again
    # (at 6 dB, 2 more false pops in 3 min of real impacts scattered over room noise)
    seg = e_db[t:end]
    top = np.maximum.accumulate(seg)
    dip = np.minimum.accumulate(np.where(seg <= top - 10.0, seg, np.inf))
    again = np.flatnonzero((seg - dip >= 10.0) & (np.arange(len(seg)) >= n_first))
    if len(again):
        end = t + int(again[0])
    # a pop 2-4 ms after this one need not wait for it to die down: its own edge gains more in
    # a millisecond than a ring swells (a pair of pops 3 ms apart was lost whole as a thud)
    n_from, n_rise = (int(round(v * 1e-3 * fs)) for v in s.thud_rise_ms)
    a = t + n_from + n_rise
    if end > a:
        rise = np.flatnonzero(e_db[a:end] - e_db[a - n_rise:end - n_rise] >= s.thud_rise_db)
        if len(rise):
            end = a + int(rise[0]) - n_rise
    return float(e_db[t:t + n_first].max() - e_db[t:end].max())


def gradient(x: np.ndarray) -> np.ndarray:
    """``np.gradient(x)`` of a 1-D float array (the same values: central differences halved,
    one-sided at the ends), without its general set-up, which is most of its cost on the few
    hundred samples :func:`swell` takes it of."""
    if len(x) < 2 or x.dtype.kind != "f":
        return np.gradient(x)
    g = np.empty_like(x)
    np.subtract(x[2:], x[:-2], out=g[1:-1])
    g[1:-1] /= 2.0
    g[0] = x[1] - x[0]
    g[-1] = x[-1] - x[-2]
    return g


def brightness(db: np.ndarray, i0: int, p: int, q: int, floor: float, high: tuple[np.ndarray, int, float],
               ring_n: tuple[int, int, int], frame_s: float, s: PopScheme) -> float:
    """How bright the candidate's ring is: the energy above the pop band over that in it (dB),
    each over its floor, from ``click_ring_ms[0]`` after the peak (row ``p`` of the band's
    frames ``db``, ``frame_s`` apart; the candidate's row ``i0``) until ``click_ring_ms[1]``,
    the ring's end (``click_ring_db`` down) or row ``q`` (where the next pop of its cluster
    begins to show); ``ring_n`` is those two and the 3 ms at least, in frames; ``high`` from
    ``SideBands.high``. -inf when that is under 3 ms, or when the energy above the band, or in
    it, does not fade by ``click_fade_db``, ``click_band_fade_db`` a millisecond meanwhile: a
    struck key's bright ring fades as it rings, while in a room the echo of a pop lingers in
    and above the band."""
    a, b = p + ring_n[0], min(p + ring_n[1], q)
    over = np.flatnonzero(db[a:b] < db[p] - s.click_ring_db)
    b = a + int(over[0]) if len(over) else b
    hd, ih, hfloor = high
    hw = hd[ih + a - i0:ih + b - i0]
    if b - a < ring_n[2] or len(hw) < b - a or len(db) < b:      # (at the stream's end)
        return -np.inf
    t_ms = np.arange(len(hw)) * frame_s * 1e3
    if (np.polyfit(t_ms, hw, 1)[0] > -s.click_fade_db
            or np.polyfit(t_ms, db[a:b], 1)[0] > -s.click_band_fade_db):
        return -np.inf
    e_band = np.maximum(10 ** (db[a:b] / 10) - 10 ** (floor / 10), 0.0)
    e_high = np.maximum(10 ** (hw / 10) - 10 ** (hfloor / 10), 0.0)
    return float(10 * np.log10(max(float(e_high.mean()), 1e-30) / max(float(e_band.mean()), 1e-30)))


def onset_sample(r: np.ndarray, pre: np.ndarray, block: int = 16) -> int:
    """Index in ``r`` (one channel, search window ending at the peak) where the pop starts:
    the first sample above both 5 × the noise RMS and a tenth of the window's peak (at most
    half of it). The noise RMS is that of the quietest ``block`` of ``pre``, so the tail of
    an earlier pop in the same cluster does not raise it."""
    a = np.abs(r)
    top = float(a.max(initial=0.0))
    sigma = 0.0
    if len(pre) >= block:
        nb = len(pre) // block
        blocks = pre[len(pre) - nb * block:].reshape(nb, block)
        sigma = float(np.sqrt(np.min(np.mean(blocks * blocks, axis=1))))
    thr = min(max(5.0 * sigma, 0.1 * top), 0.5 * top)
    idx = np.flatnonzero(a > thr)
    return int(idx[0]) if len(idx) else 0
