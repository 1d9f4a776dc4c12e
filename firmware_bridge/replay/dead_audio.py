"""Stretches of audio with no usable sound (a muted or dead microphone, a constant level, an
input at full scale throughout), found as the audio is read and said in one warning."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.cavitation_scheme import MAX_SAMPLE
from firmware_bridge.replay.inputs import ReplayInput

# audio with no usable sound: a muted or dead microphone, a cable that carries a constant level, an
# input driven to full scale throughout. Judged in frames of DEAD_FRAME_S; a stretch of such frames
# DEAD_MIN_S long or more (or the whole file) hears no pop, so the thrusts in it have unknown pops
DEAD_FRAME_S = 0.1
DEAD_MIN_S = 1.0
CLIP_LEVEL = 0.999            # |sample| at full scale (16-bit full scale reads 32767/32768 = 0.99997)
CLIPPED_SHARE = 0.5           # a frame with half its samples held at full scale or beyond is clipped
FLOOR_FROM_S = 0.010          # the detector's noise floor stands from a recording's 10 ms on (docs/audio.md)
POP_MAX_S = 0.008             # a pop lasts 3-8 ms (docs/audio.md; 5.7 ms on average, Dunning et al. 2013)
MIN_AUDIO_S = FLOOR_FROM_S + POP_MAX_S     # audio shorter than this can hold no pop the detector finds
DEAD_KINDS = {1: "silent (every sample 0)", 2: "constant (one level, no sound)", 3: "clipped (at full scale)",
              4: "not-a-number samples (NaN or infinite, read as silence)"}
# clipping at any level (an input driven past its converter, or clipped and then scaled, as a
# recorder's "normalise" does): the file's top (or bottom) value held for CLIP_RUN samples in a
# row or more, a flat ceiling sound does not make. CLIP_WARN_SHARE of the samples so held is said
# (0.14 % at 10x the gain of fixtures/thrust_pops.flac, 6 % at 100x, 41 % at 300x; none at 1x),
# and the thrusts with no pop heard within their tie window of a clipped frame have unknown pops
# (at 100x and more, pops went unheard in the flattened sound). A ceiling under CLIP_MIN_LEVEL
# (-26 dBFS) is quiet sound's own top, not clipping.
CLIP_RUN = 3
# ... and stepped onto or off by this much: a loud low tone's rounded top is held for a few samples
# too once written as 16-bit samples (a clean 50 Hz sine at 0.3 of full scale, at 48 kHz, held
# three samples, 1 LSB over the next, and said "clipping (0.31 %)"), where clipped sound arrives
# at its ceiling steeply (a 50 Hz sine driven to 1.5 times full scale steps 0.007 onto it). The
# shares above are the same with this rule as without it (0.14, 6.24 and 41.01 %, float or
# 16-bit samples)
CLIP_STEP = 1e-3
CLIP_WARN_SHARE = 0.001
CLIP_MIN_LEVEL = 0.05


def as_heard(blk: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``blk`` as the analysis hears it: its samples that are not numbers (NaN, infinite, or
    beyond any full scale: ``analysis.cavitation_scheme.MAX_SAMPLE``) read as silence, and where they
    were (None when there are none)."""
    if not len(blk) or (blk.max() < MAX_SAMPLE and blk.min() > -MAX_SAMPLE):    # (NaN fails both)
        return blk, None
    bad = ~(np.abs(blk) < MAX_SAMPLE)
    return np.where(bad, np.zeros((), blk.dtype), blk), bad


def dead_frames(blk: np.ndarray, frame: int) -> np.ndarray:
    """Per frame of ``frame`` samples of ``blk`` (n, channels), the last one possibly shorter:
    0 when it may hold sound, else the :data:`DEAD_KINDS` key of why it holds none, in every
    channel (one live channel is enough to hear a pop). Samples that are not numbers are
    silence, as the analysis reads them (:func:`as_heard`): a frame with no sound that holds any
    is said so (4)."""
    blk, bad = as_heard(blk)
    n = len(blk)
    starts = np.arange(0, n, frame)
    out = np.zeros(len(starts), np.int8)
    for i0, part in ((0, blk[:n - n % frame]), (n - n % frame, blk[n - n % frame:])):
        if not len(part):
            continue
        x = part.reshape(-1, min(frame, len(part)), part.shape[1])
        flat = np.ptp(x, axis=1) == 0                                          # (frames, channels)
        # clipped: held at the converter's rail, the frame's own top or bottom value; a float file's
        # samples beyond full scale that move (a DC offset of 3.0, a loud export) are sound, not clipped
        hi, lo = x.max(axis=1, keepdims=True), x.min(axis=1, keepdims=True)
        pinned = (np.abs(x) >= CLIP_LEVEL) & ((x == hi) | (x == lo))
        railed = np.mean(pinned, axis=1) >= CLIPPED_SHARE
        silent, constant = np.all(x == 0, axis=(1, 2)), np.all(flat, axis=1)
        dead = np.all(flat | railed, axis=1)          # a channel dead one way, another the other way
        kind = np.where(silent, 1, np.where(constant, 2, np.where(dead, 3, 0)))
        if bad is not None:
            nan = np.any(bad[i0:i0 + len(part)].reshape(x.shape), axis=(1, 2))
            kind = np.where((kind > 0) & nan, 4, kind)
        k = i0 // frame
        out[k:k + len(kind)] = kind
    return out


def held_per_frame(eq: np.ndarray, frame: int, k: int, col: np.ndarray) -> np.ndarray:
    """Of ``eq`` (frames, frame) bool, a channel's samples at their frame's top (or bottom), how
    many per frame lie in runs of :data:`CLIP_RUN` or more along time (few samples are at a
    frame's top: the runs are found among their indices) that the sound, ``col`` (the channel's
    samples: ``eq`` flattened is their order), steps onto or off by :data:`CLIP_STEP` or more (a
    run at either end of ``col`` counts)."""
    pos = np.flatnonzero(eq)
    out = np.zeros(k)
    if len(pos) < CLIP_RUN:
        return out
    cut = np.flatnonzero(np.diff(pos) != 1) + 1
    starts = np.concatenate([[0], cut])
    lens = np.diff(np.concatenate([starts, [len(pos)]]))
    ok = lens >= CLIP_RUN
    if ok.any():
        a, b = pos[starts], pos[starts + lens - 1]
        v = col[a]
        step = np.zeros(len(a), bool)
        for nb, inside in ((a - 1, a > 0), (b + 1, b + 1 < len(col))):
            w = col[np.where(inside, nb, a)]
            step |= ~inside | np.isnan(w) | (np.abs(w - v) >= CLIP_STEP)
        ok &= step
    keep = np.repeat(ok, lens)
    return np.bincount(pos[keep] // frame, minlength=k)[:k].astype(float)


def held_at_edges(x: np.ndarray, hi: np.ndarray, lo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of frames ``x`` (k, frame, channels; NaN after the sound's end), how many samples per frame
    are held at the frame's top ``hi`` and at its bottom ``lo``: each channel's runs of
    :data:`CLIP_RUN` or more stepped onto or off by :data:`CLIP_STEP` (:func:`held_per_frame`). A
    channel at one level through a frame holds none there, whatever the other channels do (a
    constant 0.5 beside a microphone's quiet sound said "50 % clipped")."""
    k, frame, _ = x.shape
    n_hi, n_lo = np.zeros(k), np.zeros(k)
    for c in range(x.shape[2]):
        xc = x[:, :, c]
        one = (np.nanmax(xc, axis=1) == np.nanmin(xc, axis=1))[:, None]
        col = xc.ravel()
        n_hi += held_per_frame((xc == hi[:, None]) & ~one, frame, k, col)
        n_lo += held_per_frame((xc == lo[:, None]) & ~one, frame, k, col)
    return n_hi, n_lo


class DeadStretches:
    """Collects the stretches of audio with no usable sound as blocks are read, in samples, and
    the frames' flat tops and bottoms that say clipping (:meth:`clipping`)."""

    def __init__(self, frame: int) -> None:
        self.frame = frame
        self.runs: list[list] = []         # [start, end, {kind: samples}]
        self.n = 0
        self.channels = 1
        # per frame: its top and bottom value, and how many samples are held at each (CLIP_RUN)
        self._tops: list[np.ndarray] = []
        self._sounding = 0                 # samples in frames that are not at one level (silence)
        self._rest: list[np.ndarray] = []  # (feed_framed: samples short of a whole frame)
        # the sound's top and bottom so far, and the samples held at each (frames at that level)
        self._top, self._bottom = -np.inf, np.inf
        self._at_top = self._at_bottom = 0.0

    def feed_framed(self, x: np.ndarray | None, final: bool = False) -> None:
        """Feed samples (``(n, channels)``) of any count as they are written, in whole frames from
        the first sample fed, as replay reads the file; what falls short of a frame waits for the
        next call. ``final``: that rest too."""
        if x is not None:
            self._rest.append(x)
        n = sum(len(a) for a in self._rest)
        whole = n if final else n - n % self.frame
        if whole <= 0:
            return
        a = np.concatenate(self._rest)
        self.feed(a[:whole])
        self._rest = [a[whole:]] if whole < n else []

    def _feed_tops(self, blk: np.ndarray) -> None:
        n = len(blk)
        if not n:
            return
        self.channels = blk.shape[1]
        blk, _ = as_heard(blk)                           # (samples that are not numbers: silence)
        k = -(-n // self.frame)
        starts = np.arange(k) * self.frame
        hi = np.maximum.reduceat(blk.max(axis=1), starts)
        lo = np.minimum.reduceat(blk.min(axis=1), starts)
        flat = hi == lo                                  # one level: silent or constant, not clipping
        if k * self.frame > n:
            blk = np.concatenate([blk, np.full((k * self.frame - n, blk.shape[1]), np.nan, blk.dtype)])
        n_hi, n_lo = held_at_edges(blk.reshape(k, self.frame, -1), hi, lo)
        n_hi[flat] = n_lo[flat] = 0
        sizes = np.full(k, self.frame)
        sizes[-1] = n - (k - 1) * self.frame
        self._sounding += int(sizes[~flat].sum())
        self._tops.append(np.stack([hi, lo, n_hi, n_lo], axis=1).astype(np.float64))
        f = self._tops[-1]
        if f[:, 0].max() > self._top:
            self._top, self._at_top = float(f[:, 0].max()), 0.0
        if f[:, 1].min() < self._bottom:
            self._bottom, self._at_bottom = float(f[:, 1].min()), 0.0
        self._at_top += float(f[f[:, 0] == self._top, 2].sum())
        self._at_bottom += float(f[f[:, 1] == self._bottom, 3].sum())

    def clipped_share(self) -> float:
        """The share of the sound fed so far (the samples of frames not at one level) held flat
        at its ceiling: its top or its bottom value, :data:`CLIP_MIN_LEVEL` or more from 0."""
        held = ((self._at_top if self._top >= CLIP_MIN_LEVEL else 0.0)
                + (self._at_bottom if self._bottom <= -CLIP_MIN_LEVEL else 0.0))
        return held / (max(1, self._sounding) * self.channels)

    def clipping(self) -> tuple[float, list[tuple[int, int]]]:
        """The share of the sound (the samples of frames not at one level) held flat at the file's ceiling (its top or its bottom value,
        :data:`CLIP_MIN_LEVEL` or more from 0) and the stretches (start, end samples) of the frames
        that hold any; 0 and none when the share is under :data:`CLIP_WARN_SHARE`."""
        if not self._tops or not self.n:
            return 0.0, []
        f = np.concatenate(self._tops)
        top, bottom = f[:, 0].max(), f[:, 1].min()
        held = (np.where((f[:, 0] == top) & (top >= CLIP_MIN_LEVEL), f[:, 2], 0)
                + np.where((f[:, 1] == bottom) & (bottom <= -CLIP_MIN_LEVEL), f[:, 3], 0))
        share = self.clipped_share()
        if share < CLIP_WARN_SHARE:
            return 0.0, []
        spans: list[tuple[int, int]] = []
        for j in np.flatnonzero(held):
            a, b = int(j) * self.frame, min(self.n, (int(j) + 1) * self.frame)
            if spans and spans[-1][1] == a:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
        return share, spans

    def feed(self, blk: np.ndarray) -> None:
        self._feed_tops(blk)
        kinds = dead_frames(blk, self.frame)
        for j in np.flatnonzero(kinds):
            a = self.n + int(j) * self.frame
            b = min(self.n + len(blk), a + self.frame)
            if self.runs and self.runs[-1][1] == a:
                run = self.runs[-1]
                run[1] = b
            else:
                run = [a, b, {}]
                self.runs.append(run)
            run[2][int(kinds[j])] = run[2].get(int(kinds[j]), 0) + b - a
        self.n += len(blk)

    def spans(self, min_len: int, min_whole: int) -> list[tuple[int, int, str]]:
        """(start, end, why) of the stretches ``min_len`` samples long or more, or of the whole
        file when it is ``min_whole`` samples long or more."""
        return [(a, b, DEAD_KINDS[max(k, key=k.get)]) for a, b, k in self.runs
                if b - a >= min_len or (a == 0 and b == self.n >= min_whole)]


def clipping_warning(share: float | None) -> str:
    """The words for audio clipped at its ceiling in ``share`` of its samples (None: at full
    scale throughout, its share held flat too small to say: samples at full scale in runs
    shorter than :data:`CLIP_RUN`)."""
    pct = f"{100 * share:.2g}" if share is not None and share < 0.1 else f"{100 * (share or 0):.0f}"
    said = "the sound at full scale throughout" if share is None else f"{pct} % of the sound at its ceiling"
    return (f"clipping ({said}): turn the input gain down; a thrust "
            f"with no pop heard where it clipped has its pops unknown (–), not none")


def dead_note(inp: ReplayInput, path: Path, dead: DeadStretches, sr: int) -> None:
    """Mark and say the stretches of ``path`` with no usable sound (:class:`DeadStretches`), and
    its clipping (:meth:`DeadStretches.clipping`)."""
    spans = dead.spans(int(round(DEAD_MIN_S * sr)), int(np.ceil(MIN_AUDIO_S * sr)))   # (shorter: said so)
    share, clipped = dead.clipping()
    if not dead.n:
        return
    whole = bool(spans) and spans[0][0] == 0 and spans[0][1] == dead.n
    if whole and spans[0][2] == DEAD_KINDS[3]:          # clipped throughout: the gain, not the microphone
        inp.dead_audio = [tuple(float(t) for t in inp.audio_times([0, dead.n], sr))]
        inp.warnings.append(f"{path}: the audio holds no usable sound, clipped throughout: "
                            f"{clipping_warning(share if share >= CLIP_WARN_SHARE else None).split(';')[0]}; the pops of the "
                            f"thrusts it covers are unknown, not none")
        return
    if clipped:
        inp.dead_audio = [tuple(float(t) for t in inp.audio_times([a, b], sr)) for a, b in clipped]
        inp.warnings.append(f"{path}: {clipping_warning(share)}")
        spans = [s for s in spans if s[2] != DEAD_KINDS[3]]      # (said as clipping)
    if not spans:
        return
    inp.dead_audio = [*inp.dead_audio, *(tuple(float(t) for t in inp.audio_times([a, b], sr)) for a, b, _ in spans)]
    a, b, why = spans[0]
    if a == 0 and b == dead.n:
        kind = why.split(" (", 1)
        guess = ("; the pops" if why == DEAD_KINDS[4]          # (written by software, not a microphone)
                 else "; a muted or dead microphone? The pops")
        inp.warnings.append(f"{path}: the audio holds no usable sound: {kind[0]} throughout ({kind[1]}{guess} of the "
                            f"thrusts it covers are unknown, not none")
        return
    t0, t1 = (float(t) for t in inp.audio_times([spans[0][0], spans[0][1]], sr))
    more = f", and {len(spans) - 1} more stretch{'es' if len(spans) > 2 else ''}" if len(spans) > 1 else ""
    # (a range with a time before 0 in words: "-40.0–-8.2 s" reads as a subtraction)
    at = f"at {t0:.1f}–{t1:.1f} s" if t0 >= 0 else f"from {t0:.1f} to {t1:.1f} s"
    inp.warnings.append(f"{path}: no usable sound {at}, {why.split(' (', 1)[0]}{more}; the "
                        f"pops of the thrusts there are unknown, not none")
