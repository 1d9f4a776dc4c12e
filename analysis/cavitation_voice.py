"""Voice features of the cavitation detector (``analysis.cavitation``): whether a candidate
belongs to a voice.

Voiced speech is the commonest sound taken for a pop: its glottal pulses are short and sharp
like pops, but a voice repeats itself at a pitch period, a cluster of pops does not. Each
function measures one way it does, on the arrays the detector hands it (band frames, the
timing signal at the internal rate); none keeps state.

=================  ===========================================  ==========================
feature            pop                                          rejects
=================  ===========================================  ==========================
voicing            envelope does not repeat at a pitch period   voiced speech (its glottal
                   (2.5–16 ms, i.e. 62–400 Hz)                  pulses look like pops)
pitch              waveform does not repeat at a pitch period   voiced speech
train              not part of a run of 5+ evenly spaced        low voices (glottal pulses
                   onsets 2.5–20 ms apart                       50–100 Hz, one per period)
copy               its first 6 ms are not repeated, at the      the lowest voices (pulses
                   same level, by two sounds evenly spaced      40–65 Hz stand alone like
                   with it 2.5–25 ms apart (waveform            pops; each is a copy of
                   similarity, periods within 15 %)             its neighbours)
=================  ===========================================  ==========================

A cluster whose pops are alike and evenly spaced (one pop's copies, say) repeats itself as a
voice does, but for a few periods only: ``short_run`` tells when the sound repeating at the
lag ``pitch`` or ``copy`` found is two to five periods at one level with quiet on both sides,
and their likeness then counts for none.

Two more look beyond the candidate. ``voice_before`` is the voicing of the band envelope of
the 150 ms before it (up to 2 ms before it): where a voiced stretch of real speech stops, mouth
clicks and single glottal pulses look like pops. ``voice_after``: a stop consonant ("t", "k",
"p") releases a short sharp burst, like a pop, and then a vowel starts: from 8 ms after the
peak, the timing signal repeats itself over two pitch periods of 2.5-11 ms.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

from analysis.cavitation_scheme import PopScheme


def envelope_periodicity(rows: np.ndarray, c: int, ch: int, lag_n: tuple[int, int]) -> float:
    """How much the band envelope of channel ``c`` in the band frames ``rows`` (smoothed band
    dB, floor, raw band dB, each ``ch`` columns) repeats itself at a voice's pitch period
    (``lag_n`` frames, 62–400 Hz): at each lag, the smaller of the autocorrelations at it and
    at twice it; the largest over the lags (0 when too short). The detector's ``voicing``
    around the candidate, and ``voice_before`` over the 150 ms before it."""
    e = 10 ** (rows[:, 2 * ch + c] / 10) - 10 ** (rows[:, ch + c] / 10)
    a = np.sqrt(np.maximum(e, 0.0))
    lo, hi = lag_n
    if len(a) < 2 * hi + 4:
        return 0.0
    n = len(a)
    # the lags 0 … 2 hi; "same" (lags -n//2 … n - n//2 - 1) gives them from the very products
    # "full" sums, at half its cost
    r = (np.correlate(a, a, "same")[n // 2:n // 2 + 2 * hi + 1] if n - n // 2 - 1 >= 2 * hi
         else np.correlate(a, a, "full")[n - 1:n + 2 * hi])
    if r[0] <= 0:
        return 0.0
    r = r / r[0]
    return float(np.minimum(r[lo:hi + 1], r[2 * lo:2 * hi + 1:2]).max())      # lags lo … hi, and twice them


def onset_train(rows: np.ndarray, lo_row: int, k: int, c: int, ch: int, rise_n: int, s: PopScheme,
                lag_n: tuple[int, int]) -> int:
    """Length of the longest run of evenly spaced sharp onsets (spacing ``lag_n`` frames,
    2.5–20 ms, each step within 15 % or 1 ms of the last; :func:`train_length`) that passes
    through the candidate at frame ``k``: glottal pulses of a low voice come in long regular
    trains, the pops of a cluster are a few, unevenly spaced. ``rows`` are the band frames from
    frame ``lo_row`` (channel ``c`` of ``ch``); an onset is a rise of ``rise_db`` within
    ``rise_n`` frames to ``on_db`` over the floor."""
    db, fl = rows[:, c], rows[:, ch + c]
    rn = rise_n
    up = (db[rn:] - db[:-rn] >= s.rise_db) & (db[rn:] - fl[rn:] >= s.on_db)
    starts = np.flatnonzero(up & ~np.r_[False, up[:-1]]) + rn + lo_row
    if len(starts) < 3:
        return 1
    i0 = int(np.searchsorted(starts, k, side="right")) - 1     # the rise the candidate belongs to
    return train_length(starts.tolist(), i0, *lag_n) if i0 >= 0 else 1


def copy_tables(copy_n: tuple[int, int, int, int], copy_back_n: int, hop: int,
                copy_step: float) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Lags L (internal-rate samples) for :func:`copy_similarity` and, for each, where its copies
    at L, 2L, -2L are sought: the next period may differ from this one by a little (jitter,
    intonation), so the best copy within ± ``copy_step`` of it: the maximum over lags c - tol …
    c + tol, read from a table of maxima over runs of 2^j lags as the larger of two runs that
    cover the range. Returns ``(L, j, (a, b))``: the run length's exponent and the two runs'
    starts, per copy (rows L, 2L, -2L) and lag."""
    H = copy_back_n * hop
    L = np.arange(copy_n[2] * hop, copy_n[3] * hop + 1)
    tol = np.maximum(1, np.round(copy_step * L)).astype(int)
    centre = np.stack([H + L, H + 2 * L, H - 2 * L])
    lo, hi = np.clip(centre - tol, 0, 2 * H), np.clip(centre + tol, 0, 2 * H)
    j = np.floor(np.log2(hi - lo + 1)).astype(int)
    return L, j, (lo, hi - (1 << j) + 1)


def copy_similarity(r: np.ndarray, j_r: int, k: int, hop: int, copy_n: tuple[int, int, int, int],
                    copy_back_n: int, tables: tuple, ring_db: float = float("inf"),
                    with_lag: bool = False) -> float | tuple[float, int]:
    """How closely the candidate's sound (``copy_ms`` from 1 ms before frame ``k``) is repeated
    at the same level by two others evenly spaced with it, a voice's pitch period apart
    (``copy_lag_ms``): at lags (-L, L), (L, 2L) or (-L, -2L), the smaller of the two
    similarities ``2 a·b / (|a|² + |b|²)``, at the best period. Glottal pulses through one
    vocal tract are near copies of each other, also at the lowest pitches, where they are
    tens of ms apart and stand alone like pops; two pops of a cluster may look alike (both
    start with an edge), three evenly spaced ones rarely. Copies at -L and L count only
    when L is the segment's length or more: nearer, they overlap it, and two alike pops L
    apart inside it match there half each (pairs 3-4 ms apart were lost whole). ``r`` is
    the timing signal (internal rate, ``hop`` samples a frame), its first sample ``j_r``;
    ``copy_n`` the segment's start before the frame, its length and the lags, in frames;
    ``copy_back_n`` how far back the copies reach (frames); ``tables`` from :func:`copy_tables`.
    Copies after it at L and 2L whose second is ``ring_db`` or more under the first do not count:
    a pop's ring repeats itself a period on too, but fading (docs/audio.md). ``with_lag``: also
    the lag L (samples) of the best, ``(similarity, L)``, L 0 when none is alike."""
    pre, n_seg = copy_n[0] * hop, copy_n[1] * hop
    a0 = k * hop - pre - j_r                   # the candidate's segment in r
    if a0 < 0 or a0 + n_seg > len(r):
        return (0.0, 0) if with_lag else 0.0
    a = r[a0:a0 + n_seg]
    H = copy_back_n * hop
    src0, src1 = max(a0 - H, 0), min(a0 + H + n_seg, len(r))
    if src0 == a0 - H and src1 == a0 + H + n_seg:
        w = r[src0:src1]                             # lags -H … H
    else:
        w = np.zeros(2 * H + n_seg)                  # (zeros where r has none)
        w[src0 - (a0 - H):src1 - (a0 - H)] = r[src0:src1]
    xc = np.correlate(w, a, "valid")                 # index i ↔ lag i - H
    c2 = np.empty(len(w) + 1)
    c2[0] = 0.0
    np.cumsum(w * w, out=c2[1:])
    e_w = c2[n_seg:] - c2[:-n_seg]                  # each lag's energy
    sim = 2.0 * xc / np.maximum(float(np.dot(a, a)) + e_w, 1e-30)
    L, jj, ab = tables
    n = len(sim)
    runs = np.empty((int(jj.max()) + 1, n))          # runs[j, i] = max(sim[i:i + 2^j])
    runs[0] = sim
    for j in range(1, len(runs)):
        h, m = 1 << (j - 1), n - (1 << j) + 1
        np.maximum(runs[j - 1, :m], runs[j - 1, h:h + m], out=runs[j, :m])
    near = np.maximum(runs[jj, ab[0]], runs[jj, ab[1]])   # best copies near L, 2L, -2L
    l0, l1 = int(L[0]), int(L[-1])                   # (L: the lags l0 … l1, all <= H)
    back_l = sim[H - l1:H - l0 + 1][::-1]            # sim[H - L]
    # copies at -L and L shorter than the segment overlap it: two alike sounds L apart inside
    # it (two pops of a cluster 3-4 ms apart) match there half each, with no third sound
    i_n = max(n_seg - l0, 0)                         # L >= n_seg from here
    both = np.minimum(back_l[i_n:], near[0, i_n:])
    # copies after it, at L and 2L, whose second is ``ring_db`` or more under the first: the
    # candidate's own ring fading, not a voice's next pulses (alike in level, louder as a vowel starts)
    fading = e_w[H + 2 * L] < e_w[H + L] * 10.0 ** (-ring_db / 10.0)
    ahead = np.where(fading, 0.0, np.minimum(sim[H + l0:H + l1 + 1], near[1]))
    back = np.minimum(back_l, near[2])
    best, lag = 0.0, 0
    for arr, off in ((both, i_n), (ahead, 0), (back, 0)):
        if len(arr):
            i = int(np.argmax(arr))
            if arr[i] > best:
                best, lag = float(arr[i]), int(L[i + off])
    return (best, lag) if with_lag else best


def voice_after(r: np.ndarray, j_r: int, kp: int, k_hi: int, hop: int, fs: float, s: PopScheme) -> float:
    """How well the timing signal ``r`` (internal rate ``fs``, ``hop`` samples a frame, first
    sample ``j_r``), from ``after_ms`` past the peak (frame ``kp``) to the horizon (frame
    ``k_hi``), repeats itself one and two pitch periods later (``after_lag_ms``; the smaller of
    the two normalised correlations, at the best period): a stop consonant's burst ("t", "k",
    "p") is short and sharp like a pop, and the vowel it opens is voiced within tens of ms. A
    pop is followed by its own fading tail, silence, or the next pops of its cluster, which
    may be alike, but three at one spacing and level are rare."""
    a = kp * hop + int(round(s.after_ms * 1e-3 * fs)) - j_r
    x = r[max(a, 0):k_hi * hop - j_r]
    lo, hi = (int(round(v * 1e-3 * fs)) for v in s.after_lag_ms)
    hi = min(hi, (len(x) - int(round(s.after_min_ms * 1e-3 * fs))) // 2)   # room for two periods
    return two_period_similarity(x, lo, hi)


def pitch(x: np.ndarray, lag_n: tuple[int, int], hop: int, onset: int = 0, ring_db: float = np.inf) -> float:
    """Waveform autocorrelation at a voice's pitch period (``lag_n`` frames of ``hop`` samples,
    62–400 Hz) of ``x`` (the timing signal from ``pre_n`` frames before the candidate to the
    horizon), normalised by its energy: successive glottal pulses through the same vocal tract
    are near copies of each other, the pops of a cluster are not.

    A ring fades where a voice's next pulse does not: when the sound from one lag to two after
    ``onset`` (the candidate's sample in ``x``) is ``ring_db`` or more under the sound of the
    first lag after it, at the lag of the largest autocorrelation, the likeness is a ring's and
    counts as none (0).

    Only lags ``lo … hi`` are needed: they are read from the power spectrum (zero-padded past
    ``n + hi``, so no lag wraps round), which at these lengths (a few hundred samples) costs
    two thirds of the direct correlation at every lag (the two differ by 1e-16 of the energy)."""
    return pitch_at(x, lag_n, hop, onset, ring_db)[0]


def pitch_at(x: np.ndarray, lag_n: tuple[int, int], hop: int, onset: int = 0,
             ring_db: float = np.inf) -> tuple[float, int]:
    """:func:`pitch`, and the lag (samples) it was found at (0 when none)."""
    lo, hi = lag_n[0] * hop, lag_n[1] * hop
    e = float(np.dot(x, x))
    if len(x) < 2 * hi or e <= 0:
        return 0.0, 0
    n_fft = 1 << int(len(x) + hi - 1).bit_length()
    f = np.fft.rfft(x, n_fft)
    r = np.fft.irfft(f.real * f.real + f.imag * f.imag, n_fft)[lo:hi + 1]
    i = int(np.argmax(r))
    lag = lo + i
    if ring_db < np.inf and onset + 2 * lag <= len(x):
        first, then = x[onset:onset + lag], x[onset + lag:onset + 2 * lag]
        if np.dot(then, then) < np.dot(first, first) * 10 ** (-ring_db / 10):
            return 0.0, lag
    return float(r[i] / e), lag


def two_period_similarity(x: np.ndarray, lo: int, hi: int, level_db: float = 15.0) -> float:
    """How well ``x`` repeats itself one and two periods later, for periods ``lo … hi`` samples:
    at each period L, the smaller of the normalised correlations of ``x[:n-L]`` with ``x[L:]`` and
    of ``x[:n-2L]`` with ``x[2L:]``; the largest over L (0 when none fits). Two segments whose
    energies differ by more than ``level_db`` count as unlike: a voice repeats at about the same
    level, a faint tail and the loud pop after it do not."""
    n = len(x)
    hi = min(hi, (n - 1) // 2)
    if hi < lo:
        return 0.0
    c2 = np.r_[0.0, np.cumsum(x * x)]
    lags = np.arange(lo, 2 * hi + 1)
    xc = np.correlate(x, x, "full")[n - 1 + lags]             # x[:n-L]·x[L:] at each lag L
    e1, e2 = c2[n - lags], c2[n] - c2[lags]
    with np.errstate(divide="ignore", invalid="ignore"):
        sim = xc / np.sqrt(e1 * e2)
        sim[~((e1 > 0) & (e2 > 0)) | (np.abs(np.log10(e1 / e2)) > level_db / 10)] = 0.0
    one = sim[:hi - lo + 1]                                    # periods lo … hi
    two = sim[np.arange(lo, hi + 1) * 2 - lo]                  # twice those
    return float(max(np.max(np.minimum(one, two)), 0.0))


def train_length(starts: list[int], i0: int, lo: int, hi: int) -> int:
    """Length of the longest run of evenly spaced onsets through ``starts[i0]``.

    ``starts`` are sorted onset frames. For every first spacing ``d`` to another onset with
    ``lo <= |d| <= hi``, the run is walked both ways from ``starts[i0]``: the next onset is the
    one nearest ``cur + step`` within ``max(2, 15 % of step)`` frames (or, when there is none,
    nearest ``cur + 2 step``: one pulse too weak to count may be skipped), and the step follows
    the spacing found (pitch drifts). The walk only moves on to onsets beyond the current one,
    so it always ends; among equally near onsets the earliest is taken.
    """
    if len(starts) < 3 or not 0 <= i0 < len(starts):
        return 1
    s0 = starts[i0]
    best = 1
    for sj in starts:
        d = abs(sj - s0)
        if not lo <= d <= hi:
            continue
        n = 1
        for sign in (1, -1):
            cur, step = s0, sign * d
            while True:
                tol = max(2, int(round(0.15 * abs(step))))
                nxt = None
                for mult in (1, 2):
                    want = cur + mult * step
                    a, b = bisect_left(starts, want - tol), bisect_right(starts, want + tol)
                    near = [v for v in starts[a:b] if (v - cur) * sign > 0]
                    if near:
                        nxt = min(near, key=lambda v: abs(v - want))
                        break
                if nxt is None:
                    break
                step, cur = (nxt - cur) // mult, nxt
                n += 1
        best = max(best, n)
    return best


def short_run(x: np.ndarray, at: int, lag: int, n1: int, quiet_db: float, max_n: int, start: int = 0,
              level_db: float = float("inf"), unseen: int = -1) -> int:
    """Whether the sound repeating every ``lag`` samples around ``at`` (the candidate's sound
    in ``x``, the timing signal from ``start`` on) is a short run bounded by quiet on both
    sides: a cluster of pops, not a voice. Periods are ``lag``-long windows, the candidate's
    first; each one's level is its loudest ``n1`` samples. A period sounds when its level is
    within ``quiet_db`` of the candidate's; the run is the periods that sound next to it, both
    ways. It is short when it holds two to ``max_n`` periods and a quiet period ends it on
    each side within what ``x`` holds, and quiet it stays: after it, to the end of ``x``;
    before it, the period before that one too (when ``x`` holds it). A cluster of two to five
    pops falls silent within about 100 ms, the glottal pulses of a voice go on while the vowel
    lasts. Unknown (a side out of reach) is not short. Returns how many periods of the run come
    before the candidate's, or -1 when the run is not short; ``unseen`` instead of -1 when the run
    still sounds where ``x`` ends (more of ``x`` may tell)."""
    if lag <= 0 or n1 <= 0 or len(x) - start < 2 * n1:
        return -1
    c = np.empty(len(x) - start + 1)
    c[0] = 0.0
    np.cumsum(np.square(x[start:], dtype=np.float64), out=c[1:])
    e = c[n1:] - c[:-n1]                    # energy of n1 samples from each sample on
    at -= start
    need = min(lag, 4 * n1)                 # a period is seen when this much of it is

    def level(i: int) -> float | None:
        a = at + i * lag
        b = min(a + lag - n1 + 1, len(e))
        if a < 0 or b - a < max(1, need - n1 + 1):     # (a period shorter than n1 holds no level)
            return None
        return float(e[a:b].max())

    ref = level(0)
    if ref is None or ref <= 0:
        return -1
    quiet = ref * 10.0 ** (-quiet_db / 10.0)
    lo, hi = ref * 10.0 ** (-level_db / 10.0), ref * 10.0 ** (level_db / 10.0)
    n, before = 1, 0
    for step in (1, -1):
        i = step
        while True:
            lv = level(i)
            if lv is None:
                return unseen if step > 0 else -1
            if lv < quiet:
                break
            if not lo <= lv <= hi:
                return -1
            n += 1
            if n > max_n:
                return -1
            i += step
        if step > 0:                        # quiet it stays after the run, as far as x reaches
            while (lv := level(i + 1)) is not None:
                if lv >= quiet:
                    return -1
                i += 1
        else:                               # ... and for the period before the quiet one
            before = -i - 1
            lv = level(i - 1)
            if lv is not None and lv >= quiet:
                return -1
    return before if n >= 2 else -1            # (alone, it is not what repeated)
