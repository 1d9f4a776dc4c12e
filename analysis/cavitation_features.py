"""Building blocks of the cavitation detector: a history of recent arrays, the cheap causal
front end that runs over the whole signal (block decimation, pop-band filter, frame energies,
adaptive floor) and the side-band energies computed only around candidates. The settings are
in :mod:`analysis.cavitation_scheme`.

Everything over the whole signal is causal and carries its state between calls (``sosfilt``
with ``zi``, partial blocks and frames kept for the next call); what is computed around a
candidate depends only on the samples around it. So the detector built on it is
chunk-invariant.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import deque
from functools import lru_cache

import numpy as np
from scipy import signal
from scipy.ndimage import maximum_filter1d

from analysis.cavitation_scheme import PopScheme
from analysis.filtering import sosfilt_rest, sosfilt_state
from analysis.hum import HumNotch

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
        # from the newest back: fed in small chunks, a tape holds many arrays, and its older ones
        # are seldom read
        out = []
        for s, a in reversed(self.parts):
            if s >= k1:
                continue
            if s + len(a) <= k0:
                break
            out.append(a[max(k0 - s, 0):k1 - s])
        return out[0] if len(out) == 1 else np.concatenate(out[::-1])


def block_sum(x: np.ndarray, m: int) -> np.ndarray:
    """Sums of consecutive groups of ``m`` rows of ``x`` (float64; rows past the last whole group
    are ignored), always added in the same order so the result does not depend on where ``x``
    was cut. Strided adds: several times faster than ``reshape(..).sum(axis=1)`` for small ``m``."""
    nb = len(x) // m
    acc = x[0:nb * m:m].astype(np.float64)
    for i in range(1, m):
        acc += x[i:nb * m:m]
    return acc


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
        self.hum = (HumNotch(fs, channels, self.sos_b, harmonics=s.hum_harmonics,
                             buzz_line_share=s.hum_buzz_line_share,
                             hold=s.hum_hold, bw_hz=s.hum_bw_hz, track=s.hum_track) if s.hum_notch else None)
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
        self.fast = (RecentLevels(max(1, int(round(s.floor_fast_ms * fpm))), n_fast, channels, self.pct)
                     if n_fast > 0 else None)
        self.part = np.zeros((0, channels))            # native samples of an unfinished block
        self.part_t = np.zeros(0)
        self.left = np.zeros((0, channels))             # band-squared samples not yet in a frame
        self.levels = BlockLevels(self.block, self.n_blocks, channels, self.pct)   # the floor's block levels
        # delay of the block mean (its centre) relative to the block's first sample
        self.delay_s = 0.5 * (self.m - 1) / self.rate_hz

    def feed(self, x: np.ndarray, t_s: np.ndarray):
        """Returns ``(y, t_int, rows)``: block means (k, ch) at the internal rate, their times
        (time of each block's first sample), and per frame the columns smoothed band dB (ch),
        its floor (ch), raw band dB (ch)."""
        m, ch = self.m, self.ch
        ys, ts = [], []
        i = 0
        if len(self.part):                                 # finish the block begun last call
            i = min(m - len(self.part), len(x))
            self.part = np.concatenate([self.part, x[:i]])
            if len(self.part) == m:
                ys.append(block_sum(self.part, m))
                ts.append(self.part_t)
                self.part = self.part[:0]
        nb = (len(x) - i) // m
        if nb:
            ys.append(block_sum(x[i:i + nb * m], m))
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
        y *= 1.0 / m
        if self.hum is not None:
            y = self.hum.feed(y)
        b = sosfilt_state(self.sos_b, y, self.zi_b)
        e = b * b
        if len(self.left):
            e = np.concatenate([self.left, e])
        nf = len(e) // self.hop
        self.left = e[nf * self.hop:]
        if nf == 0:
            return y, t_int, np.zeros((0, 3 * ch))
        fr = block_sum(e, self.hop) * (1.0 / self.hop)
        # 2 ms moving average; np.convolve over a few hundred frames costs a tenth of lfilter's call
        ext = np.concatenate([self.fr_tail, fr])
        self.fr_tail = ext[len(ext) - len(self.fir) + 1:]
        sm = np.stack([np.convolve(ext[:, c], self.fir, "valid") for c in range(ch)], axis=1)
        db = 10.0 * np.log10(np.concatenate([sm, fr], axis=1) + 1e-20)
        floor = self._floor(db[:, :ch])
        return y, t_int, np.concatenate([db[:, :ch], floor, db[:, ch:]], axis=1)

    def _floor(self, sm_db: np.ndarray) -> np.ndarray:
        """Floor of each new frame: the median of the levels of the ``n_blocks`` blocks before
        its own, or ``recent_db`` over the loudest of the ``n_recent`` blocks before it, or over
        the loudest short level before it (``fast``), when that is lower; block levels are
        computed as blocks complete. In the first block, the median of
        the frames before it, from ``START_FRAMES`` on (inf before), so that a recording that
        begins just before a pop still has a floor under it."""
        B, W = self.block, self.n_blocks
        k0, allb, hist, h0, bs = self.levels.feed(sm_db)
        fl = np.empty((len(bs), self.ch))
        small = bs < W                                 # start-up: fewer than W levels before it (h0 == 0)
        if small.any():
            fl[small & (bs == 0)] = np.inf
            some = small & (bs > 0)
            if some.any():
                fl[some] = prefix_medians(hist[:int(bs[some].max())], bs[some])
        big = ~small
        if big.any():                                  # the W levels before each: blocks b - W … b - 1
            fl[big] = medians(hist[(bs[big] - W - h0)[:, None] + np.arange(W)], axis=1)
        if self.n_recent > 0:                          # (hist holds the Q levels before each: Q <= W)
            np.minimum(fl, self.recent_db + self.levels.loudest_before(hist, h0, bs, self.n_recent), out=fl)
        # each block's floor for its frames (the first and the last block may be cut)
        out = self.levels.per_frame(fl, k0, len(sm_db), bs)
        n_first = min(len(sm_db), B - k0)              # frames of the first block (allb starts at frame 0)
        if n_first > 0:
            out[:n_first] = np.inf
            g = np.arange(max(k0, self.START_FRAMES), k0 + n_first)
            if len(g):
                out[g - k0] = prefix_medians(allb[:g[-1]], g)
        if self.fast is not None:
            np.minimum(out, self.recent_db + self.fast.feed(sm_db), out=out)
        return out


class BlockLevels:
    """Levels of consecutive blocks of ``block`` frames, counted from the first frame: the
    ``pct`` percentile (nearest rank) of every 4th frame's dB. The last ``keep`` are kept, and the
    unfinished block is carried to the next call, so the levels do not depend on how the frames
    arrive."""

    def __init__(self, block: int, keep: int, channels: int, pct: float) -> None:
        self.block, self.keep, self.pct = block, max(1, keep), pct
        self.cur = np.zeros((0, channels))             # frames of the unfinished block
        self.levels = np.zeros((0, channels))          # the last keep block levels
        self.n_done = 0                                # blocks finished
        self.frames_out = 0

    def feed(self, sm_db: np.ndarray) -> tuple[int, np.ndarray, np.ndarray, int, np.ndarray]:
        """Take new frames; returns the index of the first of them, the frames from the unfinished
        block's start on, the levels known (``hist[i]`` is block ``h0 + i``'s: the kept ones and
        those the new frames finished), ``h0``, and the blocks the new frames lie in."""
        B = self.block
        k0 = self.frames_out
        self.frames_out += len(sm_db)
        allb = np.concatenate([self.cur, sm_db])       # starts at a block boundary
        nb = len(allb) // B
        self.cur = allb[nb * B:]
        hist = old = self.levels
        if nb:
            blocks = allb[:nb * B].reshape(nb, B, -1)[:, ::4]
            kth = int(round(self.pct / 100 * (blocks.shape[1] - 1)))
            hist = np.concatenate([old, np.partition(blocks, kth, axis=1)[:, kth]])
            self.levels = hist[-self.keep:]
        h0 = self.n_done - len(old)
        self.n_done += nb
        return k0, allb, hist, h0, np.arange(k0 // B, (k0 + len(sm_db) - 1) // B + 1)

    @staticmethod
    def loudest_before(hist: np.ndarray, h0: int, bs: np.ndarray, n: int) -> np.ndarray:
        """For each block of ``bs``, the loudest of the ``n`` levels before it (+inf while there
        are fewer), from ``feed``'s ``hist`` and ``h0``."""
        cap = np.full((len(bs), hist.shape[1]), np.inf)
        ok = bs >= n
        if ok.any():
            cap[ok] = hist[(bs[ok] - n - h0)[:, None] + np.arange(n)].max(axis=1)
        return cap

    def per_frame(self, values: np.ndarray, k0: int, n_frames: int, bs: np.ndarray) -> np.ndarray:
        """A value per block of ``bs`` (``feed``'s) repeated for each of the new frames in it."""
        B = self.block
        return np.repeat(values, np.minimum(k0 + n_frames, (bs + 1) * B) - np.maximum(k0, bs * B), axis=0)


class RecentLevels:
    """Per frame, the loudest of the levels of the ``n`` blocks of ``block`` frames before the
    frame's own block (+inf while there are fewer before it); the levels are :class:`BlockLevels`',
    as the floor's are."""

    def __init__(self, block: int, n: int, channels: int, pct: float) -> None:
        self.n = n
        self.levels = BlockLevels(block, n, channels, pct)

    def feed(self, sm_db: np.ndarray) -> np.ndarray:
        k0, _, hist, h0, bs = self.levels.feed(sm_db)
        return self.levels.per_frame(self.levels.loudest_before(hist, h0, bs, self.n), k0, len(sm_db), bs)


class LoudSpans:
    """Where sustained sound held the pop band's floor ``over_db`` or more over the quietest
    floor of the last ``n_quiet`` blocks: a voice or music, in which pops are mostly missed. One
    value per block of ``block`` frames (the floor's own 100 ms, counted from the first frame, so
    the spans do not depend on how the frames arrive): the floor of its first frame, the lowest
    of the channels' (one microphone that hears the room quietly still hears a pop). Floors
    under ``silence_db`` (digital silence, a muted input) are not a room's quiet, nor is one more
    than ``RISE_DB`` under a floor of the ``LATER`` blocks after it: block 1's floor is block 0's
    level alone and block 2's the mean of two, so a start quieter than the room for under 100 ms
    (a microphone coming up, an AAC encoder's start-up samples in a file that does not say to leave
    them out) held everything after it loud for 30 s. ``spans``: ``[start, end]`` in seconds, a
    block's time to one block length after it, touching ones joined."""

    LATER, RISE_DB = 2, 6.0

    def __init__(self, block: int, n_quiet: int, over_db: float, silence_db: float, block_s: float) -> None:
        self.block, self.n_quiet, self.over_db, self.silence_db, self.block_s = \
            block, max(1, n_quiet), over_db, silence_db, block_s
        # the quiet's candidates: (block, floor), floors rising, so the first is the window's least
        self.quiet: deque[tuple[int, float]] = deque()
        self.last: deque[tuple[int, float]] = deque(maxlen=self.LATER + 1)   # the newest blocks' floors
        self.spans: list[list[float]] = []
        self.q_blocks: list[int] = []                  # blocks, and the quiet as it was at each
        self.q_vals: list[float] = []                  # (from the oldest a candidate may still ask of)

    def feed(self, k0: int, floors: np.ndarray, time_of) -> None:
        """``floors``: (n, channels) floors (dB) of frames ``k0 … k0+n-1``; ``time_of(k)``: frame
        ``k``'s time (s)."""
        B, q = self.block, self.quiet
        first = -(-k0 // B) * B
        if first >= k0 + len(floors):
            return
        for j, f in enumerate(floors[first - k0::B].min(axis=1).tolist()):
            b = first // B + j
            if not math.isfinite(f):
                continue
            # a block's floor joins the quiet's candidates once the LATER blocks after it are known
            self.last.append((b, f))
            b_q, f_q = self.last[0]
            if (len(self.last) > self.LATER and b_q == b - self.LATER and f_q >= self.silence_db
                    and f_q >= max(v for _, v in self.last) - self.RISE_DB):
                while q and q[-1][1] >= f_q:
                    q.pop()
                q.append((b_q, f_q))
            while q and q[0][0] <= b - self.n_quiet:
                q.popleft()
            if q:
                self.q_blocks.append(b)
                self.q_vals.append(q[0][1])
            if not q or f - q[0][1] < self.over_db:
                continue
            t = time_of(b * B)
            if self.spans and t - self.spans[-1][1] <= 0.5 * self.block_s:
                self.spans[-1][1] = t + self.block_s
            else:
                self.spans.append([t, t + self.block_s])

    def quiet_at(self, b: int) -> float | None:
        """The room's quiet (dB) as it was at block ``b`` (None when it was not known then, or
        ``b`` was forgotten: :meth:`forget_before`)."""
        i = bisect_right(self.q_blocks, b) - 1
        return self.q_vals[i] if i >= 0 and b - self.q_blocks[i] <= 1 else None

    def forget_before(self, b: int) -> None:
        """Forget the quiet of blocks before ``b`` - 1 (no candidate will ask of them)."""
        i = bisect_left(self.q_blocks, b - 1)
        if i > 0:
            del self.q_blocks[:i], self.q_vals[:i]


class GainCut:
    """A phone's automatic gain control cuts the gain at a loud sharp sound (a fast one by 15-20 dB
    within a few ms of a cluster's first pop), and the next pops of the cluster then lie under
    the floor learned before it. After an onset (the first of a run of frames that qualify as a
    candidate's, out of the room's noise: the quiet before it not under the floor by
    ``under_db``), for ``hold`` frames, where the quiet has fallen ``under_db`` or more under the
    quiet just before that onset, the floor there follows it: ``margin_db`` over it. The quiet of
    a frame is the loudest smoothed frame of the ``n`` frames that end ``gap`` frames before it
    (a rise's own frames are not its quiet). Digital silence (under ``silence_db``: a gate, a
    muted input) is not a cut. Carries its last frames and the recent onsets to the next call, so
    the floors do not depend on how the frames arrive."""

    def __init__(self, n: int, gap: int, hold: int, under_db: float, margin_db: float, silence_db: float,
                 channels: int) -> None:
        self.n, self.gap, self.hold = max(1, n), max(1, gap), hold
        self.under_db, self.margin_db, self.silence_db = under_db, margin_db, silence_db
        self.tail = np.full((self.n + self.gap, channels), np.inf)   # (+inf: no quiet known yet)
        self.was = np.zeros(channels, bool)             # whether the last frame qualified
        self.onsets: list[deque] = [deque() for _ in range(channels)]   # (frame, quiet before it)
        self.k = 0                                      # frames seen

    def floors(self, band: np.ndarray, floor: np.ndarray, qual: np.ndarray) -> np.ndarray | None:
        """``band``: (n, ch) smoothed band dB of new frames, ``floor`` their floors, ``qual``
        whether each qualifies as a candidate's frame: the floors lowered where the gain was cut
        (None where it was nowhere)."""
        n, k0 = len(band), self.k
        self.k += n
        ext = np.concatenate([self.tail, band])
        self.tail = ext[len(ext) - len(self.tail):]
        starts = qual & ~np.concatenate([self.was[None, :], qual[:-1]])
        self.was = qual[-1].copy()
        if not starts.any() and not any(self.onsets):
            return None                                 # (most often: no onset in the last hold frames)
        # frame i's quiet: the loudest of ext[i : i + n], which ends gap frames before it
        quiet = ext[:n].copy()
        for i in range(1, self.n):
            np.maximum(quiet, ext[i:i + n], out=quiet)
        low = quiet.min(axis=0)
        out = None
        for c in range(band.shape[1]):
            ons = self.onsets[c]
            new = np.flatnonzero(starts[:, c])
            if len(new):
                q = quiet[new, c]
                ok = q > floor[new, c] - self.under_db
                ons.extend(zip((k0 + new[ok]).tolist(), q[ok].tolist()))
            while ons and ons[0][0] < k0 - self.hold:
                ons.popleft()
            # (no frame as quiet as a cut: nothing to do)
            if not ons or low[c] >= max(q for _, q in ons) - self.under_db:
                continue
            # each frame's reference: the quiet before the onsets of the hold frames before it
            # (frame k0 - hold + a at a; a window of hold from a = i for the new frame i)
            at = np.full(self.hold + n, -np.inf)
            ks, qs = zip(*ons)
            at[np.array(ks) - (k0 - self.hold)] = qs
            ref = maximum_filter1d(at, self.hold, origin=-(self.hold // 2), mode="constant", cval=-np.inf)[:n]
            qc = quiet[:, c]
            cut = (qc < ref - self.under_db) & (qc > self.silence_db)
            if cut.any():
                out = floor.copy() if out is None else out
                out[cut, c] = np.minimum(floor[cut, c], qc[cut] + self.margin_db)
        for ons in self.onsets:
            while ons and ons[0][0] < self.k - self.hold:
                ons.popleft()
        return out


class TalkSpans:
    """Where a voice (or other sustained sound) was heard, though it did not raise the floor
    enough for :class:`LoudSpans`: candidates screened out as sustained sound or rejected on a
    voice feature come ``n`` or more within ``window_s``. A voice gives tens of them a second
    (its glottal pulses), a pop cluster at most a few, and pops amid talk are mostly missed. A
    candidate that completes such a run marks from the run's first candidate to ``after_s``
    after itself (pops just after a voice stops are missed too). ``spans``: ``[start, end]`` in
    seconds, overlapping ones joined; fed in time order, so they do not depend on chunking."""

    SETTLED_DB = 3.0                                   # the floor this near the room's quiet at least

    def __init__(self, n: int, window_s: float, after_s: float) -> None:
        self.n, self.window_s, self.after_s = max(1, int(n)), window_s, after_s
        self.recent: deque[float] = deque()
        self.spans: list[list[float]] = []

    def feed(self, t_s: float) -> None:
        """One more candidate taken for sustained sound or a voice, at ``t_s`` (s)."""
        q = self.recent
        q.append(t_s)
        while q[0] < t_s - self.window_s:
            q.popleft()
        if len(q) < self.n:
            return
        a, b = q[0], t_s + self.after_s
        if self.spans and a <= self.spans[-1][1]:
            self.spans[-1][1] = max(self.spans[-1][1], b)
        else:
            self.spans.append([a, b])


def joined(*span_lists) -> list[tuple[float, float]]:
    """The union of lists of ``[start, end]`` spans (s), as sorted spans, overlapping ones joined."""
    out: list[list[float]] = []
    for a, b in sorted((float(a), float(b)) for spans in span_lists for a, b in spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


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


def prefix_medians(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``np.median(a[:n], axis=0)`` for each ``n`` in ``g`` (each ``1 <= n <= len(a)``), in one
    sort: row ``i`` holds ``a[:g[i]]`` and then +inf, which sorts after every value."""
    n = len(a)
    rows = np.where((np.arange(n)[None, :] < g[:, None])[..., None], a[None, :, :], np.inf)
    rows.sort(axis=1)
    i = np.arange(len(g))
    hi, lo = rows[i, g // 2], rows[i, (g - 1) // 2]
    return np.where((g % 2 == 1)[:, None], hi, (lo + hi) / 2)


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
        # the top of the high band (crack_top_hz up), where a click's energy lies and a recording
        # limited to 8 kHz (16 kHz sampling, or a headset's sound resampled) has none; None where
        # the rate leaves no room for it
        if scheme.crack_top_hz < 0.45 * fe.rate_hz:
            top = min(scheme.high_top_hz, 0.45 * fe.rate_hz)
            sos_t = butter(4, [scheme.crack_top_hz, top], "bandpass", fs=fe.rate_hz, output="sos")
            self.top_band = lambda v: sosfilt_rest(sos_t, v, overwrite=True)
            # how far under the high band's floor pink noise (a room's) puts the top's: 5.4 dB at
            # 48 kHz, 12.2 dB at 22.05 kHz, where the top is a narrow band under the Nyquist frequency
            high_hi = scheme.high_top_hz if scheme.high_top_hz < 0.45 * fe.rate_hz else 0.5 * fe.rate_hz
            self.top_pink_db = 10 * math.log10(math.log(high_hi / scheme.high_hz) / math.log(top / scheme.crack_top_hz))
        else:
            self.top_band = None
        ba_l = butter(4, scheme.band_hz[0], fs=fe.fs)
        self.low_band = lambda v: signal.lfilter(*ba_l, v)
        self.pop_band = lambda v: signal.sosfilt(fe.sos_b, v)
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
        """Smoothed frame energies (dB) of one channel."""
        e = v * v
        nf = len(e) // span
        fr = e[:nf * span].reshape(nf, span).mean(axis=1)
        sm = np.convolve(fr, self.fe.fir)[:len(fr)]
        return 10.0 * np.log10(sm + 1e-20)

    def _band_db(self, tape, filt, warm: int, span: int, k: int, k_to: int, c: int,
                 fresh: int | None = None) -> tuple[np.ndarray, int, float]:
        """Smoothed frame dB of one side band on channel ``c`` up to frame ``k_to``, the row of
        frame ``k`` in it, and the band's floor (dB): a low percentile of the ``pre`` frames
        before ``k``. ``fresh``: the frames from ``fresh`` before ``k`` on filtered and smoothed
        afresh from there (zero state), so that what came before does not ring into them."""
        f0 = k - self.pre - warm
        start = max(f0 * span, tape.start + (-tape.start) % span)
        v = np.array(tape.get(start, k_to * span)[:, c], dtype=np.float64)     # a copy: filtered in place
        # a microphone's DC offset is not low-band sound: it would pass the low-pass and add
        # 2·DC·x to the energies (the floor of the window before has the DC², not the cross term)
        v -= v.mean()
        i = k - start // span                            # row of frame k
        j = max(i - fresh, 0) if fresh is not None else None
        again = v[j * span:].copy() if j is not None else None
        v = filt(v)
        db = self._frames(v, span)
        pre = db[max(i - self.pre, min(warm, i - 1)):i] if i > 0 else db[:0]
        kth = int(round(self.pct / 100 * (len(pre) - 1)))
        if again is not None:
            db[j:] = self._frames(filt(again), span)
        return db, i, float(np.partition(pre, kth)[kth]) if len(pre) else -200.0

    def fresh_band(self, y, k: int, n: int, c: int, fresh: int) -> np.ndarray:
        """Smoothed frame dB of the pop band on channel ``c``, frames ``k … k+n-1``, filtered afresh
        from ``fresh`` frames before ``k`` (``_band_db``; the front end's frames carry the ring of
        what came before)."""
        db, i, _ = self._band_db(y, self.pop_band, 0, self.fe.hop, k, k + n, c, fresh)
        return db[i:i + n]

    def high(self, native, k: int, k_to: int, c: int) -> tuple[np.ndarray, int, float]:
        """The high band around frame ``k`` up to frame ``k_to`` (as ``_band_db``), for
        ``excess`` and ``hiss`` to share."""
        fe = self.fe
        return self._band_db(native, self.high_band, self.warm_h, fe.hop * fe.m, k, k_to, c)

    def excess(self, native, y, k: int, n: int, c: int, late: tuple[int, int] = (0, 0),
               high: tuple[np.ndarray, int, float] | None = None,
               fresh: int | None = None) -> tuple[float, float, float]:
        """Energy over its own floor, summed over frames ``k … k+n-1`` (frame index), of the high
        and the low band on channel ``c``, and of the high band over frames ``k+late[0] …
        k+late[1]-1``; the floor is a low percentile of the ``pre`` frames before. ``high``: the
        high band from ``high()``, if it is already at hand; ``fresh``: the low band measured
        afresh from that many frames before ``k`` (``_band_db``)."""
        fe = self.fe
        if high is None:
            high = self.high(native, k, k + max(n, late[1]), c)
        low = self._band_db(y, self.low_band, self.warm_l, fe.hop, k, k + n, c, fresh)

        def over_floor(band, a: int, b: int) -> float:
            db, i, floor_db = band
            seg = db[i + a:i + b]
            return max(float(np.sum(10 ** (seg / 10)) - len(seg) * 10 ** (floor_db / 10)), 0.0)

        return over_floor(high, 0, n), over_floor(low, 0, n), over_floor(high, *late)

    def top_gone_db(self, native, k: int, c: int, high: tuple[np.ndarray, int, float]) -> float:
        """How much further (dB) the floor of the top of the high band (``crack_top_hz`` up) lies
        under the high band's floor (``high``, from ``high()``) before frame ``k`` than a room's
        pink noise puts it (``top_pink_db``): about 0 where the recording kept its top (its noise,
        a microphone's hiss, reaches there), far more where it lost it; inf where the rate leaves
        no room for that band."""
        if self.top_band is None:
            return np.inf
        fe = self.fe
        _, _, top_floor = self._band_db(native, self.top_band, self.warm_h, fe.hop * fe.m, k, k, c)
        return high[2] - top_floor - self.top_pink_db

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


def score_for(min_score: float, confidence: float) -> float:
    """The mean margin whose confidence (``logistic(mean, min_score, 0.5)``, a pop's) is
    ``confidence``: ``min_score`` itself for 0.5."""
    c = min(max(float(confidence), 1e-6), 1 - 1e-6)
    return min_score + 0.5 * float(np.log(c / (1 - c)))
