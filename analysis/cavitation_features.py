"""Building blocks of the cavitation detector: its settings, a history of recent arrays, the
cheap causal front end that runs over the whole signal (block decimation, pop-band filter,
frame energies, adaptive floor) and the side-band energies computed only around candidates.

Everything over the whole signal is causal and carries its state between calls (``sosfilt``
with ``zi``, partial blocks and frames kept for the next call); what is computed around a
candidate depends only on the samples around it. So the detector built on it is
chunk-invariant.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

from analysis.hum import HumNotch


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
    high_hz: float = 2200.0              # above the pop band: clicks live here ...
    high_top_hz: float = 16000.0         # ... up to here (or the Nyquist frequency)
    internal_hz: float = 8000.0          # analysis rate after block decimation (integer factor)
    frame_ms: float = 0.5
    smooth_ms: float = 2.0               # energy integrated over about half a pop
    floor_window_s: float = 2.0          # adaptive noise floor: median of block levels over this window
    floor_every_ms: float = 100.0        # ... one level per block of this length
    floor_percentile: float = 50.0       # a block's level: this percentile of its frames (dB, nearest rank)
    side_floor_ms: float = 100.0         # side bands' floor: a low percentile of the frames this long
    side_floor_percentile: float = 20.0  # before a candidate (nearest rank) (low enough to see past a footstep's own thud)
    on_db: float = 9.0                   # candidate: frame energy this far over the floor
    rise_db: float = 6.0                 # ... and this much above the frame 1 ms earlier
    refractory_ms: float = 4.0
    channel_lag_ms: float = 6.0          # a candidate on one channel this soon after one on another is the
                                         # same pop: sound takes 5 ms over 1.7 m of air, and a candidate's
                                         # frame is where its rise qualifies, not its onset (at 5.0, 3 of 15
                                         # pops heard 5 ms later on a second channel were counted twice).
                                         # Each channel's own candidates stay refractory_ms apart
    channel_shape_db: float = 4.0        # ... when their levels over 8 ms differ this little on average (dB):
                                         # the candidates of the benchmark's first two scenes heard 2 or 5 ms
                                         # later, or 12 dB weaker, on a second channel differ by 2.1 dB at the
                                         # 99th percentile (one in about 1400 by over 4); a knock 3 ms before a
                                         # pop on the other channel 3.5-14 dB
    channel_level_db: float = 10.0       # the pop is timed where it arrived first, on a channel that hears it
                                         # no more than this much weaker than the best
    horizon_ms: float = 35.0
    max_decay_ms: float = 8.0
    # feature thresholds and spreads (z = (value - threshold) / spread, sign-corrected):
    # set between the 1st percentile of simulated pops and the bulk of the distractors; the
    # envelope ones (decay, activity, gap, duration) and min_score then loosened so that pops
    # in reverberant rooms pass too (rooms RT60 0.3-0.5 s, direct sound 0-10 dB over the
    # reverberation; seeds 100-103, 300-301, 400) with no more false pops on held-out seeds
    contrast_db: tuple = (8.0, 4.0)      # peak over the median of the 20 ms before (speech)
    decay_db: tuple = (11.5, 4.0)        # fall within max_decay_ms (knocks ring for tens of ms)
    band_frac: tuple = (0.75, 0.1)       # share of the onset's excess energy in band_hz (clicks, thuds); 0.62
                                         # let a real clicky keyboard's presses through (0.69 median), 0.75
                                         # lost no pop of seeds 100-121, 0.80 lost 7 of 521
    band_frac_crack: float = 0.45        # ... when what lies above the band is over within 3 ms: a crack
                                         # at the pop's onset (clicks that pass the rest: at most 0.25)
    jump_db: tuple = (8.0, 4.0)          # rise within one smoothing window (onset sharpness)
    active_frac: tuple = (0.85, 0.15)    # share of the horizon within 12 dB of the peak (sustained sound;
                                         # a pop's own reverberation keeps it high in a room)
    gap_db: tuple = (4.5, 4.0)           # peak over the median of the horizon (pops fall silent)
    duration_ms: tuple = (22.0, 4.0)     # until 20 dB down or the next pop (3-8 ms per pop, longer in a room)
    voicing: tuple = (0.42, 0.08)        # envelope periodicity at a voice's pitch period (62-400 Hz)
    pitch_corr: tuple = (0.5, 0.1)       # waveform autocorrelation at a pitch period (voiced speech)
    train_len: tuple = (4.5, 0.5)        # evenly spaced onsets in a run through the pop (glottal pulses;
                                         # four are common in pop clusters, copy tells those apart)
    copy_sim: tuple = (0.4, 0.1)         # the pop's sound repeated at a pitch period (glottal pulses)
    copy_ms: float = 6.0                 # ... its length (a pop's core; Dunning et al. 2013: 5.7 ms)
    copy_lag_ms: tuple = (2.5, 25.0)     # ... lags: pitch 40-400 Hz (low voices creak down to 40 Hz)
    copy_step: float = 0.15              # ... the next period within this fraction of the last (jitter)
    level_db: float = 12.0               # the level feature's threshold (dB over the floor); 9, as for
                                         # candidates, let 7.4 against 6.0 false pops a minute through in
                                         # real speech (mouth clicks, lone glottal pulses; see docs) with
                                         # the same simulated pops found (seeds 100-105)
    level_spread_db: float = 3.0
    voice_before: float = 0.5            # a weak pop right after a voiced stretch (envelope periodicity of
    voice_before_db: float = 18.0        # the 150 ms before it this high, level under this) is rejected:
                                         # mouth clicks and glottal pulses where real speech stops
    louder_strict: float = 1.5           # a weak candidate (under louder_level_db over the floor) after a
    louder_level_db: float = 18.0        # sound louder than its own peak less louder_db (and on_db over the
    louder_ms: float = 300.0             # floor) in the louder_ms before it (a syllable: 100-300 ms), already
    louder_from_ms: float = 40.0         # louder_from_ms before it (a cluster's pops are 5-40 ms apart, and
    louder_db: float = 5.0               # its first may be missed), with no pop in that time, has the voice
                                         # features this many spreads stricter: the mouth clicks, stops and
                                         # lone glottal pulses of real speech come amid louder syllables. Real
                                         # meeting speech 22 -> 12 false pops, game voices 36 -> 30, a real
                                         # keyboard 24 -> 21 (seeds 700-702); no pop of seeds 100-105, 200-205
                                         # lost, nor of 160 just after a voice stops, nor of seeds 100-121 in
                                         # the five pop shapes (3512); 2.0 lost one of those (a noise burst)
    voice_after: float = 0.4             # a vowel after the pop (a stop consonant's burst, then its vowel):
                                         # normalised correlation of the timing signal with itself one and
    after_ms: float = 8.0                # two pitch periods later, from this long after the peak to the
    after_lag_ms: tuple = (2.5, 12.5)    # horizon, at periods in this range whose second repeat overlaps
    after_min_ms: float = 5.0            # the window by at least this much ...
    after_end_db: float = 15.0           # ... when the horizon's last 5 ms are within this of the peak
                                         # (thresholds: real speech in tuning files against seeds 100-121)
    hiss_after_db: float = 6.0           # the high band's median from after_ms past the peak to the horizon
                                         # this far over its floor: a burst followed by aspiration or a
                                         # fricative (a pop is over within 8 ms, and lies below 2 kHz) ...
    hiss_fade_db: float = 2.0            # ... unless it is this far below the high band's onset (an echo)
    hum_notch: bool = True               # notch 50/60 Hz hum lines while they carry a real share of the band
    click_pair_min: float = 2.0          # decay and band margins together below this, with the peak at
    click_min_hz: float = 500.0          # this frequency or above: a struck object (a clicky keyboard's key
                                         # rings slower and brighter than a pop); took a real keyboard's false
                                         # pops from 57 to 18 (seeds 0-2) and lost no pop of seeds 100-121;
                                         # without the frequency limit it lost 3 pops of 136-172 Hz there
    click_bright_db: tuple = (-12.0, 2.0)  # ... with a third margin, only ever against: the energy above the
    click_ring_ms: tuple = (3.0, 8.0)    # band over that in it (dB) from 3 to 8 ms after the peak (until
    click_ring_db: float = 20.0          # 20 dB down or the next pop), over this threshold or over what a
    click_leak_db: float = 3.0           # ring at the peak frequency leaks above the band plus this, when
    click_fade_db: float = 1.0           # both fade by these (dB a ms) for 3 ms or more: a struck key's ring
    click_band_fade_db: float = 1.0      # is bright, a pop's is not; a room's echo lingers. A real keyboard's
                                         # false pops 61 -> 47 (seeds 700-709); no pop lost of seeds 100-121
                                         # (3134, five shapes), nor in rooms (seeds 100-121, 200-205; RT60
                                         # 0.3-0.5 s, 10-0 dB). Without the fading, 17, but 7 of 36 pops lost in
                                         # a 0 dB room (seeds 100-103); without the leak, long rings were lost
    thud_swell_db: float | None = -6.0   # under click_min_hz, a thud: the ring's energy (its swing and its speed
    thud_swell_ms: tuple = (0.5, 1.0, 4.0)  # at the peak frequency) in the first 1 ms from its steepest 0.5 ms rise
                                         # is this far under its most in the 4 ms from there. A pop releases its
                                         # energy at once; a heel or a block set down presses for a ms or more,
                                         # and the floor's ring swells meanwhile. Real impacts (minetest-data)
                                         # 141 -> 109 false pops (seeds 1600-1800); 2 of 2548 pops lost on seeds
                                         # 100-105 and 110-121 (five shapes), none of 640 in rooms. None: no rule
    thud_rise_db: float = 14.0           # ... the 4 ms end where the ring's energy gains this much within
    thud_rise_ms: tuple = (1.5, 1.0)     # thud_rise_ms[1], from thud_rise_ms[0] after the steepest rise on:
                                         # another pop rising 2-4 ms after this one, not a swell. Pairs of pops
                                         # 2-4 ms apart (seeds 30-39) lost 16 of 1000 instead of 33; Minetest's
                                         # false pops the same (273 in 18 min, seeds 1600-2100; 276, seeds
                                         # 2200-2700); at 12 dB, 3 more false pops there
    ring_min_ms: float = 1.0             # a pop rings: from its onset it stays within ring_db of its loudest
    ring_db: float = 20.0                # this long at least (the waveform less its level before, its energy
    ring_gap_ms: float = 1.0             # over 0.5 ms, ended where it stays ring_db down for ring_gap_ms). A
    ring_pre_ms: float = 2.0             # pop of 3-8 ms (Dunning et al. 2013) decaying exponentially is 20 dB
                                         # down in half that: 1.5 ms; simulated pops of seeds 100-103 (five
                                         # shapes, 614) measured 0.75 ms once, 1.12 once, then 1.25 and more.
                                         # Digital clicks of 0.1-0.5 ms measure 0.25-0.75 ms (1 ms ones
                                         # 1.0-1.25 ms, like the shortest low pops, pass); weaker than about
                                         # 30 dB over the room noise, their end is lost in it and they may pass
    step_share: float = 0.5              # a step in the waveform (a DC jump): from step_ms[0] to step_ms[1]
    step_ms: tuple = (3.0, 8.0)          # after the onset, nine tenths of the samples stay shifted from the
                                         # level before by this share of the peak or more (a microphone passes
                                         # no DC: a sound swings back as it rings). Steps measure 0.70-1.00,
                                         # simulated pops of seeds 100-103 at most 0.33
    cluster_ms: float = 100.0            # a candidate this soon after a pop is taken as a pop of its cluster
                                         # (2-5 pops within about 100 ms are common) ...
    cluster_ease: float = 1.0            # ... and the thresholds of the voice features (voicing, pitch, train,
                                         # copy), contrast and activity move this many spreads for it: the
                                         # tail of the pop before, ringing in a room, and the cluster's own
                                         # rhythm look a little voiced, raise the 20 ms before and keep it busy
    near_voice_strict: float = 0.5       # a candidate within cluster_ms after one rejected on a voice feature or
                                         # screened out as sustained sound (not after a pop) has the voice
                                         # features this many spreads stricter: real meeting speech 26 -> 22
                                         # false pops, game voices 41 -> 36, held-out keyboard 23 -> 20; no pop
                                         # of seeds 100-121 lost, one of the benchmark's 291 and 3 in its 0 dB room
    veto: float = 0.5                    # a feature this many spreads past its threshold rejects
    pair_min: float = 0.0                # ... and so do two features whose margins sum below this: a
                                         # weak sound that is also a little voiced, or busy, is speech
    min_score: float = 1.45              # mean of the clipped margins needed to emit a pop

    def features(self) -> dict[str, tuple[float, float, int]]:
        """``{name: (threshold, spread, sign)}`` of the features a candidate is judged on."""
        return {"level": (self.level_db, self.level_spread_db, 1), "contrast": (*self.contrast_db, 1),
                "decay": (*self.decay_db, 1), "band": (*self.band_frac, 1), "onset": (*self.jump_db, 1),
                "activity": (*self.active_frac, -1), "gap": (*self.gap_db, 1),
                "duration": (*self.duration_ms, -1), "voicing": (*self.voicing, -1),
                "pitch": (*self.pitch_corr, -1), "train": (*self.train_len, -1),
                "copy": (*self.copy_sim, -1)}


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


class FrontEnd:
    """Native-rate audio (n, ch) → internal-rate signal, pop-band frame energies and their floor.

    The only pass over every sample, so it is kept cheap: block means of ``m`` samples (a boxcar
    anti-alias, whose nulls fall on the frequencies that fold onto 0 Hz) down to about 8 kHz, one
    2nd-order band-pass, mean-square energies per frame, and a floor that is the median of the
    last ``floor_window_s`` of block levels (one level per ``floor_every_ms``).
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
        self.sos_b = signal.butter(2, [lo, hi], "bandpass", fs=fs, output="sos")
        self.zi_b = np.zeros((self.sos_b.shape[0], 2, channels))
        self.hum = HumNotch(fs, channels, self.sos_b) if s.hum_notch else None
        fpm = 1e-3 * fs / self.hop                      # frames per millisecond
        n_sm = max(1, int(round(s.smooth_ms * fpm)))
        self.fir = np.full(n_sm, 1.0 / n_sm)
        self.fr_tail = np.zeros((n_sm - 1, channels))  # the last frames, for the moving average
        self.block = max(1, int(round(s.floor_every_ms * fpm)))
        self.n_blocks = max(1, int(round(s.floor_window_s * 1e3 / s.floor_every_ms)))
        self.pct = s.floor_percentile
        self.part = np.zeros((0, channels))            # native samples of an unfinished block
        self.part_t = np.zeros(0)
        self.left = np.zeros((0, channels))             # band-squared samples not yet in a frame
        self.cur = np.zeros((0, channels))              # smoothed dB of the unfinished floor block
        self.levels = np.zeros((0, channels))           # the last n_blocks block levels
        self.n_done = 0                                 # floor blocks finished
        self.frames_out = 0
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
        b, self.zi_b = signal.sosfilt(self.sos_b, y, axis=0, zi=self.zi_b)
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
        its own; block levels are computed as blocks complete. In the first block, the median of
        the frames before it, from ``START_FRAMES`` on (inf before), so that a recording that
        begins just before a pop still has a floor under it."""
        B, W = self.block, self.n_blocks
        k0 = self.frames_out
        self.frames_out += len(sm_db)
        allb = np.concatenate([self.cur, sm_db])       # starts at a block boundary
        nb = len(allb) // B
        b0 = self.n_done                               # first block of allb
        self.cur = allb[nb * B:]
        old = self.levels
        if nb:
            blocks = allb[:nb * B].reshape(nb, B, self.ch)[:, ::4]
            kth = int(round(self.pct / 100 * (blocks.shape[1] - 1)))
            lv = np.partition(blocks, kth, axis=1)[:, kth]
            hist = np.concatenate([old, lv])          # levels of blocks b0 - len(old) ... b0 + nb - 1
            self.levels = hist[-W:]
            self.n_done += nb
        else:
            hist = old
        h0 = b0 - len(old)                             # block index of hist[0]
        bs = np.arange(k0 // B, (k0 + len(sm_db) - 1) // B + 1)
        fl = np.empty((len(bs), self.ch))
        for i in np.flatnonzero(bs < W):               # start-up: fewer than W levels before it (h0 == 0)
            fl[i] = np.median(hist[:bs[i]], axis=0) if bs[i] else np.inf
        big = bs >= W
        if big.any():                                  # window j of the view = blocks h0 + j … h0 + j + W - 1
            v = sliding_window_view(hist, W, axis=0)[bs[big] - W - h0]
            fl[big] = np.partition(v, (W - 1) // 2, axis=-1)[..., (W - 1) // 2] if W % 2 else np.median(v, axis=-1)
        rows = np.arange(k0, k0 + len(sm_db)) // B - bs[0]
        out = fl[rows]
        n_first = min(len(sm_db), B - k0)              # frames of the first block (allb starts at frame 0)
        if n_first > 0:
            out[:n_first] = np.inf
            g = np.arange(max(k0, self.START_FRAMES), k0 + n_first)
            if len(g):
                out[g - k0] = prefix_medians(allb[:g[-1]], g)
        return out


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
            sos_h = signal.butter(4, [scheme.high_hz, scheme.high_top_hz], "bandpass", fs=fe.rate_hz, output="sos")
            self.high_band = lambda v: signal.sosfilt(sos_h, v)
        else:
            sos_h = signal.butter(4, scheme.high_hz, "highpass", fs=fe.rate_hz, output="sos")
            ba_h = signal.butter(4, scheme.high_hz, "highpass", fs=fe.rate_hz)
            self.high_band = lambda v: signal.lfilter(*ba_h, v)
        self.sos_h = sos_h
        ba_l = signal.butter(4, scheme.band_hz[0], fs=fe.fs)
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
        """Smoothed frame energies (dB) of one channel."""
        e = v * v
        nf = len(e) // span
        fr = e[:nf * span].reshape(nf, span).mean(axis=1)
        sm = np.convolve(fr, self.fe.fir)[:len(fr)]
        return 10.0 * np.log10(sm + 1e-20)

    def _band_db(self, tape, filt, warm: int, span: int, k: int, k_to: int, c: int) -> tuple[np.ndarray, int, float]:
        """Smoothed frame dB of one side band on channel ``c`` up to frame ``k_to``, the row of
        frame ``k`` in it, and the band's floor (dB): a low percentile of the ``pre`` frames
        before ``k``."""
        f0 = k - self.pre - warm
        start = max(f0 * span, tape.start + (-tape.start) % span)
        v = np.asarray(tape.get(start, k_to * span)[:, c], dtype=np.float64)
        # a microphone's DC offset is not low-band sound: it would pass the low-pass and add
        # 2·DC·x to the energies (the floor of the window before has the DC², not the cross term)
        v = filt(v - v.mean())
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
