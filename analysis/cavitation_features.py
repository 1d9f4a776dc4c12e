"""Building blocks of the cavitation detector: a history of recent arrays, the cheap causal
front end that runs over the whole signal (block decimation, pop-band filter, frame energies,
adaptive floor) and the side-band energies computed only around candidates. The settings are
in :mod:`analysis.cavitation_scheme`.

Everything over the whole signal is causal and carries its state between calls (the filter's
state, partial blocks and frames, the floor's block levels kept for the next call; its hot paths
are compiled, in :mod:`analysis.cavitation_kernels`); what is computed around a candidate depends
only on the samples around it. So the detector built on it is chunk-invariant.
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache

import numpy as np
from scipy import signal

from analysis.cavitation_scheme import PopScheme
from analysis.hum import HumNotch

try:                                    # scipy's own kernel behind signal.sosfilt
    from scipy.signal._sosfilt import _sosfilt as _sosfilt_kernel
except ImportError:                     # (a private name: another scipy may move it)
    _sosfilt_kernel = None


def _kernel_agrees() -> bool:
    """Whether the kernel takes the arguments used here and gives ``signal.sosfilt``'s values (a
    private function: another scipy may change it without moving it); if not, it is not used."""
    try:
        sos = signal.butter(2, [0.1, 0.4], "bandpass", output="sos")
        x = np.sin(np.arange(64.0))
        y = x.copy().reshape(1, -1)
        _sosfilt_kernel(sos, y, np.zeros((1, len(sos), 2)))
        return bool(np.array_equal(y[0], signal.sosfilt(sos, x)))
    except Exception:                   # (any failure: the public function is used instead)
        return False


if _sosfilt_kernel is not None and not _kernel_agrees():
    _sosfilt_kernel = None


@lru_cache(maxsize=64)
def _butter(order: int, wn: float | tuple[float, ...], btype: str, fs: float, output: str):
    return signal.butter(order, list(wn) if isinstance(wn, tuple) else wn, btype, fs=fs, output=output)


def butter(order: int, wn, btype: str = "low", *, fs: float, output: str = "ba"):
    """``scipy.signal.butter``, designed once per set of arguments and copied out: a detector is
    started for every file and stream, and its filter designs were most of its start (2.6 ms)."""
    d = _butter(order, tuple(float(v) for v in wn) if np.ndim(wn) else float(wn), btype, float(fs), output)
    return d.copy() if output == "sos" else tuple(v.copy() for v in d)


class Tape:
    """Recent rows of a signal, kept as the arrays they arrived in (appending copies nothing),
    addressed by global row index. Callers drop what they no longer need (``drop_before``)."""

    def __init__(self, width: int) -> None:
        self.parts: deque[tuple[int, np.ndarray]] = deque()
        self.width = width
        self.end = 0
        self.start = 0

    def append(self, a: np.ndarray) -> None:
        if len(a):
            self.parts.append((self.end, a))
            self.end += len(a)

    def drop_before(self, k: int) -> None:
        while self.parts and self.parts[0][0] + len(self.parts[0][1]) <= k:
            self.parts.popleft()
        self.start = self.parts[0][0] if self.parts else self.end

    def get(self, k0: int, k1: int) -> np.ndarray:
        """Rows ``max(k0, start) <= k < min(k1, end)`` (a view when they lie in one array)."""
        k0, k1 = max(k0, self.start), min(k1, self.end)
        if k1 <= k0:
            return np.zeros((0, self.width))
        s, a = self.parts[-1]
        if k0 >= s:                                     # (most often: the rows lie in the last array)
            return a[k0 - s:k1 - s]
        out = [a[max(k0 - s, 0):k1 - s] for s, a in self.parts if s < k1 and s + len(a) > k0]
        return out[0] if len(out) == 1 else np.concatenate(out)


def block_sum(x: np.ndarray, m: int) -> np.ndarray:
    """Sums of consecutive groups of ``m`` rows of ``x`` (float64; rows past the last whole group
    are ignored), always added in the same order so the result does not depend on where ``x``
    was cut. Strided adds: several times faster than ``reshape(..).sum(axis=1)`` for small ``m``."""
    nb = len(x) // m
    acc = x[0:nb * m:m].astype(np.float64)
    for i in range(1, m):
        acc += x[i:nb * m:m]
    return acc


def sosfilt_rest(sos: np.ndarray, x: np.ndarray, overwrite: bool = False) -> np.ndarray:
    """``signal.sosfilt(sos, x)`` of a 1-D float array from rest (zero state), the same values
    (scipy's own kernel), without the checks and axis handling that are a sixth of its cost
    on the few thousand samples around a candidate. ``sos`` is float64; ``overwrite``: ``x``
    is a float64 array the caller no longer needs, filtered in place."""
    if (_sosfilt_kernel is None or np.ndim(x) != 1 or np.asarray(x).dtype.kind != "f"
            or sos.dtype != np.float64 or not (sos.flags.c_contiguous and sos.flags.writeable)):
        return signal.sosfilt(sos, x)
    y = x if overwrite and x.dtype == np.float64 and x.flags.c_contiguous else np.array(x, dtype=np.float64)
    _sosfilt_kernel(sos, y.reshape(1, -1), np.zeros((1, len(sos), 2)))
    return y


def sosfilt_state(sos: np.ndarray, x: np.ndarray, zi: np.ndarray) -> np.ndarray:
    """``signal.sosfilt(sos, x, axis=0, zi=...)`` of a float64 array ``x`` (n, ch), the same
    values (scipy's own kernel), without the checks and axis moves that were a quarter of its
    cost on a second of audio. ``zi`` is the state in the kernel's own layout, (ch, sections, 2)
    float64, carried from call to call: it is updated in place."""
    if (_sosfilt_kernel is None or x.ndim != 2 or x.dtype != np.float64 or sos.dtype != np.float64
            or not (sos.flags.c_contiguous and sos.flags.writeable)):
        y, zf = signal.sosfilt(sos, x, axis=0, zi=np.moveaxis(zi, 0, -1))
        zi[...] = np.moveaxis(zf, -1, 0)
        return y
    y = np.array(x.T, dtype=np.float64, order="C")     # (ch, n): filtered in place
    _sosfilt_kernel(sos, y, zi)
    return y.T


class FrontEnd:
    """Native-rate audio (n, ch) → internal-rate signal, pop-band frame energies and their floor.

    The only pass over every sample, so it is kept cheap: block means of ``m`` samples (a boxcar
    anti-alias, whose nulls fall on the frequencies that fold onto 0 Hz) down to about 8 kHz, one
    2nd-order band-pass, mean-square energies per frame, and a floor that is the median of the
    last ``floor_window_s`` of block levels (one level per ``floor_every_ms``), or
    ``floor_recent_db`` over the loudest of the last ``floor_recent_blocks`` levels, or over the
    loudest of the last ``floor_fast_blocks`` levels of ``floor_fast_ms`` each, when that is
    lower (the sound that held the median up has stopped).
    """

    START_FRAMES = 20                                   # 10 ms of frames: the first floor

    def __init__(self, rate_hz: float, channels: int, scheme: PopScheme) -> None:
        s = scheme
        self.rate_hz = float(rate_hz)
        self.ch = channels
        self.m = max(1, int(round(rate_hz / s.internal_hz)))
        fs = self.fs = self.rate_hz / self.m
        self.hop = max(1, int(round(s.frame_ms * 1e-3 * fs)))
        lo, hi = s.band_hz
        hi = min(hi, 0.45 * fs)
        self.sos_b = butter(2, [lo, hi], "bandpass", fs=fs, output="sos")
        self.zi_b = np.zeros((channels, self.sos_b.shape[0], 2))      # (sosfilt_state's layout)
        self.hum = HumNotch(fs, channels, self.sos_b) if s.hum_notch else None
        fpm = 1e-3 * fs / self.hop                      # frames per millisecond
        n_sm = max(1, int(round(s.smooth_ms * fpm)))
        self.fir = np.full(n_sm, 1.0 / n_sm)
        self.fr_tail = np.zeros((n_sm - 1, channels))  # the last frames, for the moving average
        self.block = max(1, int(round(s.floor_every_ms * fpm)))
        self.n_blocks = max(1, int(round(s.floor_window_s * 1e3 / s.floor_every_ms)))
        self.pct = s.floor_percentile
        self.n_recent = min(max(0, int(s.floor_recent_blocks)), self.n_blocks)
        self.recent_db = float(s.floor_recent_db)
        # the short levels (none without floor_recent_blocks: that turns both caps off)
        n_fast = int(s.floor_fast_blocks) if self.n_recent > 0 else 0
        b_fast = max(1, int(round(s.floor_fast_ms * fpm)))
        self.part = np.zeros((0, channels))            # native samples of an unfinished block
        self.part_t = np.zeros(0)
        self.left = np.zeros((0, channels))             # band-squared samples not yet in a frame

        def rank(block: int) -> int:                   # a block's level: this rank of every 4th frame
            return int(round(self.pct / 100 * (len(range(0, block, 4)) - 1)))
        # the floor's state (kernels.floor_frames): frames so far and the settings; the unfinished
        # block, the first block sorted, the last levels, the current block's floor; the same for
        # the short levels
        self.floor_ints = np.array([0, self.block, self.n_blocks, rank(self.block), self.n_recent,
                                    b_fast, n_fast, rank(b_fast), self.START_FRAMES], dtype=np.int64)
        self.floor_state = (np.zeros((self.block, channels)), np.zeros((self.block, channels)),
                            np.zeros((self.n_blocks, channels)),
                            np.full(channels, np.inf), np.zeros((b_fast, channels)),
                            np.zeros((max(n_fast, 1), channels)), np.full(channels, np.inf))
        # compiled kernels (numba): imported here, so that only a pop detector pays for numba
        from analysis import cavitation_kernels
        self.kernels = cavitation_kernels
        # delay of the block mean (its centre) relative to the block's first sample
        self.delay_s = 0.5 * (self.m - 1) / self.rate_hz

    def feed(self, x: np.ndarray, t_s: np.ndarray):
        """Returns ``(y, t_int, rows)``: block means (k, ch) at the internal rate, their times
        (time of each block's first sample), and per frame the columns smoothed band dB (ch),
        its floor (ch), raw band dB (ch)."""
        m, ch, kern = self.m, self.ch, self.kernels
        ys, ts = [], []
        i = 0
        # (the kernel takes float32 or float64 rows in order)
        x = np.ascontiguousarray(x, dtype=x.dtype if x.dtype == np.float32 else np.float64)
        if len(self.part):                                 # finish the block begun last call
            i = min(m - len(self.part), len(x))
            self.part = np.concatenate([self.part, x[:i]])
            if len(self.part) == m:
                ys.append(kern.block_means(self.part, m, 1.0 / m))
                ts.append(self.part_t)
                self.part = self.part[:0]
        nb = (len(x) - i) // m
        if nb:
            ys.append(kern.block_means(x[i:i + nb * m], m, 1.0 / m))
            ts.append(t_s[i:i + nb * m:m])
        j = i + nb * m
        if j < len(x):
            if not len(self.part):
                self.part_t = t_s[j:j + 1]
            self.part = np.concatenate([self.part, x[j:]])
        if not ys:
            return np.zeros((0, ch)), np.zeros(0), np.zeros((0, 3 * ch))
        y = ys[0] if len(ys) == 1 else np.concatenate(ys)
        t_int = ts[0] if len(ts) == 1 else np.concatenate(ts)
        if self.hum is not None:
            y = self.hum.feed(y)
        # band-pass, frame energies and the 2 ms moving average in one pass (band_frames)
        fr, self.left, self.fr_tail = kern.band_frames(y, self.sos_b, self.zi_b, self.left, self.hop, self.fr_tail)
        if len(fr) == 0:
            return y, t_int, np.zeros((0, 3 * ch))
        # dB with numpy's vectorised log10: with a log10 of its own per frame, the kernel took
        # 4.6 ms a minute of 48 kHz audio, without 2.8 ms
        fr += 1e-20
        db = np.log10(fr, out=fr)
        db *= 10.0
        floor = self._floor(db[:, :ch])
        return y, t_int, np.concatenate([db[:, :ch], floor, db[:, ch:]], axis=1)

    def _floor(self, sm_db: np.ndarray) -> np.ndarray:
        """Floor of each new frame: the median of the levels of the ``n_blocks`` blocks before
        its own, or ``recent_db`` over the loudest of the ``n_recent`` blocks before it, or over
        the loudest short level before it (of the ``floor_fast_blocks`` short blocks before the
        frame's own), when that is lower. A block's level is a percentile (nearest rank) of every
        4th frame's dB in it. In the first block, the median of the frames before it, from
        ``START_FRAMES`` on (inf before), so that a recording that begins just before a pop still
        has a floor under it. Computed frame by frame (:func:`~analysis.cavitation_kernels.floor_frames`),
        so it does not depend on how the frames arrive."""
        return self.kernels.floor_frames(np.asarray(sm_db, dtype=np.float64), self.floor_ints, *self.floor_state,
                                         self.recent_db)


def medians(a: np.ndarray, axis: int = -1) -> np.ndarray:
    """``np.median(a, axis=axis)`` (the same values, for ``a`` without NaN) from one partition:
    numpy's own goes through a general reduction, whose overhead is most of its cost at the few
    dozen values per row the detector takes medians of."""
    n = a.shape[axis]
    h = n // 2
    if n % 2:
        return np.take(np.partition(a, h, axis=axis), h, axis=axis)
    part = np.partition(a, (h - 1, h), axis=axis)
    return (np.take(part, h - 1, axis=axis) + np.take(part, h, axis=axis)) / 2


def median(a: np.ndarray) -> float:
    """``np.median`` of a short 1-D array (the same value), without its per-call overhead,
    which is most of its cost at the few dozen values a candidate's features take it of."""
    v = np.sort(a)
    h = len(v) // 2
    return float(v[h]) if len(v) % 2 else float((v[h - 1] + v[h]) / 2)


class SideBands:
    """Energies beside the pop band, computed only around a candidate: ``high_hz``-``high_top_hz``
    at the native rate (clicks) and below ``band_hz[0]`` at the internal rate (thuds, handling, hum),
    from zero filter state a warm-up before the window, smoothed and framed like the pop band."""

    def __init__(self, fe: FrontEnd, scheme: PopScheme) -> None:
        self.fe = fe
        # short windows: lfilter's (b, a) form costs less per call than sosfilt and is exact
        # enough for the 4th-order high-pass and low-pass (1e-11 of full scale against sosfilt);
        # the 8th-order band-pass is run as sections. The high band ends at high_top_hz where the
        # rate allows, so that a microphone preamp's white noise does not weigh more in it at
        # 96 kHz than at 48 (at 96 kHz it hid one of three pops 5-20 ms apart)
        if scheme.high_top_hz < 0.45 * fe.rate_hz:
            sos_h = butter(4, [scheme.high_hz, scheme.high_top_hz], "bandpass", fs=fe.rate_hz, output="sos")
            self.high_band = lambda v: sosfilt_rest(sos_h, v, overwrite=True)
        else:
            sos_h = butter(4, scheme.high_hz, "highpass", fs=fe.rate_hz, output="sos")
            ba_h = butter(4, scheme.high_hz, "highpass", fs=fe.rate_hz)
            self.high_band = lambda v: signal.lfilter(*ba_h, v)
        self.sos_h = sos_h
        ba_l = butter(4, scheme.band_hz[0], fs=fe.fs)
        self.low_band = lambda v: signal.lfilter(*ba_l, v)
        fpm = 1e-3 * fe.fs / fe.hop
        self.warm_h = int(round(5.0 * fpm))            # the 2.2 kHz high-pass settles within 1-2 ms
        self.warm_l = int(round(50.0 * fpm))           # the 100 Hz low-pass within ~10 time constants
        self.pre = max(1, int(round(scheme.side_floor_ms * fpm)))
        self.pct = scheme.side_floor_percentile

    def leak_db(self, f_hz: float) -> float:
        """How much louder (dB; negative: weaker) a tone at ``f_hz`` is in the high band than in
        the pop band, as their frames measure it (the high band's filter against the block mean
        and the pop band's filter): what a pop's own ring leaks above the band."""
        fe = self.fe
        _, h = signal.sosfreqz(self.sos_h, worN=[f_hz], fs=fe.rate_hz)
        _, b = signal.sosfreqz(fe.sos_b, worN=[f_hz], fs=fe.fs)
        mean = abs(np.exp(-2j * np.pi * f_hz * np.arange(fe.m) / fe.rate_hz).mean())
        return float(20 * np.log10(max(abs(h[0]), 1e-12) / max(abs(b[0]) * mean, 1e-12)))

    def _frames(self, v: np.ndarray, span: int) -> np.ndarray:
        """Smoothed frame energies (dB) of one channel (float64, contiguous)."""
        sm = self.fe.kernels.frame_energies(v, span, len(self.fe.fir))
        sm += 1e-20
        db = np.log10(sm, out=sm)
        db *= 10.0
        return db

    def _band_db(self, tape, filt, warm: int, span: int, k: int, k_to: int, c: int) -> tuple[np.ndarray, int, float]:
        """Smoothed frame dB of one side band on channel ``c`` up to frame ``k_to``, the row of
        frame ``k`` in it, and the band's floor (dB): a low percentile of the ``pre`` frames
        before ``k``."""
        f0 = k - self.pre - warm
        start = max(f0 * span, tape.start + (-tape.start) % span)
        v = np.array(tape.get(start, k_to * span)[:, c], dtype=np.float64)     # a copy: filtered in place
        # a microphone's DC offset is not low-band sound: it would pass the low-pass and add
        # 2·DC·x to the energies (the floor of the window before has the DC², not the cross term)
        v -= v.mean()
        v = filt(v)
        db = self._frames(v, span)
        i = k - start // span                            # row of frame k
        pre = db[max(i - self.pre, min(warm, i - 1)):i] if i > 0 else db[:0]
        kth = int(round(self.pct / 100 * (len(pre) - 1)))
        return db, i, float(np.partition(pre, kth)[kth]) if len(pre) else -200.0

    def high(self, native, k: int, k_to: int, c: int) -> tuple[np.ndarray, int, float]:
        """The high band around frame ``k`` up to frame ``k_to`` (as ``_band_db``), for
        ``excess`` and ``hiss`` to share."""
        fe = self.fe
        return self._band_db(native, self.high_band, self.warm_h, fe.hop * fe.m, k, k_to, c)

    def excess(self, native, y, k: int, n: int, c: int, late: tuple[int, int] = (0, 0),
               high: tuple[np.ndarray, int, float] | None = None) -> tuple[float, float, float]:
        """Energy over its own floor, summed over frames ``k … k+n-1`` (frame index), of the high
        and the low band on channel ``c``, and of the high band over frames ``k+late[0] …
        k+late[1]-1``; the floor is a low percentile of the ``pre`` frames before. ``high``: the
        high band from ``high()``, if it is already at hand."""
        fe = self.fe
        if high is None:
            high = self.high(native, k, k + max(n, late[1]), c)
        low = self._band_db(y, self.low_band, self.warm_l, fe.hop, k, k + n, c)

        def over_floor(band, a: int, b: int) -> float:
            db, i, floor_db = band
            seg = db[i + a:i + b]
            return max(float(np.sum(10 ** (seg / 10)) - len(seg) * 10 ** (floor_db / 10)), 0.0)

        return over_floor(high, 0, n), over_floor(low, 0, n), over_floor(high, *late)

    @staticmethod
    def hiss(high: tuple[np.ndarray, int, float], a: int, b: int, n_on: int) -> tuple[float, float]:
        """Median level (dB) of the high band (from ``high()``) over frames ``k+a … k+b-1``, above
        its floor before frame ``k`` and above its loudest frame in ``k … k+n_on-1``: the
        aspiration or fricative that follows a stop consonant's burst is as loud as the burst; a
        room's echo of a pop fades from it."""
        db, i, floor_db = high
        seg = db[i + a:i + b]
        if not len(seg):
            return 0.0, -np.inf
        late = median(seg)
        return late - floor_db, late - float(db[i:i + n_on].max(initial=-np.inf))


def logistic(x: float, x0: float, width: float) -> float:
    """Soft step from 0 to 1 around ``x0`` (``width`` = distance from 0.27 to 0.73)."""
    return float(1.0 / (1.0 + np.exp(-(x - x0) / max(width, 1e-9))))
