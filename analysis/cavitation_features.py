"""Building blocks of the cavitation detector: its settings, a 2-D ring history, the causal
front end (anti-alias + decimate, band filters, frame energies) and the per-pop features.

Everything here is causal and carries its state between calls (``sosfilt`` with ``zi``), so
the detector built on it is chunk-invariant.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import signal


@dataclass(frozen=True)
class PopScheme:
    """Thresholds of the pop detector; defaults from the acoustics in docs (domain figures).

    - ``band_hz``: a pop's energy is mostly 100 Hz–2 kHz (Reggars 1996: peak frequencies
      86–1830 Hz, median 215 Hz).
    - ``max_decay_ms``: one pop lasts about 3–8 ms (Dunning et al. 2013: mean 5.66 ms), so it
      must have fallen ``decay_db`` below its peak within this time; knocks ring for tens of ms.
    - ``refractory_ms``: pops ≥ 5 ms apart are resolved (2–5 pops within ~100 ms are common).
    - ``horizon_ms``: how long after a peak the detector looks before deciding (latency).
    """

    band_hz: tuple[float, float] = (100.0, 2000.0)
    high_hz: float = 2200.0              # above the pop band: clicks live here
    internal_hz: float = 8000.0          # analysis rate after decimation (integer factor)
    frame_ms: float = 0.5
    smooth_ms: float = 2.0               # energy integrated over about half a pop
    floor_window_s: float = 2.0          # adaptive noise floor: a low percentile over this window
    floor_every_ms: float = 100.0
    floor_percentile: float = 50.0
    on_db: float = 9.0                   # candidate: frame energy this far over the floor
    rise_db: float = 6.0                 # ... and this much above the frame 1 ms earlier
    refractory_ms: float = 4.0
    horizon_ms: float = 35.0
    max_decay_ms: float = 8.0
    # feature thresholds and spreads (z = (value - threshold) / spread, sign-corrected):
    # set between the 1st percentile of simulated pops and the bulk of the distractors
    contrast_db: tuple = (8.0, 4.0)      # peak over the median of the 20 ms before (speech)
    decay_db: tuple = (13.0, 4.0)        # fall within max_decay_ms (knocks ring for tens of ms)
    band_frac: tuple = (0.62, 0.1)       # share of the onset's excess energy in band_hz (clicks, thuds)
    jump_db: tuple = (8.0, 4.0)          # rise within one smoothing window (onset sharpness)
    active_frac: tuple = (0.55, 0.15)    # share of the horizon within 12 dB of the peak (sustained sound)
    gap_db: tuple = (10.0, 4.0)          # peak over the median of the horizon (pops fall silent)
    duration_ms: tuple = (14.0, 4.0)     # until 20 dB down or the next pop (3-8 ms per pop)
    voicing: tuple = (0.42, 0.08)        # envelope periodicity at a voice's pitch period (62-400 Hz)
    pitch_corr: tuple = (0.5, 0.1)       # waveform autocorrelation at a pitch period (voiced speech)
    train_len: tuple = (3.5, 0.5)        # evenly spaced onsets in a run through the pop (glottal pulses)
    level_spread_db: float = 3.0
    veto: float = 0.5                    # a feature this many spreads past its threshold rejects
    min_score: float = 1.5               # mean of the clipped margins needed to emit a pop

    def features(self) -> dict[str, tuple[float, float, int]]:
        """``{name: (threshold, spread, sign)}`` of the features a candidate is judged on."""
        return {"level": (self.on_db, self.level_spread_db, 1), "contrast": (*self.contrast_db, 1),
                "decay": (*self.decay_db, 1), "band": (*self.band_frac, 1), "onset": (*self.jump_db, 1),
                "activity": (*self.active_frac, -1), "gap": (*self.gap_db, 1),
                "duration": (*self.duration_ms, -1), "voicing": (*self.voicing, -1),
                "pitch": (*self.pitch_corr, -1), "train": (*self.train_len, -1)}


class Ring:
    """The last ``capacity`` rows of a 2-D signal, addressed by global row index."""

    def __init__(self, capacity: int, width: int, dtype=np.float64) -> None:
        self.capacity = int(capacity)
        self.buf = np.zeros((2 * self.capacity, width), dtype=dtype)
        self.n = 0
        self.end = 0

    def append(self, x: np.ndarray) -> None:
        m = len(x)
        if m >= self.capacity:
            self.buf[:self.capacity] = x[-self.capacity:]
            self.n = self.capacity
        else:
            if self.n + m > len(self.buf):
                keep = self.capacity - m
                self.buf[:keep] = self.buf[self.n - keep:self.n]
                self.n = keep
            self.buf[self.n:self.n + m] = x
            self.n += m
        self.end += m

    @property
    def start(self) -> int:
        return self.end - min(self.n, self.capacity)

    def get(self, k0: int, k1: int) -> np.ndarray:
        """Rows ``max(k0, start) <= k < min(k1, end)``."""
        k0, k1 = max(k0, self.start), min(k1, self.end)
        if k1 <= k0:
            return self.buf[:0]
        off = self.n - (self.end - k0)
        return self.buf[off:off + (k1 - k0)]


class FrontEnd:
    """Native-rate audio (n, ch) → internal-rate signal and per-frame band energies.

    Anti-alias low-pass and keep every ``m``-th sample (phase carried); then three causal
    band filters (pop band, above it, below it) and mean-square energies per frame.
    """

    def __init__(self, rate_hz: float, channels: int, scheme: PopScheme) -> None:
        self.rate_hz = float(rate_hz)
        self.m = max(1, int(round(rate_hz / scheme.internal_hz)))
        fs = self.fs = self.rate_hz / self.m
        self.hop = max(1, int(round(scheme.frame_ms * 1e-3 * fs)))
        lo, hi = scheme.band_hz
        hi = min(hi, 0.45 * fs)
        self.sos_aa = signal.butter(6, 0.4 * fs, fs=self.rate_hz, output="sos") if self.m > 1 else None
        self.sos_hp = signal.butter(2, lo * 0.7, "highpass", fs=fs, output="sos")     # onset timing signal
        self.sos_b = signal.butter(2, [lo, hi], "bandpass", fs=fs, output="sos")
        # above the pop band at the native rate: clicks have most of their energy above 4 kHz
        self.sos_h = signal.butter(4, scheme.high_hz, "highpass", fs=self.rate_hz, output="sos")
        self.sos_l = signal.butter(4, lo, fs=fs, output="sos")
        z = lambda sos: np.zeros((sos.shape[0], 2, channels))   # noqa: E731
        self.zi = {k: z(s) for k, s in (("aa", self.sos_aa), ("hp", self.sos_hp), ("b", self.sos_b),
                                         ("h", self.sos_h), ("l", self.sos_l)) if s is not None}
        self.g = 0                                  # native samples seen
        self.left = np.zeros((0, 2 * channels))     # band-squared samples not yet in a frame
        self.left_h = np.zeros((0, channels))
        self.q_b = np.zeros((0, 2, channels))     # finished frames waiting for their twin
        self.q_h = np.zeros((0, channels))
        self.delay_s = self._delay_s(scheme)

    def _delay_s(self, scheme: PopScheme) -> float:
        # group delay of anti-alias + timing high-pass near a typical pop frequency: subtracted
        # from onset times so they refer to the microphone, not to our filters
        f = np.array([300.0, 600.0])
        d = np.zeros(2)
        if self.sos_aa is not None:
            b, a = signal.sos2tf(self.sos_aa)
            d += signal.group_delay((b, a), f, fs=self.rate_hz)[1] / self.rate_hz
        b, a = signal.sos2tf(self.sos_hp)
        d += signal.group_delay((b, a), f, fs=self.fs)[1] / self.fs
        return float(d.mean())

    def feed(self, x: np.ndarray, t_s: np.ndarray):
        """Returns ``(r, t_int, frames)``: timing signal (k, ch), its sample times (k,),
        frame energies (f, 3, ch) of band, high and low filters."""
        hx, self.zi["h"] = signal.sosfilt(self.sos_h, x, axis=0, zi=self.zi["h"])
        eh = np.concatenate([self.left_h, hx * hx])
        span = self.hop * self.m           # native samples per frame (frames start at sample 0)
        nh = len(eh) // span
        self.left_h = eh[nh * span:]
        ch = x.shape[1]
        self.q_h = np.concatenate([self.q_h, eh[:nh * span].reshape(nh, span, ch).mean(axis=1)])
        if self.sos_aa is not None:
            x, self.zi["aa"] = signal.sosfilt(self.sos_aa, x, axis=0, zi=self.zi["aa"])
        off = (-self.g) % self.m
        self.g += len(x)
        y, t_int = x[off::self.m], t_s[off::self.m]
        if len(y) == 0:
            return y, t_int, np.zeros((0, 3, x.shape[1]))
        r, self.zi["hp"] = signal.sosfilt(self.sos_hp, y, axis=0, zi=self.zi["hp"])
        sq = []
        for k in ("b", "l"):
            v, self.zi[k] = signal.sosfilt(getattr(self, "sos_" + k), y, axis=0, zi=self.zi[k])
            sq.append(v * v)
        e = np.concatenate([self.left, np.concatenate(sq, axis=1)])
        nf = len(e) // self.hop
        self.left = e[nf * self.hop:]
        fr = e[:nf * self.hop].reshape(nf, self.hop, 2, ch).mean(axis=1)
        # a decimated frame completes a few native samples before its native-rate twin
        self.q_b = np.concatenate([self.q_b, fr])
        n = min(len(self.q_b), len(self.q_h))
        frames = np.stack([self.q_b[:n, 0], self.q_h[:n], self.q_b[:n, 1]], axis=1)
        self.q_b, self.q_h = self.q_b[n:], self.q_h[n:]
        return r, t_int, frames


def logistic(x: float, x0: float, width: float) -> float:
    """Soft step from 0 to 1 around ``x0`` (``width`` = distance from 0.27 to 0.73)."""
    return float(1.0 / (1.0 + np.exp(-(x - x0) / max(width, 1e-9))))


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
