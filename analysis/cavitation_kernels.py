"""Compiled kernels (numba) for the hot paths of the cavitation detector.

The front end is the only part of the detector that reads every sample (2.9 million a minute at
48 kHz). Written with numpy, each of its steps (block sums, the band-pass, squares, frame sums,
the 2 ms moving average) was a pass over a temporary array of its own, and the adaptive floor
some fifty numpy calls on a few dozen values each per chunk; here block means are one pass over
the native samples, the band-pass, frame energies and moving average one pass over the
internal-rate signal, and the floor one pass over the frames, with the filter state, the samples
not yet in a frame, the last frames and the floor's block levels carried from call to call as
before (so the result does not depend on chunk sizes). A minute of 48 kHz audio in 1 s chunks:
the front end 7.3 ms of CPU without the hum check (:mod:`analysis.hum`), against 13 ms.

Around each candidate the detector measured its features with many numpy calls on a few dozen
values each, whose overhead was most of their cost: the candidates among new frames
(:func:`candidate_frames`), the screen of a batch (:func:`screen_levels`), a candidate's level
features (:func:`candidate_levels`), its ring (:func:`ring_rows`, :func:`fall_db`) and the side
bands' frames (:func:`frame_energies`) are one call each here.

The values are those of the numpy/scipy formulation they replace (tests/analysis/
test_cavitation_kernels.py keeps it): block sums, the band-pass's sections, frame sums, counts,
medians, ranks and minima are computed in the same order or select the same values, so they are
equal to the bit; moving averages and fall's fitted line may differ in the last bits.

This module imports numba: the detector imports it when it starts (``FrontEnd``), not at import,
so commands that do not detect pops never pay for it. The kernels are compiled for the
signatures given here when this module is first imported, and kept in numba's cache (next to this
file, or in the user's cache when that is not writable): 8.1 s of CPU the first time (after
installing, or after this file changes), then 0.5 s of CPU at the first detector's start in a
process (importing numba, loading the kernels from the cache; later detectors start in 1 ms, as
before); no pop waits for a compilation.
"""

from __future__ import annotations

import numba
import numpy as np



@numba.njit(["float64[:, ::1](float32[:, ::1], int64, float64)",
             "float64[:, ::1](float64[:, ::1], int64, float64)"], cache=True, nogil=True)
def block_means(x, m, scale):
    """Sums of consecutive groups of ``m`` rows of ``x`` (n, ch), each column on its own, added in
    row order (as :func:`~analysis.cavitation_features.block_sum`), times ``scale``; rows past
    the last whole group are ignored. A minute of 48 kHz float32 audio (m = 6): 1.7 ms of CPU,
    against 2.4 ms for ``block_sum`` and the scaling (measured as the minimum of 7 runs)."""
    nb = x.shape[0] // m
    ch = x.shape[1]
    out = np.empty((nb, ch))
    for b in range(nb):
        j = b * m
        for c in range(ch):
            acc = np.float64(x[j, c])
            for i in range(1, m):
                acc += np.float64(x[j + i, c])
            out[b, c] = acc * scale
    return out


@numba.njit(["void(float64[::1], float64[:, ::1], float64[:, ::1])"], cache=True, nogil=True)
def sections(x, sos, z):
    """Filter ``x`` in place by the second-order sections ``sos`` from the state ``z`` (sections,
    2), updated: direct form II transposed, in scipy's ``sosfilt`` arithmetic (the same values to
    the bit). The pop band-pass's two sections are run together with their state in registers:
    480 000 samples (a minute at 8 kHz) in 1.4 ms of CPU, against 3.2 ms for ``sosfilt`` and
    2.6 ms for the loop over sections with the state in memory."""
    n_sec = sos.shape[0]
    if n_sec == 2:
        b00, b01, b02, a01, a02 = sos[0, 0], sos[0, 1], sos[0, 2], sos[0, 4], sos[0, 5]
        b10, b11, b12, a11, a12 = sos[1, 0], sos[1, 1], sos[1, 2], sos[1, 4], sos[1, 5]
        z00, z01, z10, z11 = z[0, 0], z[0, 1], z[1, 0], z[1, 1]
        for j in range(x.shape[0]):
            x_n = x[j]
            o = b00 * x_n + z00
            z00 = b01 * x_n - a01 * o + z01
            z01 = b02 * x_n - a02 * o
            x_n = o
            o = b10 * x_n + z10
            z10 = b11 * x_n - a11 * o + z11
            z11 = b12 * x_n - a12 * o
            x[j] = o
        z[0, 0], z[0, 1], z[1, 0], z[1, 1] = z00, z01, z10, z11
        return
    for j in range(x.shape[0]):
        x_n = x[j]
        for s in range(n_sec):
            o = sos[s, 0] * x_n + z[s, 0]
            z[s, 0] = sos[s, 1] * x_n - sos[s, 4] * o + z[s, 1]
            z[s, 1] = sos[s, 2] * x_n - sos[s, 5] * o
            x_n = o
        x[j] = x_n


@numba.njit(["Tuple((float64[:, ::1], float64[:, ::1], float64[:, ::1]))"
             "(float64[:, ::1], float64[:, ::1], float64[:, :, ::1], float64[:, ::1], int64, float64[:, ::1])"],
            cache=True, nogil=True)
def band_frames(y, sos, zi, left, hop, tail):
    """The pop band's frame energies of the internal-rate signal ``y`` (n, ch): band-passed by the
    second-order sections ``sos`` (:func:`sections`, from the state ``zi`` (ch, sections, 2),
    updated in place), squared, summed over frames of ``hop`` samples (after the ``left`` (l, ch)
    squared samples of the last call not yet in a frame) and divided by ``hop``, then averaged
    over the last ``len(tail) + 1`` frames (``tail``: the frames before these). Returns ``(rows,
    left, tail)``: per frame the smoothed energy (ch columns) and the frame's own (ch columns),
    and what carries to the next call. (The caller takes their dB with numpy, whose vectorised
    log10 costs a third of a loop's.)"""
    n, ch = y.shape
    n_left = left.shape[0]
    nf = (n_left + n) // hop
    n_tail = tail.shape[0]
    n_sm = n_tail + 1
    inv_hop = 1.0 / hop
    inv_sm = 1.0 / n_sm
    rows = np.empty((nf, 2 * ch))
    new_left = np.empty((n_left + n - nf * hop, ch))
    ext = np.empty((n_tail + nf, ch))                  # the frames before these, then these
    ext[:n_tail] = tail
    e = np.empty(n_left + n)
    for c in range(ch):
        e[:n_left] = left[:, c]
        b = e[n_left:]
        b[:] = y[:, c]
        sections(b, sos, zi[c])
        for j in range(n_left, n_left + n):
            e[j] = e[j] * e[j]
        for f in range(nf):
            j = f * hop
            acc = e[j]
            for i in range(1, hop):
                acc += e[j + i]
            ext[n_tail + f, c] = acc * inv_hop
        new_left[:, c] = e[nf * hop:]
        for f in range(nf):
            sm = 0.0
            for i in range(n_sm):
                sm += ext[f + i, c] * inv_sm
            rows[f, c] = sm
            rows[f, ch + c] = ext[n_tail + f, c]
    return rows, new_left, np.ascontiguousarray(ext[ext.shape[0] - n_tail:])


@numba.njit(cache=True, nogil=True)
def _insert(v, n, x):
    """Insert ``x`` into the sorted ``v[:n]`` (``v`` has room for it)."""
    i = n
    while i > 0 and v[i - 1] > x:
        v[i] = v[i - 1]
        i -= 1
    v[i] = x


@numba.njit(cache=True, nogil=True)
def _middle(v, n):
    """The median of the sorted ``v[:n]``, as ``np.median`` gives it: the middle value, or the mean
    of the two middle ones."""
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


@numba.njit(cache=True, nogil=True)
def _kth_of(src, c, step, n, kth, tmp):
    """The ``kth`` smallest of ``src[0:n:step, c]`` (``tmp``: room for them, overwritten)."""
    m = 0
    for j in range(0, n, step):
        _insert(tmp, m, src[j, c])
        m += 1
    return tmp[kth]


@numba.njit(["float64[:, ::1](float64[:, :], int64[::1], float64[:, ::1], float64[:, ::1], float64[:, ::1], "
             "float64[::1], float64[:, ::1], float64[:, ::1], float64[::1], float64)"], cache=True, nogil=True)
def floor_frames(sm_db, ints, cur, first, hist, blk, cur_f, hist_f, cap_f, recent_db):
    """The adaptive floor of each new frame (``FrontEnd``'s: see there) from its smoothed band dB
    ``sm_db`` (n, ch), frame by frame, the state carried in the arrays given and updated in place:
    ``ints`` = [frames so far, frames a block, blocks in the median, the rank of a block's level,
    blocks the recent cap looks at (0: no caps), frames a short block, short blocks looked at (0:
    none), the rank of a short block's level, frames before the first floor]; ``cur`` the frames
    of the unfinished block; ``first`` the first block's frames so far, sorted; ``hist`` the last
    levels (row: block number modulo their number); ``blk`` the floor of the current block;
    ``cur_f``, ``hist_f``, ``cap_f`` the same for the short blocks (``cap_f``: their cap). The
    values are those of the numpy formulation to the bit (medians and ranks select the same
    values). A minute's frames (120 000) in 1 s chunks: 0.8 ms of CPU, against 4.7 ms."""
    k0, B, W, kth, n_rec, Bf, n_f, kth_f, start = (ints[0], ints[1], ints[2], ints[3], ints[4], ints[5], ints[6],
                                                  ints[7], ints[8])
    n, ch = sm_db.shape
    out = np.empty((n, ch))
    tmp = np.empty(max(B, W, Bf) + 1)
    for c in range(ch):
        for i in range(n):
            k = k0 + i
            b, r = k // B, k - (k // B) * B
            if r == 0 and b > 0:                       # block b - 1 ended: its level, and block b's floor
                hist[(b - 1) % W, c] = _kth_of(cur, c, 4, B, kth, tmp)
                m = min(b, W)
                for j in range(m):
                    _insert(tmp, j, hist[j, c])
                med = _middle(tmp, m)
                if n_rec > 0 and b >= n_rec:
                    cap = hist[(b - 1) % W, c]
                    for j in range(2, n_rec + 1):
                        cap = max(cap, hist[(b - j) % W, c])
                    med = min(med, recent_db + cap)
                blk[c] = med
            v = sm_db[i, c]
            if b == 0:                                 # the first block: the median of the frames before
                fl = _middle(first[:, c], k) if k >= start and k > 0 else np.inf
                _insert(first[:, c], k, v)
            else:
                fl = blk[c]
            cur[r, c] = v
            if n_f > 0:
                bf = k // Bf
                rf = k - bf * Bf
                if rf == 0 and bf > 0:
                    hist_f[(bf - 1) % n_f, c] = _kth_of(cur_f, c, 4, Bf, kth_f, tmp)
                    if bf >= n_f:
                        cap_f[c] = hist_f[:, c].max()
                cur_f[rf, c] = v
                fl = min(fl, recent_db + cap_f[c])
            out[i, c] = fl
    ints[0] = k0 + n
    return out


# -- around one candidate ------------------------------------------------------------------------
@numba.njit(cache=True, nogil=True)
def _sorted_median(v):
    """``np.median`` of ``v`` (a sorted copy's middle value, or the mean of the two middle ones)."""
    w = np.sort(v)
    return _middle(w, len(w))


@numba.njit(["float64(float64[:], int64, int64, int64, int64)"], cache=True, nogil=True)
def fall_db(y, i_on, end, n_pre, n_sm):
    """:func:`~analysis.cavitation_waveform.fall`, which see: how far (dB) a sound's energy falls
    at once after its loudest ``n_sm`` rows, on the block means ``y`` less the line through the
    ``n_pre`` rows before the onset (row ``i_on``). The line is fitted in closed form, not by
    ``np.polyfit``'s least squares (which agree to 1e-15 of the level); with the moving sums as
    loops, a call takes 1.5 µs of CPU against 27 µs, most of them polyfit's."""
    if n_pre < 2 or i_on < n_pre or end - i_on < 2:
        return 0.0
    n = min(end, len(y)) - i_on
    tm, ym = 0.0, 0.0                              # the line through (t, y) for t = -n_pre … -1
    for i in range(n_pre):
        tm += -n_pre + i
        ym += y[i_on - n_pre + i]
    tm /= n_pre
    ym /= n_pre
    stt, sty = 0.0, 0.0
    for i in range(n_pre):
        dt = (-n_pre + i) - tm
        stt += dt * dt
        sty += dt * (y[i_on - n_pre + i] - ym)
    b = sty / stt
    a = ym - b * tm
    e = np.empty(n)
    for i in range(n):
        x = y[i_on + i] - (a + b * i)
        e[i] = x * x
    h = n_sm // 2
    m = min(6 * n_sm, n)                            # the loudest 0.5 ms (centred) in the first 3 ms
    i_pk, top = 0, -np.inf
    for t in range(m):
        s = 0.0
        for i in range(n_sm):
            j = t + h - i
            if 0 <= j < n:
                s += e[j] * (1.0 / n_sm)
        if s > top:
            i_pk, top = t, s
    n_after = 2 * n_sm                              # the most over 1 ms begun within 1 ms after it
    a0 = i_pk + h + 1
    if a0 + 2 * n_after - 1 > n or top <= 0:
        return 0.0
    most = -np.inf
    for p in range(a0, a0 + n_after):
        s = 0.0
        for i in range(n_after):
            s += e[p + i] * (1.0 / n_after)
        most = max(most, s)
    return 10 * np.log10(top / max(most, top * 1e-12))


@numba.njit(["Tuple((int64, float64))(float64[:], int64, int64, int64, int64, int64, int64, float64, int64)"],
            cache=True, nogil=True)
def ring_rows(y, i_on, end, n_pre, n_sm, a3, a8, quiet, gap):
    """:func:`~analysis.cavitation_waveform.ring`'s first two measures, which see, on the block
    means ``y`` less their median over the ``n_pre`` rows before the onset (row ``i_on``, at
    least ``n_pre``): how many rows from the onset the sound rings (from its loudest ``n_sm``
    rows, centred, among the rows before ``a3``, until its energy stays under ``quiet`` times that
    for ``gap`` rows; -1: not before row ``end``; -2: no sound, or under 2 rows), and its step:
    the 10th percentile of the rows ``a3`` to ``a8`` (up to ``end``) on the side of their median,
    as a share of the largest swing before ``a3``. ``ring`` with it takes 12 µs of CPU a call,
    against 73 µs with the numpy formulation."""
    med = _sorted_median(y[i_on - n_pre:i_on])
    n_y = len(y)
    top = 0.0
    for j in range(i_on, min(a3, n_y)):
        top = max(top, abs(y[j] - med))
    if top <= 0 or end - i_on < 2:
        return -2, 0.0
    step = 0.0
    w = y[a3:max(a3, min(a8, end))] - med
    if len(w) >= n_sm:
        if _sorted_median(w) < 0:
            w = -w
        w.sort()
        step = w[len(w) // 10] / top
    h = n_sm // 2
    n_env = end - i_on
    env = np.empty(n_env)
    for t in range(n_env):
        s = 0.0
        for i in range(n_sm):
            j = i_on + t + h - i
            if 0 <= j < n_y:
                x = y[j] - med
                s += x * x * (1.0 / n_sm)
        env[t] = s
    n3 = min(a3, end) - i_on
    i_pk = 0
    for t in range(1, n3):
        if env[t] > env[i_pk]:
            i_pk = t
    thr = env[i_pk] * quiet
    run = 0
    for t in range(i_pk, n_env):
        run = run + 1 if env[t] < thr else 0
        if run == gap:
            return t - gap + 1, step
    return -1, step


@numba.njit(["float64[::1](float64[::1], int64, int64)"], cache=True, nogil=True)
def frame_energies(v, span, n_sm):
    """Mean squares of ``v`` over frames of ``span`` samples, averaged over each frame and the
    ``n_sm - 1`` before it (fewer at the start): a side band's smoothed frame energies. With
    their dB, 6 µs of CPU for 300 frames against 17 µs for numpy's reshape, mean and convolve."""
    nf = len(v) // span
    fr = np.empty(nf)
    for f in range(nf):
        s = 0.0
        for i in range(f * span, (f + 1) * span):
            s += v[i] * v[i]
        fr[f] = s / span
    sm = np.empty(nf)
    for f in range(nf):
        s = 0.0
        for i in range(max(0, f - n_sm + 1), f + 1):
            s += fr[i] * (1.0 / n_sm)
        sm[f] = s
    return sm


@numba.njit(["Tuple((int64, float64, float64, float64, int64, int64, float64, int64, float64, float64))"
             "(float64[:], float64, int64, int64, int64, int64, int64, float64, float64)"], cache=True, nogil=True)
def candidate_levels(db, floor, i0, pn, pre_n, rise_n, dec_n, rise_db, on_db):
    """The level features of a candidate (``CavitationDetector._judge``, which see) from its smoothed
    band dB ``db`` (its row ``i0``, its floor ``floor``): returns ``(p, peak, active, contrast, q,
    n_after, drop, end, jump, gap)``: the peak's row (the loudest of the ``pn`` rows from the
    candidate's) and level, the share of the rows from ``pn`` after the peak within 12 dB of it,
    the peak over the median of the ``pre_n - 1`` rows up to 2 before the candidate, the row
    where the next pop rises (``rise_db`` within ``rise_n`` rows, ``on_db`` over the floor, from
    ``2 pn`` after the peak on; ``len(db)``: none), how many rows the decay is sought in (up to
    ``dec_n``) and how far it falls in them, the row where the sound is 20 dB down (or 3 dB over
    the floor; ``q`` if never), the rise over the lowest of the ``rise_n`` rows before the last
    ``rise_n`` before the candidate, and the peak over the median of the rows from ``pn`` after
    it. The same values as the numpy formulation (medians, minima and counts select them); one
    call replaces twenty numpy calls (2.4 µs of CPU against 43 µs)."""
    n = len(db)
    p = i0
    for i in range(i0 + 1, min(i0 + pn + 1, n)):
        if db[i] > db[p]:
            p = i
    peak = db[p]
    snr = peak - floor
    t0 = min(p + pn, n)                                # the tail: rows from pn after the peak
    n_tail = n - t0
    active = 0.0
    if n_tail > 0:
        cnt = 0
        for i in range(t0, n):
            if db[i] > peak - 12.0:
                cnt += 1
        active = cnt / n_tail
    a, b = max(0, i0 - pre_n), max(0, i0 - 1)
    contrast = peak - _sorted_median(db[a:b]) if b > a else snr
    q = n                                              # the next pop's rise, if any
    for i in range(p + 2 * pn, n):
        if db[i] - db[i - rise_n] >= rise_db and db[i] - floor >= on_db:
            q = i
            break
    a_end = min(q, p + 1 + dec_n)
    n_after = max(0, a_end - (p + 1))
    drop = 0.0
    if n_after > 0:
        drop = peak - db[p + 1:a_end].min()
    low = max(peak - 20.0, floor + 3.0)
    end = q
    for i in range(p + 1, min(q, n)):
        if db[i] < low:
            end = i
            break
    jump = snr
    if i0 - rise_n >= 0:
        lo = np.inf
        for i in range(max(0, i0 - 2 * rise_n), i0 - rise_n + 1):
            lo = min(lo, db[i])
        jump = peak - lo
    gap = peak - _sorted_median(db[t0:]) if n_tail > 0 else drop
    return p, peak, active, contrast, q, n_after, drop, end, jump, gap


@numba.njit(["Tuple((float64[::1], float64[::1]))(float64[:, :], int64[::1], int64[::1], int64, int64, int64)"],
            cache=True, nogil=True)
def screen_levels(db, i0, cs, pn, hn, prn):
    """Activity and contrast of a batch of candidates (``CavitationDetector._screen``, which see),
    the values ``candidate_levels`` gives each: candidate ``j`` at row ``i0[j]`` of the smoothed
    band dB ``db`` (rows, channels), channel ``cs[j]``; its peak the loudest of the ``pn + 1``
    rows from it, its activity the share of the ``hn + 1`` rows less the peak's delay from ``pn``
    after the peak within 12 dB of it, its contrast the peak over the median of the ``prn - 1``
    rows up to 2 before it. A batch of 20: 11 µs of CPU against 31 µs for numpy's fancy indexing
    and partitions."""
    n = len(i0)
    active = np.empty(n)
    contrast = np.empty(n)
    n_db = db.shape[0]
    for j in range(n):
        i, c = i0[j], cs[j]
        dp = 0
        for r in range(1, pn + 1):
            if db[i + r, c] > db[i + dp, c]:
                dp = r
        peak = db[i + dp, c]
        n_tail = hn + 1 - dp
        cnt = 0
        for r in range(n_tail):
            if db[min(i + dp + pn + r, n_db - 1), c] > peak - 12.0:
                cnt += 1
        active[j] = cnt / n_tail
        contrast[j] = peak - _sorted_median(db[i - prn:i - 1, c])
    return active, contrast


@numba.njit(["Tuple((int64[::1], int64[::1]))(float64[:, :], float64[:, :], int64, int64[::1], float64, float64, int64)"],
            cache=True, nogil=True)
def candidate_frames(rows, prev, k0, last, on_db, rise_db, refr_n):
    """The candidates among new frames (``CavitationDetector._candidates``, which see): a frame
    whose smoothed band dB (``rows[:, c]``) is ``on_db`` over its floor (``rows[:, ch + c]``) and
    ``rise_db`` over ``prev`` (the frame ``rise_n`` before), and ``refr_n`` frames or more after
    the last candidate on its channel (``last``, updated in place); the first of the frames is
    frame ``k0``. Returns their frames and channels, in the order of (frame, channel). A second
    of frames: 4 µs of CPU against 19 µs for the numpy formulation."""
    n, ch = prev.shape
    ks = np.empty(n * ch, dtype=np.int64)
    cs = np.empty(n * ch, dtype=np.int64)
    m = 0
    for i in range(n):
        for c in range(ch):
            b = rows[i, c]
            if b - rows[i, ch + c] >= on_db and b - prev[i, c] >= rise_db and k0 + i - last[c] >= refr_n:
                last[c] = k0 + i
                ks[m], cs[m] = k0 + i, c
                m += 1
    return ks[:m].copy(), cs[:m].copy()

