"""The compiled kernels of the pop detector (analysis.cavitation_kernels) against the numpy/scipy
formulation they replace, kept here as small reference functions."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy import signal

from analysis import cavitation_kernels as K
from analysis.cavitation_features import FrontEnd, butter
from analysis.cavitation_scheme import PopScheme


# -- references: the numpy/scipy formulation the front end had -------------------------------------
def ref_block_means(x: np.ndarray, m: int) -> np.ndarray:
    nb = len(x) // m
    acc = x[0:nb * m:m].astype(np.float64)
    for i in range(1, m):
        acc += x[i:nb * m:m]
    acc *= 1.0 / m
    return acc


def ref_band_frames(y, sos, zi, left, hop, tail):
    """(rows, zi, left, tail) as FrontEnd.feed computed them with sosfilt, reshapes and convolve."""
    b, zf = signal.sosfilt(sos, y, axis=0, zi=np.moveaxis(zi, 0, -1))
    e = np.concatenate([left, b * b])
    nf = len(e) // hop
    if nf == 0:                                                       # (no frame: the tail stays)
        return np.zeros((0, 2 * y.shape[1])), np.moveaxis(zf, -1, 0), e, tail
    fr = e[:nf * hop].reshape(nf, hop, e.shape[1])
    acc = fr[:, 0].copy()
    for i in range(1, hop):
        acc += fr[:, i]
    fr = acc * (1.0 / hop)
    n_sm = len(tail) + 1
    ext = np.concatenate([tail, fr])
    sm = np.stack([np.convolve(ext[:, c], np.full(n_sm, 1.0 / n_sm), "valid") for c in range(y.shape[1])], axis=1)
    return np.concatenate([sm, fr], axis=1), np.moveaxis(zf, -1, 0), e[nf * hop:], ext[len(ext) - n_sm + 1:]


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


def prefix_medians(a: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``np.median(a[:n], axis=0)`` for each ``n`` in ``g`` (each ``1 <= n <= len(a)``), in one
    sort: row ``i`` holds ``a[:g[i]]`` and then +inf, which sorts after every value."""
    n = len(a)
    rows = np.where((np.arange(n)[None, :] < g[:, None])[..., None], a[None, :, :], np.inf)
    rows.sort(axis=1)
    i = np.arange(len(g))
    hi, lo = rows[i, g // 2], rows[i, (g - 1) // 2]
    return np.where((g % 2 == 1)[:, None], hi, (lo + hi) / 2)


def ref_floor(sm_db_parts, s: PopScheme, channels: int) -> np.ndarray:
    """FrontEnd._floor as numpy computed it (block levels, medians of their windows, the caps), fed
    the parts of a stream one after another."""
    fpm = 1e-3 * 8000.0 / 4                                              # frames a ms (48 kHz: 0.5 ms frames)
    B = max(1, int(round(s.floor_every_ms * fpm)))
    W = max(1, int(round(s.floor_window_s * 1e3 / s.floor_every_ms)))
    n_recent = min(max(0, int(s.floor_recent_blocks)), W)
    n_fast = int(s.floor_fast_blocks) if n_recent > 0 else 0
    levels = BlockLevels(B, W, channels, s.floor_percentile)
    fast = (RecentLevels(max(1, int(round(s.floor_fast_ms * fpm))), n_fast, channels, s.floor_percentile)
            if n_fast > 0 else None)
    out = []
    for sm_db in sm_db_parts:
        k0, allb, hist, h0, bs = levels.feed(sm_db)
        fl = np.empty((len(bs), channels))
        small = bs < W
        if small.any():
            fl[small & (bs == 0)] = np.inf
            some = small & (bs > 0)
            if some.any():
                fl[some] = prefix_medians(hist[:int(bs[some].max())], bs[some])
        big = ~small
        if big.any():
            fl[big] = np.median(hist[(bs[big] - W - h0)[:, None] + np.arange(W)], axis=1)
        if n_recent > 0:
            np.minimum(fl, s.floor_recent_db + levels.loudest_before(hist, h0, bs, n_recent), out=fl)
        o = levels.per_frame(fl, k0, len(sm_db), bs)
        n_first = min(len(sm_db), B - k0)
        if n_first > 0:
            o[:n_first] = np.inf
            g = np.arange(max(k0, FrontEnd.START_FRAMES), k0 + n_first)
            if len(g):
                o[g - k0] = prefix_medians(allb[:g[-1]], g)
        if fast is not None:
            np.minimum(o, s.floor_recent_db + fast.feed(sm_db), out=o)
        out.append(o)
    return np.concatenate(out)


def ref_ring(y, i_on, i_end, fs, s):
    """cavitation_waveform.ring as numpy computed it."""
    n_pre = max(1, int(round(s.ring_pre_ms * 1e-3 * fs)))
    if i_on < n_pre or i_on >= len(y):
        return np.inf, 0.0, 0.0
    x = y - np.median(y[i_on - n_pre:i_on])
    n_sm = max(1, int(round(0.5e-3 * fs)))
    end = min(max(i_end, i_on + 1), len(x))
    env = np.convolve(x * x, np.full(n_sm, 1.0 / n_sm))[n_sm // 2:n_sm // 2 + len(x)][i_on:end]
    a3, a8 = (i_on + int(round(v * 1e-3 * fs)) for v in s.step_ms)
    top = float(np.abs(x[i_on:a3]).max(initial=0.0))
    if top <= 0 or end - i_on < 2:
        return np.inf, 0.0, 0.0
    n3 = min(a3, end) - i_on
    w = x[a3:min(a8, end)]
    step = 0.0
    if len(w) >= n_sm:
        w = w * (1.0 if np.median(w) >= 0 else -1.0)
        step = float(np.partition(w, len(w) // 10)[len(w) // 10]) / top
    i_pk = int(np.argmax(env[:n3]))
    quiet = env < float(env[i_pk]) * 10 ** (-s.ring_db / 10)
    gap = max(1, int(round(s.ring_gap_ms * 1e-3 * fs)))
    runs = np.convolve(quiet[i_pk:], np.ones(gap, int), "valid") == gap
    ends = np.flatnonzero(runs)
    return (float((i_pk + ends[0]) / fs * 1e3) if len(ends) else np.inf), step, ref_fall(y, i_on, end, n_pre, n_sm)


def ref_fall(y, i_on, end, n_pre, n_sm):
    """cavitation_waveform.fall as numpy computed it (np.polyfit for the line)."""
    if n_pre < 2 or i_on < n_pre or end - i_on < 2:
        return 0.0
    n = min(end, len(y)) - i_on
    t = np.arange(-n_pre, n, dtype=np.float64)
    b, a = np.polyfit(t[:n_pre], np.asarray(y[i_on - n_pre:i_on], dtype=np.float64), 1)
    x = np.asarray(y[i_on:i_on + n], dtype=np.float64) - (a + b * t[n_pre:])
    e = x * x
    env = np.convolve(e, np.full(n_sm, 1.0 / n_sm))[n_sm // 2:n_sm // 2 + len(x)]
    i_pk = int(np.argmax(env[:6 * n_sm]))
    n_after = 2 * n_sm
    after = np.convolve(e, np.full(n_after, 1.0 / n_after), "valid")
    a0 = i_pk + n_sm // 2 + 1
    w = after[a0:a0 + n_after]
    if len(w) < n_after or env[i_pk] <= 0:
        return 0.0
    return float(10 * np.log10(env[i_pk] / max(float(w.max()), env[i_pk] * 1e-12)))


def ref_candidate_levels(db, floor, i0, pn, pre_n, rise_n, dec_n, rise_db, on_db):
    """The level features as CavitationDetector._judge computed them with numpy."""
    p = i0 + int(np.argmax(db[i0:i0 + pn + 1]))
    peak = float(db[p])
    snr = peak - floor
    tail = db[p + pn:]
    active = np.count_nonzero(tail > peak - 12.0) / len(tail) if len(tail) else 0.0
    pre = db[max(0, i0 - pre_n):max(0, i0 - 1)]
    contrast = peak - float(np.median(pre)) if len(pre) else snr
    sharp = np.flatnonzero((db[p + 2 * pn:] - db[p + 2 * pn - rise_n:-rise_n] >= rise_db)
                           & (db[p + 2 * pn:] - floor >= on_db))
    q = p + 2 * pn + int(sharp[0]) if len(sharp) else len(db)
    after = db[p + 1:min(q, p + 1 + dec_n)]
    drop = peak - float(after.min()) if len(after) else 0.0
    low = max(peak - 20.0, floor + 3.0)
    below = np.flatnonzero(db[p + 1:q] < low)
    end = p + 1 + int(below[0]) if len(below) else q
    jump = peak - float(db[max(0, i0 - 2 * rise_n):i0 - rise_n + 1].min(initial=np.inf)) if i0 - rise_n >= 0 else snr
    gap = peak - float(np.median(tail)) if len(tail) else drop
    return p, peak, active, contrast, q, len(after), drop, end, jump, gap


def ref_screen_levels(db, i0, cs, pn, hn, prn):
    """Activity and contrast of a batch as CavitationDetector._screen computed them with numpy."""
    win = db[i0[:, None] + np.arange(pn + 1), cs[:, None]]
    dp = np.argmax(win, axis=1)
    peak = win[np.arange(len(i0)), dp]
    n_tail = hn + 1 - dp
    tail = db[np.minimum((i0 + dp + pn)[:, None] + np.arange(hn + 1), len(db) - 1), cs[:, None]]
    mask = np.arange(hn + 1) < n_tail[:, None]
    active = np.sum((tail > peak[:, None] - 12.0) & mask, axis=1) / n_tail
    pre = db[(i0 - prn)[:, None] + np.arange(prn - 1), cs[:, None]]
    return active, peak - np.median(pre, axis=1)


def ref_candidate_frames(rows, prev, k0, last, on_db, rise_db, refr_n):
    """The candidates among new frames as CavitationDetector._candidates found them with numpy."""
    ch = prev.shape[1]
    band, flo = rows[:, :ch], rows[:, ch:2 * ch]
    ok = (band - flo >= on_db) & (band - prev >= rise_db)
    new = []
    for c in range(ch):
        g = k0 + np.flatnonzero(ok[:, c])
        for k in g.tolist():
            if k - last[c] >= refr_n:
                last[c] = k
                new.append((k, c))
    return sorted(new)


# -- comparisons ---------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("channels", [1, 2])
def test_block_means_are_the_numpy_block_sums(dtype, channels):
    x = np.random.default_rng(1).normal(0, 0.1, (6 * 1000 + 5, channels)).astype(dtype)
    got = K.block_means(np.ascontiguousarray(x[:6000]), 6, 1.0 / 6)
    assert np.array_equal(got, ref_block_means(x, 6))            # the same order of adds: equal to the bit


@pytest.mark.parametrize("order", [2, 4])
def test_sections_are_sosfilt_to_the_bit(order):
    sos = butter(order, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    x = np.random.default_rng(2).normal(0, 1, 3000)
    z = np.zeros((len(sos), 2))
    a, b = x[:1234].copy(), x[1234:].copy()
    K.sections(a, sos, z)                                           # state carried over the cut
    K.sections(b, sos, z)
    assert np.array_equal(np.concatenate([a, b]), signal.sosfilt(sos, x))


@pytest.mark.parametrize("channels", [1, 2])
def test_band_frames_are_the_front_ends_frames_over_any_cuts(channels):
    sos = butter(2, [100.0, 2000.0], "bandpass", fs=8000.0, output="sos")
    rng = np.random.default_rng(3)
    y = rng.normal(0, 0.05, (4000, channels))
    y[1500:1540] += 0.8 * np.sin(np.arange(40) * 0.7)[:, None]     # a burst
    hop, n_sm = 4, 4
    state_k = (np.zeros((channels, 2, 2)), np.zeros((0, channels)), np.zeros((n_sm - 1, channels)))
    state_r = tuple(a.copy() for a in state_k)
    got, want = [], []
    for a, b in [(0, 3), (3, 1001), (1001, 1002), (1002, 2599), (2599, 4000)]:
        zi = state_k[0]                                               # (updated in place)
        rows, left, tail = K.band_frames(np.ascontiguousarray(y[a:b]), sos, zi, state_k[1], hop, state_k[2])
        state_k = (zi, left, tail)
        got.append(rows)
        rows_r, *state_r = ref_band_frames(y[a:b], sos, *state_r[:2], hop, state_r[2])
        want.append(rows_r)
        np.testing.assert_array_equal(state_k[0], state_r[0])       # filter state to the bit
        np.testing.assert_array_equal(left, state_r[1])
    got, want = np.concatenate(got), np.concatenate(want)
    assert got.shape == (1000, 2 * channels)
    np.testing.assert_array_equal(got[:, channels:], want[:, channels:])           # frame energies: to the bit
    np.testing.assert_allclose(got[:, :channels], want[:, :channels], rtol=1e-13, atol=0)   # the average: its order


def test_numba_is_imported_by_the_pop_detector_only():
    code = ("import sys, analysis.cavitation, analysis.pipeline; assert 'numba' not in sys.modules; "
            "from analysis.cavitation import CavitationDetector; from analysis.chunk import Chunk; import numpy as np; "
            "CavitationDetector().feed(Chunk(np.arange(480) / 48000, np.zeros(480, np.float32), 0, 'audio', 48000.0)); "
            "assert 'numba' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("scheme", [PopScheme(), PopScheme(floor_fast_blocks=0), PopScheme(floor_recent_blocks=0),
                                    PopScheme(floor_window_s=0.5, floor_percentile=20.0)])
def test_floor_is_the_numpy_floor_to_the_bit_over_any_cuts(scheme):
    rng = np.random.default_rng(5)
    db = rng.normal(0, 6, (12000, 2)).cumsum(axis=0) * 0.02 + rng.normal(-60, 5, (12000, 2))
    db[3000:3400] += 25.0                                            # a voice, stopping
    want = ref_floor([db], scheme, 2)
    assert np.isinf(want[:FrontEnd.START_FRAMES]).all() and np.isfinite(want[-1]).all()
    for sizes in ([12000], [7, 13, 200, 1999, 1] * 200, [20] * 600):
        fe = FrontEnd(48000.0, 2, scheme)
        cuts = np.cumsum([0] + sizes)
        got = np.concatenate([fe._floor(db[a:b]) for a, b in zip(cuts[:-1], cuts[1:]) if a < len(db)])
        np.testing.assert_array_equal(got, want)


def _sounds(n: int = 300):
    """Block means (8 kHz) around an onset at row 400: rings, clicks, steps, noise, silence, cut short."""
    rng = np.random.default_rng(7)
    t = np.arange(900) / 8000.0
    for i in range(n):
        y = rng.normal(0, 10 ** rng.uniform(-5, -3), 900) + rng.uniform(-1e-3, 1e-3) * t   # noise, drift
        kind = i % 5
        amp = 10 ** rng.uniform(-3, -0.5)
        a = t[400:] - t[400]
        if kind == 0:                                                   # a ring
            y[400:] += amp * np.exp(-a / rng.uniform(5e-4, 4e-3)) * np.sin(2 * np.pi * rng.uniform(150, 1500) * a)
        elif kind == 1:                                                 # a click
            y[400:400 + rng.integers(1, 5)] += amp
        elif kind == 2:                                                 # a step
            y[400:] += amp
        elif kind == 3 and i % 2:                                       # silence (or, else, noise alone)
            y[:] = 0.0
        yield y, 400, int(rng.integers(401, 900)) if kind == 4 else 900


def test_ring_and_fall_are_the_numpy_measures():
    from analysis.cavitation_waveform import fall, ring
    s = PopScheme()
    for y, i_on, i_end in _sounds():
        got, want = ring(y, i_on, i_end, 8000.0, s), ref_ring(y, i_on, i_end, 8000.0, s)
        assert got[:2] == want[:2]                                      # ring length and step: the same values
        np.testing.assert_allclose(got[2], want[2], rtol=1e-9, atol=1e-9)   # fall: a line fitted otherwise
        for n_pre in (1, 2, 40):
            for end in (i_on + 1, i_on + 30, len(y)):
                np.testing.assert_allclose(fall(y, i_on, end, n_pre, 4), ref_fall(y, i_on, end, n_pre, 4),
                                           rtol=1e-9, atol=1e-9)
    assert ring(np.zeros(100), 10, 100, 8000.0, s) == ref_ring(np.zeros(100), 10, 100, 8000.0, s)


def test_frame_energies_are_the_numpy_ones():
    v = np.random.default_rng(6).normal(0, 0.1, 24 * 300 + 7)
    v[2400:2500] *= 30.0
    fr = (v[:24 * 300] ** 2).reshape(300, 24).mean(axis=1)
    want = np.convolve(fr, np.full(4, 0.25))[:300]                   # causal: fewer frames at the start
    np.testing.assert_allclose(K.frame_energies(v, 24, 4), want, rtol=1e-13, atol=0)


def test_candidate_levels_are_the_numpy_ones():
    rng = np.random.default_rng(8)
    for i in range(400):
        n = int(rng.integers(30, 160))
        db = rng.normal(-60, 2, n)
        i0 = int(rng.integers(0, n - 1))
        for a in sorted(rng.integers(0, n, 3)):                        # pops: a rise, a decay
            db[a:] += 30 * np.exp(-np.arange(n - a) / rng.uniform(2, 20)) * (rng.random() < 0.8)
        args = (db, float(np.median(db) + rng.normal(0, 3)), i0, 4, 40, 4, 16, 9.0, 9.0)
        assert K.candidate_levels(*args) == ref_candidate_levels(*args)


def test_screen_levels_are_the_numpy_ones():
    rng = np.random.default_rng(9)
    db = rng.normal(-60, 3, (3000, 2))
    for a in rng.integers(0, 3000, 60):                                 # sounds of any length
        db[a:a + 200] += rng.uniform(5, 30) * np.exp(-np.arange(len(db[a:a + 200])) / rng.uniform(2, 80))[:, None]
    i0 = np.sort(rng.integers(45, 2990, 200))                           # (some near the end: the tail is cut)
    cs = rng.integers(0, 2, 200)
    got = K.screen_levels(db, i0, cs, 4, 70, 40)
    want = ref_screen_levels(db, i0, cs, 4, 70, 40)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])


def test_candidate_frames_are_the_numpy_ones_over_any_cuts():
    rng = np.random.default_rng(10)
    n, ch = 4000, 2
    band = rng.normal(-60, 1, (n, ch))
    for a in rng.integers(0, n, 150):                                   # rises, some in long runs
        band[a:a + rng.integers(1, 40)] += rng.uniform(5, 30)
    rows = np.concatenate([band, np.full((n, ch), -62.0), band], axis=1)
    prev = np.concatenate([np.full((4, ch), np.inf), band[:-4]])
    want = ref_candidate_frames(rows, prev, 100, [-10 ** 9] * ch, 9.0, 9.0, 10)
    assert len(want) > 50
    last = np.full(ch, -10 ** 9, dtype=np.int64)
    got = []
    for a, b in [(0, 1), (1, 777), (777, 780), (780, 4000)]:
        ks, cs = K.candidate_frames(rows[a:b], prev[a:b], 100 + a, last, 9.0, 9.0, 10)
        got += list(zip(ks.tolist(), cs.tolist()))
    assert got == want

