"""Mains hum removal for the pop detector: notches at the hum lines that are loud enough to matter.

Mains hum (50 or 60 Hz and its harmonics) is stationary, so the pop band's adaptive floor takes
it in; but harmonics inside 100 Hz–2 kHz that are louder than the room noise lift that floor over
weak pops, and their periodic waveform makes a pop look like a repeated (voiced) sound. Notching
every harmonic always would cost pops in a quiet room (each notch rings a little after a pop),
so the lines of a mains frequency are notched only while together they carry a real share of
the band's power, and then only those lines that carry some of it.

A buzz (a ground loop's, a cheap supply's) carries every harmonic up to the top of the band, each
weak alone but together lifting the floor as much as a hum's few loud lines. The lines are looked
for up to ``harmonics`` (40: 2 kHz at 50 Hz); while a family is on and its lines above the tenth
harmonic together carry ``buzz_share`` of the band, every line carrying ``buzz_line_share`` of it
is notched (a hum's weak odd harmonics are left as they are). Many notches together ring as a
comb does: each pop comes back a mains period later, again and again, as weaker copies of
itself, which wide notches made into false pops. So each notch is at most ``bw_hz`` (0.5 Hz)
wide, and a notch that narrow misses a line that is not exactly where it should be: the mains
frequency wanders some hundredths of a hertz from 50 or 60 Hz (a tenth where the grid is weak),
a hertz or more at the 40th harmonic. So the notches follow the lines (``track``): at each
decision the fundamental is measured from the lines themselves (:meth:`HumNotch._measure`) and
each notch is moved to its multiple.

Streaming and chunk-invariant: the decision is taken at fixed block boundaries of the
internal-rate signal (every other 1 s block, which halves its cost: hum changes slowly), from the
block just ended (its Hann-windowed spectrum), and applies from the next sample on. Each notch
is a biquad (``scipy.signal.iirnotch``) whose state is kept while it is on (also when it moves
with the mains frequency) and cleared when it goes off.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import fft as sp_fft
from scipy import signal

MAINS_HZ = (50.0, 60.0)
MAX_DRIFT_HZ = 0.15       # a fundamental measured further from 50 or 60 Hz is not the mains'
MOVE_HZ = 0.005           # a notch moves once its line is this far from it
HUM_HARMONICS = 10        # a hum's lines are the first ten harmonics; a buzz's go on above
LINE_MIN_DB = 10.0        # a line places the fundamental when it stands this far over the noise beside it
LINE_AGREE = 0.6          # ... and the lines within it carry this share of the lines' height, or no measurement
LINE_TOL_HZ = 0.05        # a line placing the fundamental this far from the others' median is not the mains'


class HumNotch:
    """Internal-rate signal (n, ch) in, the same with loud hum lines notched out.

    Parameters
    ----------
    fs : float
        Sample rate of the signal, Hz.
    channels : int
    band_sos : ndarray
        The pop band-pass (sos form); a line's share is of the power that passes it.
    harmonics : int
        Highest harmonic of 50 and 60 Hz that may be notched (below 0.45 ``fs``).
    q : float
        Quality factor of each notch (bandwidth = line frequency / ``q``), unless ``bw_hz`` is
        narrower.
    bw_hz : float or None
        Widest bandwidth of a notch (Hz); None: ``q`` alone.
    track : bool
        Move the notches to the mains frequency measured from the lines (else they stay at the
        multiples of 50 and 60 Hz).
    on_share, off_share : float
        The lines of 50 (or 60) Hz are notched from the block after they carry ``on_share`` of
        the band's power together, and no longer after a block where they carry less than
        ``off_share``.
    line_share : float
        While they are, a line is notched once it carries this share, until it carries less
        than a third of it.
    buzz_share, buzz_line_share : float
        While the lines above the tenth harmonic together carry ``buzz_share`` (a buzz's, not a
        hum's few low ones), each line is notched once it carries ``buzz_line_share``.
    hold : float or None
        A line that is notched stays notched while the power in its main lobe stays at least this
        share of what it was in the last block where the shares above kept it on: its share of
        the band falls when another sound (a voice, handling noise) fills the band, though the hum
        is as loud as before. None: the shares alone decide.
    block_s : float
        Length of the blocks the decision is taken on (s).
    """

    def __init__(self, fs: float, channels: int, band_sos: np.ndarray, harmonics: int = 40,
                 q: float = 30.0, on_share: float = 0.5, off_share: float = 0.25,
                 line_share: float = 0.04, block_s: float = 1.0, hold: float | None = 0.5,
                 bw_hz: float | None = 0.5, track: bool = True, buzz_share: float = 0.02,
                 buzz_line_share: float = 0.002) -> None:
        self.ch = channels
        self.fs, self.q, self.bw_hz, self.track = float(fs), float(q), bw_hz, track
        self.block = max(16, int(round(block_s * fs)))
        (self.family, self.harm, self.lines, self.sos, self.df, self.gain, self.win, self.lobe,
         self.beside) = _tables(float(fs), harmonics, float(q), bw_hz, self.block, np.shape(band_sos),
                                np.ascontiguousarray(band_sos, dtype=np.float64).tobytes())
        self.f0 = np.array(MAINS_HZ)                    # each family's fundamental as measured
        self.f0_seen: list[list[float]] = [[] for _ in MAINS_HZ]   # ... its last measurements
        self.freq = self.lines                          # where each notch is now
        self.zi = np.zeros((len(self.lines), 2, channels))
        self.on = np.zeros(len(self.lines), bool)
        self.on_share, self.off_share, self.line_share = on_share, off_share, line_share
        self.buzz_share, self.buzz_line_share = buzz_share, buzz_line_share
        self.hold = hold
        self.ref = np.zeros(len(self.lines))           # each line's lobe power when the shares last kept it on
        self.family_on = np.zeros(len(MAINS_HZ), bool)
        self.buf: list[np.ndarray] = []                 # the block so far (not notched)
        self.n_buf = 0
        self.n_blocks = 0                               # blocks ended (every other one is analysed)

    def feed(self, y: np.ndarray) -> np.ndarray:
        """The signal ``y`` (n, ch) with the lines that are on notched out (``y`` itself when no
        line can be notched at this rate)."""
        if not len(self.lines):
            return y
        out = np.empty_like(y)
        i = 0
        while i < len(y):
            n = min(len(y) - i, self.block - self.n_buf)
            seg = y[i:i + n]
            out[i:i + n] = self._filter(seg)
            self.buf.append(seg)
            self.n_buf += n
            i += n
            if self.n_buf == self.block:
                if self.n_blocks % 2 == 0:
                    self._decide(np.concatenate(self.buf) if len(self.buf) > 1 else self.buf[0])
                self.buf, self.n_buf = [], 0
                self.n_blocks += 1
        return out

    def _filter(self, seg: np.ndarray) -> np.ndarray:
        idx = np.flatnonzero(self.on)
        if not len(idx):
            return seg
        z, self.zi[idx] = signal.sosfilt(self.sos[idx], seg, axis=0, zi=self.zi[idx])
        return z

    def _decide(self, blk: np.ndarray) -> None:
        """Which lines to notch from the next sample on, from the block that just ended."""
        X = sp_fft.rfft(blk.astype(np.float32) * self.win[:, None], axis=0)    # float32: a third of the time
        p = np.sum(X.real ** 2 + X.imag ** 2, axis=1, dtype=np.float64)
        band = float(np.sum(p * self.gain))
        if band <= 0:
            return
        # each line's bins, about where the measured fundamental puts it
        centre = np.round(self.harm * self.f0[self.family] / self.df).astype(int)
        lobe = np.clip(centre[:, None] + self.lobe, 0, len(p) - 1)
        beside = np.clip(centre[:, None] + self.beside, 0, len(p) - 1)
        # np.median's value, from one partition (its general reduction costs more than the work)
        h = beside.shape[1] // 2
        near = np.partition(p[beside], (h - 1, h), axis=1)
        floor = near[:, h] if beside.shape[1] % 2 else (near[:, h - 1] + near[:, h]) / 2
        p_lobe, g_lobe = p[lobe], self.gain[lobe]
        excess = np.maximum(p_lobe - floor[:, None], 0.0) * g_lobe
        share = excess.sum(axis=1) / band
        # a family is on by its first ten lines' share (a hum's, and most of a buzz's: the many
        # lines above catch enough of a voice's or a knock's sound near their bins to add up)
        low = self.harm <= HUM_HARMONICS
        total = np.bincount(self.family, weights=share * low, minlength=len(MAINS_HZ))
        self.family_on = np.where(self.family_on, total >= self.off_share, total >= self.on_share)
        high = np.bincount(self.family, weights=share * ~low, minlength=len(MAINS_HZ))
        need = np.where((high >= self.buzz_share)[self.family], self.buzz_line_share, self.line_share)
        on = self.family_on[self.family] & (share >= np.where(self.on, need / 3, need))
        if self.track:
            self._measure(p, lobe, floor, on)
        if self.hold is not None:
            lobe_p = (p_lobe * g_lobe).sum(axis=1)       # (each line's lobe power, in the band)
            held = self.on & ~on & (lobe_p >= self.hold * self.ref)
            self.ref = np.where(on, lobe_p, np.where(held, self.ref, 0.0))
            on |= held
            self.family_on |= np.bincount(self.family, weights=held, minlength=len(MAINS_HZ)) > 0
        self.zi[self.on & ~on] = 0.0
        self.on = on
        if self.track:
            self._retune()

    def _measure(self, p: np.ndarray, lobe: np.ndarray, floor: np.ndarray, on: np.ndarray) -> None:
        """Each family's fundamental from its lines that are on: every line's peak placed between
        bins (a parabola through the log power of the three bins around it) and divided by its
        harmonic number, from the lines ``LINE_MIN_DB`` or more over the noise beside them. Another
        sound's harmonic may pass for a line in a block (a voice's, a few tenths of a hertz off the
        mains' multiple), so the lines that place the fundamental more than ``LINE_TOL_HZ`` from
        their median (weighted by their height over the noise beside them) are left out (and the
        block gives no measurement when those left carry under ``LINE_AGREE`` of that height), and
        the others are averaged weighted by that height and the square of their harmonic number
        (a high harmonic places the fundamental more finely). The median of the last three such
        measurements, within ``MAX_DRIFT_HZ`` of 50 or 60 Hz, is the fundamental."""
        rows = np.flatnonzero(on)
        if not len(rows):
            return
        pl = p[lobe[rows]]
        i = np.clip(np.argmax(pl, axis=1), 1, pl.shape[1] - 2)
        r = np.arange(len(rows))
        a, b, c = (np.log(np.maximum(pl[r, i + d], 1e-300)) for d in (-1, 0, 1))
        curv = a - 2.0 * b + c
        shift = np.where(curv < 0, 0.5 * (a - c) / np.where(curv < 0, curv, -1.0), 0.0)
        hh = self.harm[rows]
        ratio = (lobe[rows, i] + shift) * self.df / hh
        snr = np.minimum(pl[r, i] / np.maximum(floor[rows], 1e-300), 1e6)
        fam = self.family[rows]
        clear = snr >= 10.0 ** (LINE_MIN_DB / 10.0)
        for k, nominal in enumerate(MAINS_HZ):
            sel = (fam == k) & clear
            if not sel.any():
                continue
            x, w = ratio[sel], snr[sel]
            order = np.argsort(x)
            cw = np.cumsum(w[order])
            mid = x[order][np.searchsorted(cw, 0.5 * cw[-1])]     # the weighted median
            keep = np.abs(x - mid) <= LINE_TOL_HZ
            if np.sum(w[keep]) < LINE_AGREE * cw[-1]:
                continue                                # (lines that disagree: another sound's block)
            wk = w[keep] * hh[sel][keep] ** 2
            est = float(np.sum(wk * x[keep]) / np.sum(wk))
            if abs(est - nominal) > MAX_DRIFT_HZ:
                continue
            self.f0_seen[k] = (self.f0_seen[k] + [est])[-3:]
            self.f0[k] = float(np.median(self.f0_seen[k]))

    def _retune(self) -> None:
        """The notches that are on moved to the multiples of their family's measured fundamental
        (a notch that moves keeps its state: the mains frequency moves little between decisions)."""
        want = self.harm * self.f0[self.family]
        move = np.flatnonzero(self.on & (np.abs(want - self.freq) > MOVE_HZ))
        if not len(move):
            return
        if not self.freq.flags.writeable:               # (the shared tables' until the first move)
            self.freq, self.sos = self.freq.copy(), self.sos.copy()
        for j in move:
            self.freq[j] = want[j]
            self.sos[j] = np.r_[signal.iirnotch(want[j], _q(want[j], self.q, self.bw_hz), fs=self.fs)]

    @property
    def notched_hz(self) -> list[float]:
        """The line frequencies being notched now."""
        return [float(f) for f in self.lines[self.on]]


def _q(f: float, q: float, bw_hz: float | None) -> float:
    """A notch's quality factor at ``f``: ``q``, or narrower to ``bw_hz``."""
    return q if bw_hz is None else max(q, f / bw_hz)


@lru_cache(maxsize=16)
def _tables(fs: float, harmonics: int, q: float, bw_hz: float | None, block: int, band_shape: tuple,
            band_bytes: bytes) -> tuple:
    """What ``HumNotch`` computes from its settings alone, once per set of them (a detector is
    started for every file and stream; shared between notches, so made read-only): each line's
    family, harmonic number and frequency, its notch (sos rows), the bins' spacing, the
    band-pass's power gain per bin, the window, and the offsets of the bins of a line's main lobe
    and of those beside it from the line's bin."""
    band_sos = np.frombuffer(band_bytes).reshape(band_shape)
    pairs = [(i, h, f0 * h) for i, f0 in enumerate(MAINS_HZ) for h in range(1, harmonics + 1) if f0 * h < 0.45 * fs]
    family = np.array([i for i, _, _ in pairs], dtype=int)
    harm = np.array([h for _, h, _ in pairs], dtype=float)
    lines = np.array([f for _, _, f in pairs])
    sos = (np.stack([np.r_[signal.iirnotch(f, _q(f, q, bw_hz), fs=fs)] for f in lines]) if len(lines)
           else np.zeros((0, 6)))
    f = np.fft.rfftfreq(block, 1.0 / fs)
    df = f[1]
    _, h = signal.sosfreqz(band_sos, worN=f, fs=fs)
    gain = np.abs(h) ** 2                               # the band-pass's power gain per bin
    win = np.hanning(block).astype(np.float32)
    # the bins of a line's main lobe, and the bins beside it that give the noise under it
    lobe = int(np.ceil(2.0 / df)) + 1
    side = int(np.ceil(15.0 / df))
    lobes = np.arange(-lobe, lobe + 1)
    beside = np.r_[np.arange(-side, -lobe), np.arange(lobe + 1, side + 1)]
    for a in (family, harm, lines, sos, gain, win, lobes, beside):
        a.flags.writeable = False
    return family, harm, lines, sos, df, gain, win, lobes, beside
