"""Cavitation ("pop") detector for the audio stream.

Method (causal, state carried between chunks, so the events do not depend on chunk sizes):

1. Anti-alias and decimate by an integer factor to about 8 kHz (16–96 kHz input); every
   channel is analysed, and each candidate is judged on the channel where it stands highest
   above its floor (the "best channel", per pop).
2. Three causal band filters — the pop band (100 Hz–2 kHz), above 2.2 kHz at the native
   rate (clicks), below 100 Hz (footsteps, handling, hum) — and their energies in 0.5 ms
   frames, in dB.
3. Adaptive noise floor: the median of each band's energy over the last 2 s, refreshed every
   100 ms (stationary hum and room noise sit in it; brief sounds do not move it).
4. A candidate is a frame over the floor by ``on_db`` that rose ``rise_db`` within 1 ms.
   It is decided ``horizon_ms`` after its peak from features that separate pops from the
   room's other sounds:

   =================  ===========================================  ==========================
   feature            pop                                          rejects
   =================  ===========================================  ==========================
   contrast           far above the 20 ms before it                speech (mid-syllable)
   decay              down ``decay_db`` within ``max_decay_ms``    knocks, footsteps
                      (or by the next pop of its cluster)
   band share         most onset energy in 100 Hz–2 kHz            clicks, thuds, hum
   onset              most of the peak gained within 2 ms          handling, syllable onsets
   activity, gap      quiet again for most of the next 35 ms       speech, handling
   duration           3–8 ms until 20 dB down or the next pop      knocks, footsteps
   voicing            envelope does not repeat at a pitch period   voiced speech (its glottal
                      (2.5–16 ms, i.e. 62–400 Hz)                  pulses look like pops)
   pitch              waveform does not repeat at a pitch period   voiced speech
   train              not part of a run of 4+ evenly spaced        low voices (glottal pulses
                      onsets 2.5–20 ms apart                       50–100 Hz, one per period)
   =================  ===========================================  ==========================

   The three voicing features are computed only for candidates that pass the others.

   Each feature's margin past its threshold is measured in units of its spread (``PopScheme``);
   a pop is emitted when no margin is below ``-veto`` and their mean (each clipped to ±3)
   reaches ``min_score``. ``confidence`` is a logistic of that mean (0.5 at ``min_score``);
   ``reason`` gives the measured features and names the weakest one.
5. The onset is timed on the 70 Hz high-passed signal at the internal rate (first sample
   clearly above the quietest noise before it), minus the filters' group delay.

``t_detect_s`` is the time of the last sample the decision used, so live latency is
``horizon_ms`` + 2 ms plus the chunk length.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy import signal

from analysis.cavitation_features import FrontEnd, PopScheme, Ring, logistic, onset_sample
from analysis.chunk import Chunk
from analysis.events import CavitationEvent, Event

__all__ = ["CavitationDetector", "PopScheme"]


class CavitationDetector:
    """Streaming pop detector: ``feed(chunk)`` audio chunks of any size, ``finish()`` at the end.

    Parameters
    ----------
    scheme : PopScheme, optional
        Thresholds; keyword arguments override single fields (``on_db=12`` …), which is how
        ``Analyzer(options={"audio": {...}})`` configures it.
    """

    stream = "audio"

    def __init__(self, scheme: PopScheme | None = None, **overrides) -> None:
        s = scheme or PopScheme()
        self.scheme = replace(s, **overrides) if overrides else s
        self.fe: FrontEnd | None = None
        self.t_last: float | None = None
        self.pending: list[tuple[int, int]] = []     # (candidate frame, channel)
        self.last_cand = -10 ** 9
        self.rejected: dict[str, int] = {}           # candidate counts by the feature that failed
        self.n_pops = 0
        self.trace: list | None = None              # set to [] to keep every candidate's features

    # -- set-up ------------------------------------------------------------------------------
    def _start(self, rate_hz: float, channels: int) -> None:
        s = self.scheme
        if rate_hz <= 0:
            raise ValueError("audio chunk without a sample rate (rate_hz)")
        fe = self.fe = FrontEnd(rate_hz, channels, s)
        self.ch = channels
        self.frame_s = fe.hop / fe.fs
        fpm = 1e-3 / self.frame_s                     # frames per millisecond
        self.block = max(1, int(round(s.floor_every_ms * fpm)))
        self.win = int(round(s.floor_window_s * 1e3 * fpm))
        self.pre_n = int(round(20 * fpm))
        self.look_n = int(round(60 * fpm))
        self.lag_n = (int(round(2.5 * fpm)), int(round(16.0 * fpm)))         # voice pitch 62–400 Hz
        self.train_lag_n = (int(round(2.5 * fpm)), int(round(20.0 * fpm)))   # down to 50 Hz (creak)
        self.peak_n = int(round(2 * fpm))
        self.hor_n = int(round(s.horizon_ms * fpm))
        self.dec_n = int(round(s.max_decay_ms * fpm))
        self.refr_n = int(round(s.refractory_ms * fpm))
        self.frames = Ring(self.win + self.look_n + self.hor_n + 64, 7 * channels)
        # columns: smoothed dB (band, high, low) × ch, their floors, raw band dB × ch
        self.step = int(1.0 * rate_hz)
        keep = int(1.5 * fe.fs)
        self.sig = Ring(keep, channels)
        self.times = Ring(keep, 1)
        self.floor = np.full(3 * channels, np.inf)
        n_sm = max(1, int(round(s.smooth_ms * fpm)))
        self.fir = np.full(n_sm, 1.0 / n_sm)
        self.zi_sm = np.zeros((n_sm - 1, 3 * channels))
        self.rise_n = n_sm

    # -- streaming ---------------------------------------------------------------------------
    def feed(self, chunk: Chunk) -> list[Event]:
        """Analyse one audio chunk (values (n,) or (n, channels), float in [-1, 1])."""
        if len(chunk) == 0:
            return []
        x = np.asarray(chunk.values, dtype=np.float64)
        if x.ndim == 1:
            x = x[:, None]
        if self.fe is None:
            self._start(float(chunk.rate_hz), x.shape[1])
        elif x.shape[1] != self.ch or float(chunk.rate_hz) != self.fe.rate_hz:
            raise ValueError("audio stream changed its sample rate or channel count mid-stream")
        t = np.asarray(chunk.t_s, dtype=np.float64)
        self.t_last = float(t[-1])
        out: list[Event] = []
        # pieces of at most 200 ms keep the signal history short whatever the chunk size
        step = self.step
        for a in range(0, len(x), step):
            r, t_int, fr = self.fe.feed(x[a:a + step], t[a:a + step])
            self.sig.append(r)
            self.times.append(t_int[:, None])
            if len(fr):
                e = fr.reshape(len(fr), -1)
                sm, self.zi_sm = signal.lfilter(self.fir, [1.0], e, axis=0, zi=self.zi_sm)
                self._add_frames(10.0 * np.log10(np.hstack([sm, e[:, :self.ch]]) + 1e-20))
            out.extend(self._decide(final=False))
        return out

    def finish(self) -> list[Event]:
        """Decide the candidates still waiting for their horizon (end of the recording)."""
        return self._decide(final=True) if self.fe is not None else []

    def _add_frames(self, db: np.ndarray) -> None:
        s, k0 = self.scheme, self.frames.end
        pos = 0
        while pos < len(db):
            k = k0 + pos
            if k % self.block == 0 and k > 0:
                # every 4th frame (2 ms apart) is plenty for a percentile over 2 s, at a quarter the cost
                hist = self.frames.get(k - self.win, k)[::4, :3 * self.ch]
                self.floor = np.percentile(hist, s.floor_percentile, axis=0)
            end = min(len(db), (k // self.block + 1) * self.block - k0)
            seg = db[pos:end]
            fl = np.broadcast_to(self.floor, (len(seg), 3 * self.ch))
            self.frames.append(np.concatenate([seg[:, :3 * self.ch], fl, seg[:, 3 * self.ch:]], axis=1))
            pos = end
        # candidates among the new frames: over the floor and a fast rise
        ch = self.ch
        rn = self.rise_n
        rows = self.frames.get(k0 - rn, k0 + len(db))
        band, flo = rows[:, :ch], rows[:, 3 * ch:4 * ch]
        lead = len(rows) - len(db)
        snr = band[lead:] - flo[lead:]
        prev = np.vstack([np.full((rn - lead, ch), np.inf), band])[:len(db)] if lead < rn else band[lead - rn:-rn]
        rise = band[lead:] - prev
        ok = (snr >= s.on_db) & (rise >= s.rise_db)
        for i in np.flatnonzero(ok.any(axis=1)):
            k = k0 + int(i)
            if k - self.last_cand < self.refr_n:
                continue
            self.last_cand = k
            c = int(np.argmax(np.where(ok[i], snr[i], -np.inf)))
            self.pending.append((k, c))

    def _decide(self, final: bool) -> list[Event]:
        out: list[Event] = []
        while self.pending:
            k, c = self.pending[0]
            if not final and self.frames.end < k + self.peak_n + self.hor_n + 1:
                break
            self.pending.pop(0)
            ev = self._judge(k, c)
            if ev is not None:
                out.append(ev)
        return out

    # -- one candidate -----------------------------------------------------------------------
    def _judge(self, k: int, c: int) -> CavitationEvent | None:
        s, ch, fs_ms = self.scheme, self.ch, self.frame_s * 1e3
        k_lo = k - self.pre_n - 2
        k_hi = min(self.frames.end, k + self.peak_n + self.hor_n + 1)
        rows = self.frames.get(k_lo, k_hi)
        i0 = k - max(k_lo, self.frames.start)          # candidate's row
        db = rows[:, c]
        floor = float(rows[i0, 3 * ch + c])
        p = i0 + int(np.argmax(db[i0:i0 + self.peak_n + 1]))
        peak = float(db[p])
        snr = peak - floor
        # sustained sound (speech) is the commonest candidate: veto it before the costlier features
        tail = db[p + self.peak_n:]
        active = float(np.mean(tail > peak - 12.0)) if len(tail) else 0.0
        a_thr, a_spread, _ = s.features()["activity"]
        if self.trace is None and (active - a_thr) / a_spread > s.veto:
            self.rejected["activity"] = self.rejected.get("activity", 0) + 1
            return None
        pre = db[max(0, i0 - self.pre_n):max(0, i0 - 1)]
        contrast = peak - float(np.median(pre)) if len(pre) else snr
        # a pop in a cluster ends where the next one starts: decay and duration stop there
        sharp = np.flatnonzero((db[p + 2 * self.peak_n:] - db[p + 2 * self.peak_n - self.rise_n:-self.rise_n]
                                >= s.rise_db) & (db[p + 2 * self.peak_n:] - floor >= s.on_db))
        q = p + 2 * self.peak_n + int(sharp[0]) if len(sharp) else len(db)
        after = db[p + 1:min(q, p + 1 + self.dec_n)]
        drop = peak - float(after.min()) if len(after) else 0.0
        # the decay a pop completes in the time it had (the next pop may cut it short)
        need = s.decay_db[0] * min(1.0, max(len(after), 1) / self.dec_n)
        low = max(peak - 20.0, floor + 3.0)
        below = np.flatnonzero(db[p + 1:q] < low)
        end = p + 1 + int(below[0]) if len(below) else q
        dur_ms = (end - i0) * fs_ms
        # onset sharpness: how much of the peak was gained within the last smoothing window
        # (from the lowest point of the 4 ms before, so a pop right after another still counts)
        jump = peak - float(db[max(0, i0 - 2 * self.rise_n):i0 - self.rise_n + 1].min(initial=np.inf)) \
            if i0 - self.rise_n >= 0 else snr
        n_sp = int(np.clip(end - i0, 2, round(6.0 / fs_ms)))
        ex = []
        for b in range(3):
            e = 10 ** (rows[i0:i0 + n_sp, b * ch + c] / 10)
            ex.append(max(float(e.sum() - n_sp * 10 ** (rows[i0, (3 + b) * ch + c] / 10)), 0.0))
        band_frac = ex[0] / max(sum(ex), 1e-30)
        gap = peak - float(np.median(tail)) if len(tail) else drop
        # each feature's margin past its threshold, in units of its spread between pops and
        # distractors (PopScheme): positive favours a pop
        feats = s.features()
        v = dict(level=snr, contrast=contrast, decay=drop - need + s.decay_db[0], band=band_frac, onset=jump,
                 activity=active, gap=gap, duration=dur_ms)
        z = {n: sign * (v[n] - thr) / spread for n, (thr, spread, sign) in feats.items() if n in v}
        if self.trace is None and min(z.values()) < -s.veto:
            weakest = min(z, key=z.get)        # rejected already: spare the voicing features
            self.rejected[weakest] = self.rejected.get(weakest, 0) + 1
            return None
        periodic = self._periodicity(k, k_hi, c)
        v.update(voicing=periodic, pitch=self._pitch(k, k_hi, c), train=self._train(k, k_hi, c))
        z.update({n: sign * (v[n] - thr) / spread for n, (thr, spread, sign) in feats.items() if n not in z})
        if self.trace is not None:
            self.trace.append((k, v, z))
        weakest = min(z, key=z.get)
        zm = float(np.mean(np.clip(list(z.values()), -3.0, 3.0)))
        conf = logistic(zm, s.min_score, 0.5)
        if z[weakest] < -s.veto or zm < s.min_score:
            self.rejected[weakest] = self.rejected.get(weakest, 0) + 1
            return None
        t_on, t_det, peak_hz = self._timing(k, k + (p - i0), c, k_hi)
        reason = (f"{jump:.0f} dB rise in {s.smooth_ms:.0f} ms, {drop:.0f} dB decay in {s.max_decay_ms:.0f} ms, "
                  f"{100 * band_frac:.0f}% of energy in {s.band_hz[0]:.0f}–{s.band_hz[1]:.0f} Hz, "
                  f"{snr:.0f} dB over floor, {contrast:.0f} dB over the 20 ms before, "
                  f"voicing {periodic:.2f}; weakest: {weakest}")
        self.n_pops += 1
        return CavitationEvent(t=t_on, level_db=round(peak, 2), confidence=round(conf, 3),
                               duration_ms=round(dur_ms, 2), peak_hz=peak_hz, thrust=None,
                               reason=reason, t_detect_s=t_det)

    def _periodicity(self, k: int, k_hi: int, c: int) -> float:
        """How much the band envelope around frame ``k`` repeats itself at a voice's pitch period."""
        ch = self.ch
        rows = self.frames.get(k - self.look_n, k_hi)
        e = 10 ** (rows[:, 6 * ch + c] / 10) - 10 ** (rows[:, 3 * ch + c] / 10)
        a = np.sqrt(np.maximum(e, 0.0))
        lo, hi = self.lag_n
        if len(a) < 2 * hi + 4:
            return 0.0
        r = signal.correlate(a, a, mode="full", method="direct")[len(a) - 1:len(a) + 2 * hi + 1]
        if r[0] <= 0:
            return 0.0
        r = r / r[0]
        lags = np.arange(lo, hi + 1)
        return float(np.max(np.minimum(r[lags], r[2 * lags])))

    def _train(self, k: int, k_hi: int, c: int) -> int:
        """Length of the longest run of evenly spaced sharp onsets (spacing 2.5–16 ms, each step
        within 10 % or 1 ms of the last) that passes through the candidate: glottal pulses of a low
        voice come in long regular trains, the pops of a cluster are a few, unevenly spaced."""
        s, ch = self.scheme, self.ch
        rows = self.frames.get(k - self.look_n - self.rise_n, k_hi)
        lo_row = max(k - self.look_n - self.rise_n, self.frames.start)
        db, fl = rows[:, c], rows[:, 3 * ch + c]
        rn = self.rise_n
        up = (db[rn:] - db[:-rn] >= s.rise_db) & (db[rn:] - fl[rn:] >= s.on_db)
        starts = np.flatnonzero(up & ~np.r_[False, up[:-1]]) + rn + lo_row
        if len(starts) < 3:
            return 1
        i0 = int(np.searchsorted(starts, k, side="right")) - 1     # the rise the candidate belongs to
        if i0 < 0:
            return 1
        lo, hi = self.train_lag_n
        best = 1
        for j in range(len(starts)):
            d = int(starts[j]) - int(starts[i0])
            if not lo <= abs(d) <= hi:
                continue
            n = 1
            for sign in (1, -1):                     # walk the progression both ways from the candidate
                cur, step = int(starts[i0]), sign * abs(d)
                while True:
                    tol = max(2, int(round(0.15 * abs(step))))
                    for mult in (1, 2):              # one pulse too weak to count may be skipped
                        want = cur + mult * step
                        near = np.flatnonzero(np.abs(starts - want) <= tol)
                        if len(near):
                            break
                    if not len(near):
                        break
                    nxt = int(starts[near[np.argmin(np.abs(starts[near] - want))]])
                    step, cur = (nxt - cur) // mult, nxt
                    n += 1
            best = max(best, n)
        return best

    def _pitch(self, k: int, k_hi: int, c: int) -> float:
        """Waveform autocorrelation at a voice's pitch period (62–400 Hz) around frame ``k``,
        normalised by the window's energy: successive glottal pulses through the same vocal
        tract are near copies of each other, the pops of a cluster are not."""
        hop = self.fe.hop
        x = self.sig.get((k - self.pre_n) * hop, k_hi * hop)[:, c]
        lo, hi = self.lag_n[0] * hop, self.lag_n[1] * hop
        e = float(np.dot(x, x))
        if len(x) < 2 * hi or e <= 0:
            return 0.0
        n = len(x)
        r = signal.correlate(x, x, mode="full")[n - 1 + lo:n + hi] / e
        return float(r.max())

    def _timing(self, k: int, kp: int, c: int, k_hi: int) -> tuple[float, float, float | None]:
        """Onset time, decision time and peak frequency of a pop found at frame ``k``."""
        hop = self.fe.hop
        j0, j1 = (k - 2) * hop, (kp + 1) * hop
        r = self.sig.get(j0, j1)[:, c]
        pre = self.sig.get((k - self.pre_n) * hop, j0)[:, c]
        j_on = max(j0, self.sig.start) + onset_sample(r, pre)
        tt = self.times.get(j_on, j_on + 1)
        t_on = float(tt[0, 0]) - self.fe.delay_s if len(tt) else float("nan")
        td = self.times.get(k_hi * hop - 1, k_hi * hop)
        t_det = float(td[0, 0]) if len(td) else float(self.t_last)
        w = self.sig.get(j_on, j_on + int(0.006 * self.fe.fs))[:, c]
        peak_hz = None
        if len(w) >= 8:
            n = 1024
            spec = np.abs(np.fft.rfft(w * np.hanning(len(w)), n))
            f = np.fft.rfftfreq(n, 1 / self.fe.fs)
            band = (f >= self.scheme.band_hz[0] * 0.8) & (f <= self.scheme.band_hz[1] * 1.2)
            peak_hz = round(float(f[band][np.argmax(spec[band])]), 1)
        return t_on, t_det, peak_hz


def _register() -> None:
    from analysis.pipeline import register_processor
    register_processor("audio", lambda a: CavitationDetector(**a.options.get("audio", {})))


_register()
