"""Cavitation ("pop") detector for the audio stream: candidates, their order and the decision.

Method (causal, state carried between chunks, so the events do not depend on chunk sizes).
Two stages: a cheap one over every sample finds candidate moments, the features are computed
only around candidates. The settings (``PopScheme``) are in :mod:`analysis.cavitation_scheme`,
the front end and the side bands in :mod:`analysis.cavitation_features`, the voice features
in :mod:`analysis.cavitation_voice`, the onset, peak frequency and ring features in
:mod:`analysis.cavitation_waveform`; the features of one candidate and the rules that weigh them in
:mod:`analysis.cavitation_judge`; this module keeps the stream: candidates, their channels and
the order they are decided in. docs/audio.md gives the measurements behind the rules.

1. Cheap stage, over the whole signal: block means of an integer number of samples down to
   about 8 kHz (16–96 kHz input), one causal band-pass for the pop band (100 Hz–2 kHz),
   energies of 0.5 ms frames in dB, smoothed over 2 ms. Loud mains hum lines are notched out of
   the internal-rate signal first (:mod:`analysis.hum`). Every channel is analysed, each for
   candidates of its own. One pop reaches microphones at different places at different times:
   a candidate on another channel at most ``channel_lag_ms`` after one (and the first on its
   channel since) whose band level over 8 ms has the same shape (``channel_shape_db``) is the
   same pop. Each pop is judged on the channel where it peaks highest above its floor (the
   "best channel", per pop), and timed where it arrived first among the channels that hear it
   within ``channel_level_db`` of that. Each channel keeps its own candidates
   ``refractory_ms`` apart, so pops 5 ms apart stay apart.
2. Adaptive noise floor: the median of the last 2 s of 100 ms block levels (stationary hum and
   room noise sit in it; brief sounds do not move it), but no more than ``floor_recent_db`` over
   the loudest of the last three 100 ms levels, nor over the loudest of the last fifteen 10 ms
   levels (the floor follows the quiet 150-160 ms after a voice stops); in the first 100 ms, the
   median of the frames so far.
3. A candidate is a frame over the floor by ``on_db`` that rose ``rise_db`` within 1 ms. Where a
   phone's fast gain control cut the gain at a cluster's first pop, the next pops lie under that
   floor: the floor under a pop's followers there is the quiet after the cut (``gain_cut_db``,
   :class:`~analysis.cavitation_features.GainCut`), and a candidate over that floor only is
   judged only as a follower (the quiet of noise-suppressed speech falls as far between words).
   It is decided ``horizon_ms`` after its peak, or sooner: judged on the first 25 ms after its
   peak, then on 30 (``early_ms``), it is given on the first window on which it passes with that
   window's ``early_confidence`` and has fallen quiet by its end (``early_quiet_db``),
   or what still sounds then is the ring of the next pop of its cluster, already fallen by a
   pop's decay (``early_ring``): a vowel begun after a stop consonant's burst still waits for
   the horizon. The commonest
   candidates (speech) are vetoed for a whole batch at once on activity and contrast (``_screen``);
   the survivors are judged one by one (:mod:`analysis.cavitation_judge`: the features, the rules
   that weigh them, the onset and the peak frequency).

``t_detect_s`` is the time of the last sample the decision used, so live latency is
``horizon_ms`` (the window of ``early_ms`` it was given on, for a pop given early) + 2 ms plus the
chunk length (with several channels, ``channel_lag_ms`` more: a pop is decided once every
channel's candidate of it can be); ``run_reach_ms`` instead of ``horizon_ms`` for a candidate
whose run of like sounds was followed past the horizon (:mod:`analysis.cavitation_judge`), and
for the candidates after it, which wait for it. The detector keeps references to the last few
hundred ms of the chunks it was fed (chunks are not modified after they are handed out).

At the end of the stream (``finish``) the candidates still waiting for their horizon are decided
on the frames there are (the samples after the last whole frame, about 0.5 ms, are not analysed).
What follows a pop (decay, activity, gap) is what tells it from the start of a knock, so a pop is
found only with a few milliseconds of it before the end: of 40 pops 25 dB over white noise, none
with 2 ms or less of it before the end, 7 with 2.5 ms, 27 with 3 ms, 15 with 4 ms (the short rest
of its own ring is read as sustained sound), 32 with 5 ms, 39 with 6 or 8 ms, all 40 from 10 ms on.
Judged without activity and gap when less than ``max_decay_ms`` follows the peak, all 40 were
found at every length, but so were 34 of 162 simulated knocks cut 0.5-8 ms after their onset
(3 as it is).
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import numpy as np

from analysis.cavitation_features import (FrontEnd, GainCut, LoudSpans, SideBands, Tape, TalkSpans, butter, joined,
                                          medians, score_for)
from analysis.cavitation_judge import CLUSTER_EASED, LATER, VOICE, PopJudge
from analysis.cavitation_scheme import MAX_SAMPLE, PopScheme
from analysis.cavitation_voice import copy_tables
from analysis.chunk import Chunk
from analysis.events import Event

__all__ = ["CavitationDetector", "MIN_RATE_HZ", "PopScheme"]

# below this, little is left of the band above the pop band (2.2-16 kHz), which tells a click or a
# fricative from a pop, and a 4 kHz recording has not even the top of the pop band (2 kHz)
MIN_RATE_HZ = 16000.0


class CavitationDetector(PopJudge):
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
        self.pending: list[tuple[int, int]] = []     # (candidate frame, channel), in time order
        self.others: dict = {}                       # per pop decided: its candidates on other channels
        self.rejected: dict[str, int] = {}           # candidate counts by the feature that failed
        self.n_pops = 0
        self.nonfinite = 0                           # samples NaN, inf or over MAX_SAMPLE, read as silence
        # set to [] to keep every candidate's features (every candidate is then judged on all of
        # them, so the two rules that look at the candidates before may decide a little otherwise)
        self.trace: list | None = None

    # -- set-up ------------------------------------------------------------------------------
    def _start(self, rate_hz: float, channels: int) -> None:
        s = self.scheme
        if rate_hz <= 0:
            raise ValueError("audio chunk without a sample rate (rate_hz)")
        if rate_hz < MIN_RATE_HZ:
            raise ValueError(f"audio at {rate_hz:g} Hz: pops are detected in audio at {MIN_RATE_HZ:g} Hz or more")
        fe = self.fe = FrontEnd(rate_hz, channels, s)
        self.side = SideBands(fe, s)
        self.ch = channels
        self.frame_s = fe.hop / fe.fs
        fpm = 1e-3 / self.frame_s                     # frames per millisecond
        self.last_cand = [-10 ** 9] * channels        # each channel's last candidate frame
        # one pop reaches each microphone at its own time: candidates of other channels this soon
        # after a candidate are the same pop (one per channel); none to wait for on one channel
        self.chan_n = int(round(s.channel_lag_ms * fpm)) if channels > 1 else 0
        self.shape_n = int(round(8.0 * fpm))          # ... compared over 8 ms (a pop's length at most)
        self.shift_n = int(round(1.0 * fpm))          # ... shifted by up to 1 ms
        self.pre_n = int(round(20 * fpm))
        self.look_n = int(round(60 * fpm))
        self.before_n = int(round(150 * fpm))
        self.louder_n = int(round(s.louder_ms * fpm))
        self.lag_n = (int(round(2.5 * fpm)), int(round(16.0 * fpm)))         # voice pitch 62–400 Hz
        # (voicing: from one period of the candidate's own peak frequency on, in quiet: own_period_quiet_ms)
        self.own_quiet_n = (int(round(s.own_period_quiet_ms * fpm)) if s.own_period_quiet_ms is not None
                            else None)
        self.train_lag_n = (int(round(2.5 * fpm)), int(round(20.0 * fpm)))   # down to 50 Hz (creak)
        self.peak_n = int(round(2 * fpm))
        self.pre_echo_n = int(round(s.pre_echo_ms * fpm))
        self.end_n = int(round(5 * fpm))
        # the candidate's sound from 1 ms before its frame, its length, the lags a copy is sought
        # at, and how far back that reaches (two periods and the step between them)
        self.copy_n = (int(round(1.0 * fpm)), int(round(s.copy_ms * fpm)),
                       int(round(s.copy_lag_ms[0] * fpm)), int(round(s.copy_lag_ms[1] * fpm)))
        self.copy_back_n = int(np.ceil((2 + s.copy_step) * self.copy_n[3])) + 2
        self.copy_tab = copy_tables(self.copy_n, self.copy_back_n, fe.hop, s.copy_step)
        # a short run's quiet period before it, at the longest lag: three periods back and the quiet one
        self.reach_n = max(self.copy_back_n, 4 * self.copy_n[3] + self.copy_n[0] + 2)
        self.feats = s.features()                     # {name: (threshold, spread, sign)}
        self.n_features = len(self.feats)
        # just after a pop, some thresholds move cluster_ease spreads towards what they reject;
        # just after a candidate rejected as voice, the voice features' near_voice_strict away, and
        # for a weak candidate in louder sound, louder_strict away
        def moved(names: tuple[str, ...], by: float) -> dict:
            return {n: ((thr + by * sp * (1 if sign < 0 else -1), sp, sign) if n in names else (thr, sp, sign))
                    for n, (thr, sp, sign) in self.feats.items()}
        self.feats_cluster = moved(CLUSTER_EASED, s.cluster_ease)
        self.feats_third = moved(CLUSTER_EASED, s.cluster_third_ease)
        self.feats_voice = moved(VOICE, -s.near_voice_strict)
        self.feats_louder = moved(VOICE, -s.louder_strict)
        self.cluster_n = int(round(s.cluster_ms * fpm))
        self.fresh_n = int(round(s.fresh_ms * fpm)) if s.fresh_ms is not None else -1
        self.fresh_lead_n = int(round(s.fresh_lead_ms * fpm))
        self.last_pop = -10 ** 9                      # candidate frame of the last pop emitted
        self.prev_pop = -10 ** 9                      # ... and of the one before it
        self.last_pop_db = -np.inf                    # ... the last one's peak (dB)
        self.last_t_on = -np.inf                      # ... and its onset (s)
        self.last_pop_hz: float | None = None         # ... and its peak frequency
        self.last_voice = -10 ** 9                    # ... of the last one rejected as voice or busy
        self.voiced: deque[int] = deque()             # ... those rejected on a voice feature, not after a pop
        self.crack_n = (int(round(3 * fpm)), int(round(8 * fpm)))   # frames after the onset: a crack is over
        self.ring_n = tuple(int(round(v * fpm)) for v in (*s.click_ring_ms, 3.0))   # the ring: from, to, at least
        self.hor_n = int(round(s.horizon_ms * fpm))
        # a run that pitch or copy found still sounding at the horizon is followed this far (frames
        # after the peak), when only its end can make the candidate a pop: those waiting for it
        self.run_reach_n = (max(int(round(s.run_reach_ms * fpm)), self.hor_n) if s.run_reach_ms is not None
                            and s.run_max is not None else self.hor_n)
        self.waiting: set[tuple[int, int]] = set()
        # the last sample a candidate waiting so was decided on (s; _judge: reached_s): those after it
        # were decided no sooner
        self.held_until = self.reached_s = -np.inf
        # a candidate may be given sooner, on the first early_ns[i] frames after its peak, each in
        # turn (none: early_ms None)
        early = () if s.early_ms is None else (s.early_ms,) if np.isscalar(s.early_ms) else tuple(s.early_ms)
        conf = (s.early_confidence,) * len(early) if np.isscalar(s.early_confidence) else tuple(s.early_confidence)
        if len(conf) != len(early):
            if len(early) > 1:
                raise ValueError("early_confidence: one for all of early_ms, or one for each")
            conf = conf[-1:] * len(early)               # (one window: the last window's confidence)
        wins = sorted((int(round(e * fpm)), q) for e, q in zip(early, conf) if e < s.horizon_ms)
        self.early_ns = tuple(n for n, _ in wins)
        self.declined: dict[tuple[int, int], int] = {}   # candidates judged early: on how many windows declined
        # the mean margin a pop needs (its confidence is a logistic of that mean), one given early
        # needs, and one heard within near_voice_ms after a voice (_near_voice)
        self.pass_score = score_for(s.min_score, s.min_confidence)
        self.early_scores = tuple(max(score_for(s.min_score, q), self.pass_score) for _, q in wins)
        self.early_score = self.pass_score           # (the one the early window being judged needs)
        self.near_voice_n = int(round(s.near_voice_ms * fpm)) if s.near_voice_ms is not None else -1
        self.near_span_n = tuple(int(round(v * fpm)) for v in s.near_voice_span_ms)
        self.near_voice_score = max(score_for(s.min_score, s.near_voice_confidence), self.pass_score)
        self.run_reach_score = max(score_for(s.min_score, s.run_reach_confidence), self.pass_score)
        self._trial = False                           # judging early: nothing counted or kept
        self._trial_pop: tuple | None = None          # (frame, peak, onset, peak Hz) of one that passed so
        self.dec_n = int(round(s.max_decay_ms * fpm))
        self.refr_n = int(round(s.refractory_ms * fpm))
        self.rise_n = len(fe.fir)
        self.warm_r = int(round(30 * fpm)) * fe.hop   # the 70 Hz timing high-pass settles in ~10 ms
        # history a candidate's features reach back to, in frames before it
        self.keep_n = max(self.look_n + self.rise_n, self.before_n, self.louder_n, self.side.pre + self.side.warm_l,
                          self.pre_n + self.warm_r // fe.hop, self.reach_n + self.warm_r // fe.hop) + 8
        # timing high-pass, applied to short windows only (lfilter's (b, a) form: cheaper per call)
        self.ba_hp = butter(2, s.band_hz[0] * 0.7, "highpass", fs=fe.fs)
        self.ba_hp_n = butter(2, s.band_hz[0] * 0.7, "highpass", fs=rate_hz)
        # no delay is subtracted from onsets: a pop starts with an edge, whose energy lies far
        # above 70 Hz, and the high-pass's impulse response starts at once (its group delay at
        # 300-600 Hz, 0.04-0.18 ms, is that of the ringing, not of the edge)
        self.delay_s = 0.0
        self.native = Tape(channels)                  # the chunks as fed
        self.loud = LoudSpans(fe.block, int(round(s.masked_quiet_s * 1e3 / s.floor_every_ms)), s.masked_db,
                              s.masked_silence_db, fe.block * self.frame_s)
        self.talk = TalkSpans(s.talk_candidates, s.talk_window_ms * 1e-3, s.talk_after_ms * 1e-3)
        self.talk_ks: list[int] = []                  # candidate frames of this batch taken for talk
        self._loud_key, self._loud_joined = None, []  # loud_spans, as last joined
        self.y = Tape(channels)                       # block means at the internal rate
        self.times = Tape(1)                          # times of the block means
        self.t_native = Tape(1)
        self.frames = Tape(3 * channels)              # smoothed band dB, floor, raw band dB (× ch)
        self.tail_sm = np.zeros((0, channels))        # the last rise_n smoothed frames (for the rise)
        self.gain_cut = (GainCut(int(round(s.gain_cut_ms * fpm)), len(fe.fir), self.cluster_n, s.gain_cut_db,
                                 s.gain_cut_margin_db, s.masked_silence_db, channels)
                         if s.gain_cut_db is not None else None)
        # the floor a gain cut lowered under candidates, {(frame, channel): floor}: a pop's
        # followers are judged on it; those only over it (cut_only) are judged only as followers;
        # each channel's last of those
        self.cut_floor: dict[tuple[int, int], float] = {}
        self.cut_only: set[tuple[int, int]] = set()
        self.last_cut_cand = [-10 ** 9] * channels

    # -- streaming ---------------------------------------------------------------------------
    def feed(self, chunk: Chunk) -> list[Event]:
        """Analyse one audio chunk (values (n,) or (n, channels), float in [-1, 1])."""
        if len(chunk) == 0:
            return []
        x = np.asarray(chunk.values)
        if x.ndim == 1:
            x = x[:, None]
        # a NaN or inf would stay in every filter's state, and a sample far beyond any full scale
        # (a corrupt float file) overflows the float32 arithmetic and hides every pop near it
        if not (x.max() < MAX_SAMPLE and x.min() > -MAX_SAMPLE):
            bad = ~(np.abs(x) < MAX_SAMPLE)
            self.nonfinite += int(bad.sum())
            x = np.where(bad, np.zeros((), x.dtype), x)
        if self.fe is None:
            self._start(float(chunk.rate_hz), x.shape[1])
        elif x.shape[1] != self.ch or float(chunk.rate_hz) != self.fe.rate_hz:
            raise ValueError("audio stream changed its sample rate or channel count mid-stream")
        t = np.asarray(chunk.t_s, dtype=np.float64)
        self.t_last = float(t[-1])
        y, t_int, rows = self.fe.feed(x, t)
        self.native.append(x)
        self.y.append(y)
        self.times.append(t_int[:, None])
        self.t_native.append(t[:, None])
        if len(rows):
            hop = self.fe.hop
            self.loud.feed(self.frames.end, rows[:, self.ch:2 * self.ch],
                           lambda k: float(self.times.get(k * hop, k * hop + 1)[0, 0]))
            self._candidates(rows)
        out = self._decide(final=False)
        # what no pending candidate can reach back to any more
        k_old = min([k for k, _ in self.pending] + [self.frames.end]) - self.keep_n
        hop, m = self.fe.hop, self.fe.m
        self.frames.drop_before(k_old)
        self.loud.forget_before(k_old // self.fe.block)
        self.y.drop_before(k_old * hop)
        self.times.drop_before(k_old * hop)
        self.native.drop_before(k_old * hop * m)
        self.t_native.drop_before(k_old * hop * m)
        return out

    @property
    def loud_spans(self) -> list[tuple[float, float]]:
        """Stretches (s) where sustained sound held the pop band's floor ``masked_db`` or more over
        the room's quiet (:class:`~analysis.cavitation_features.LoudSpans`), or where a voice was
        heard in candidates taken for it, ``talk_candidates`` within ``talk_window_ms`` (and
        ``talk_after_ms`` after them, :class:`~analysis.cavitation_features.TalkSpans`): pops
        there are mostly missed, so a thrust there without one is not said to have none, nor one
        with pops to have only those."""
        if self.fe is None:
            return []
        # (asked each frame by the trainer: joined again only when a span was added or the last
        # grew, the only ways the two lists change)
        key = tuple((len(x), x[-1][1] if x else None) for x in (self.loud.spans, self.talk.spans))
        if key != self._loud_key:
            self._loud_key, self._loud_joined = key, joined(self.loud.spans, self.talk.spans)
        return list(self._loud_joined)

    def finish(self) -> list[Event]:
        """Decide the candidates still waiting for their horizon (end of the recording); a pop
        with less than about 6 ms of it before the end may be missed (see the module's notes)."""
        return self._decide(final=True) if self.fe is not None else []

    def _candidates(self, rows: np.ndarray) -> None:
        """Append new frames; a candidate is a frame over the floor and a fast rise, on each
        channel by itself. Where a gain control cut the gain (``gain_cut``), also the frames over
        the floor lowered to the quiet after the cut, that are not candidates already: kept
        apart, to be judged only as followers of a pop given before them."""
        s, ch, rn = self.scheme, self.ch, self.rise_n
        k0 = self.frames.end
        self.frames.append(rows)
        band, flo = rows[:, :ch], rows[:, ch:2 * ch]
        prev = np.concatenate([np.full((max(0, rn - len(self.tail_sm)), ch), np.inf), self.tail_sm, band])
        self.tail_sm = prev[-rn:]
        prev = prev[-rn - len(band):-rn]
        rise = band - prev >= s.rise_db
        ok = (band - flo >= s.on_db) & rise
        cut = self.gain_cut.floors(band, flo, ok) if self.gain_cut is not None else None
        new: list[tuple[int, int]] = []
        for c in range(ch):
            last = self.last_cand[c]
            sel, self.last_cand[c] = self._spaced(k0 + np.flatnonzero(ok[:, c]), last)
            new.extend((k, c) for k in sel)
            if sel and self.cut_only:                  # (a candidate drops those just before it)
                for kc in [kc for kc in self.cut_only if kc[1] == c and 0 <= sel[0] - kc[0] < self.refr_n]:
                    self.cut_only.discard(kc)
                    self.cut_floor.pop(kc, None)
                    if kc in self.pending:
                        self.pending.remove(kc)
                    self.waiting.discard(kc)
            if cut is None:
                continue
            for k in sel:                              # (a follower is judged on the lowered floor)
                if cut[k - k0, c] < flo[k - k0, c]:
                    self.cut_floor[(k, c)] = float(cut[k - k0, c])
            # those only over the lowered floor, spaced among themselves; one near a candidate is
            # that candidate's sound (one that comes later drops it, above: it is decided long
            # after it arrives)
            g = k0 + np.flatnonzero((band[:, c] - cut[:, c] >= s.on_db) & rise[:, c] & ~ok[:, c])
            cs, self.last_cut_cand[c] = self._spaced(g, self.last_cut_cand[c])
            for k in cs:                               # (few: only after a loud onset)
                if all(abs(k - t) >= self.refr_n for t in (last, *sel)):
                    self.cut_floor[(k, c)] = float(cut[k - k0, c])
                    self.cut_only.add((k, c))
                    new.append((k, c))
        new.sort()
        self.pending.extend(new)

    def _spaced(self, g: np.ndarray, last: int) -> tuple[list[int], int]:
        """Of the qualifying frames ``g`` (rising), the candidates, at most one per refractory
        period after the last candidate ``last``: the first frame that qualifies. A frame further
        than that from the previous qualifying one is always a candidate, the frames that follow
        it closely are not, and only a run of qualifying frames longer than the period needs the
        frame-by-frame rule. Returns them and the new last."""
        if not len(g):
            return [], last
        acc = np.diff(np.concatenate(([last], g))) >= self.refr_n
        j = np.maximum.accumulate(np.where(acc, np.arange(len(g)), -1))
        anchor = np.where(j >= 0, g[np.maximum(j, 0)], last)
        if np.any(~acc & (g - anchor >= self.refr_n)):
            for i, k in enumerate(g.tolist()):
                acc[i] = k - last >= self.refr_n
                last = k if acc[i] else last
        sel = g[acc].tolist()
        return sel, (sel[-1] if sel else last)

    def _groups(self, cands: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
        """The candidates (in time order) as pops: one pop reaches microphones at different places
        at different times, so a candidate joins the earliest pop begun on another channel at most
        ``chan_n`` frames before it that has none on its own channel yet, when the two sound alike
        (``_alike``: a voice or a knock on another microphone at that moment is another sound).
        Each channel keeps its own candidates ``refractory_ms`` apart, so pops 5 ms apart stay
        apart on it."""
        if self.ch == 1:
            return [[kc] for kc in cands]
        groups: list[list[tuple[int, int]]] = []
        lo = 0
        for k, c in cands:
            while lo < len(groups) and groups[lo][0][0] < k - self.chan_n:
                lo += 1
            for g in groups[lo:]:
                if all(cc != c for _, cc in g) and self._alike(g[0], (k, c)):
                    g.append((k, c))
                    break
            else:
                groups.append([(k, c)])
        return groups

    def _alike(self, a: tuple[int, int], b: tuple[int, int]) -> bool:
        """Whether two candidates on two channels are one sound: their pop-band levels over the
        ``shape_n`` frames from each, less each one's peak, and each down to no lower than the
        higher of the two floors (a weaker microphone's copy of a pop sinks into its noise
        sooner), differ by ``channel_shape_db`` or less on average, at the best of a few frames'
        shift (each channel's candidate frame is where its own rise qualifies)."""
        n, sh, ch = self.shape_n, self.shift_n, self.ch
        (ka, ca), (kb, cb) = a, b
        ra = self.frames.get(ka - sh, ka + n + sh)
        rb = self.frames.get(kb, kb + n)
        if len(rb) < n or len(ra) < n + 2 * sh:
            return True                                # (at the stream's end: as before)
        ea, eb = ra[:, ca], rb[:, cb]
        pa, pb = float(ea[sh:sh + n].max()), float(eb.max())
        low = max(float(ra[sh, ch + ca]) - pa, float(rb[0, ch + cb]) - pb) + 3.0
        yb = np.maximum(eb - pb, low)
        best = min(float(np.mean(np.abs(np.maximum(ea[i:i + n] - pa, low) - yb))) for i in range(2 * sh + 1))
        return best <= self.scheme.channel_shape_db

    def _best(self, group: list[tuple[int, int]]) -> tuple[int, int]:
        """The candidate of a pop on the channel where it peaks highest over its floor; of
        channels within 0.1 dB of that, the loudest (one microphone's sound copied at a lower
        gain, noise and all, peaks as high over its floor: the event's level is the louder's)."""
        if len(group) == 1:
            return group[0]
        ch = self.ch
        snr, peak = {}, {}
        for k, c in group:
            rows = self.frames.get(k, k + self.peak_n + 1)
            peak[k, c] = float(rows[:, c].max())
            snr[k, c] = peak[k, c] - float(rows[0, ch + c])
        top = max(snr.values())
        return max((kc for kc in group if snr[kc] >= top - 0.1), key=peak.__getitem__)

    def _decide(self, final: bool) -> list[Event]:
        # a pop is decided once every channel's candidate of it can be, with its horizon (or, given
        # early, with one of the early_ns frames after its peak); candidates are decided in time
        # order, so one waiting for its horizon holds back those after it
        need = self.peak_n + self.hor_n + 1 + self.chan_n
        need_early = [need - self.hor_n + e for e in self.early_ns]    # each early window's
        need_run = need - self.hor_n + self.run_reach_n                # a run's end followed
        groups = self._groups(self.pending)
        firsts = [g[0][0] for g in groups]
        n = n_try = len(groups)
        if not final:
            n = int(np.searchsorted(firsts, self.frames.end - need, side="right"))
            if need_early:
                n_try = int(np.searchsorted(firsts, self.frames.end - need_early[0], side="right"))
        if not n_try:
            return []
        batch = [self._best(g) for g in groups[:n_try]]
        self.others = {kc: [o for o in g if o != kc] for kc, g in zip(batch, groups[:n_try]) if len(g) > 1}
        tracing = self.trace is not None
        keep = self._screen(batch[:n]) if not tracing else np.ones(n, bool)
        screens: dict[int, dict[int, bool]] = {}     # per early window: the batch's screen on it

        def can_pass(w: int, i: int) -> bool:          # (activity and contrast on window w, at once)
            if tracing:
                return True
            if w not in screens:
                idx = [j for j, kc in enumerate(batch) if self.declined.get(kc, 0) <= w
                       and (final or firsts[j] <= self.frames.end - need_early[w])]
                ok = self._screen([batch[j] for j in idx], self.early_ns[w], count=False,
                                  score=self.early_scores[w])
                screens[w] = dict(zip(idx, ok.tolist()))
            return screens[w].get(i, True)

        out, done = [], 0
        for i, (k, c) in enumerate(batch):
            # the screen's thresholds are not eased: a candidate just after a pop is judged whole
            follower = k - self.last_pop <= self.cluster_n
            if self.cut_floor:                         # (where a gain cut lowered the floor)
                if not follower and (k, c) in self.cut_only:
                    done = i + 1
                    continue
                if follower:                           # (the pop's candidates on every channel)
                    for k_c, c_c in ((k, c), *self.others.get((k, c), ())):
                        if (k_c, c_c) in self.cut_floor:
                            self.frames.get(k_c, k_c + 1)[0, self.ch + c_c] = self.cut_floor[(k_c, c_c)]
            # the early windows not tried yet whose frames are here, in turn (one declined on all
            # of them waits for its horizon)
            w, ev = self.declined.get((k, c), 0), None
            while ev is None and w < len(self.early_ns) and (final or firsts[i] <= self.frames.end - need_early[w]):
                ev = self._early(k, c, w) if can_pass(w, i) or follower else None
                w += 1
            if ev is not None:
                self.declined.pop((k, c), None)
                out.append(self._held(ev))
                done = i + 1
                continue
            if w:
                self.declined[(k, c)] = w
            if i >= n or w < len(self.early_ns):
                break                                  # it waits for its horizon, and those after it
            if keep[i] or follower:
                # one whose run pitch or copy found still sounding at the horizon waits for the
                # run's end (run_reach_ms), when only that can make it a pop; and those after it
                reach = final or firsts[i] <= self.frames.end - need_run
                if (k, c) not in self.waiting:
                    ev = self._judge(k, c, reach=False if self.run_reach_n > self.hor_n else None)
                    if ev is LATER:
                        self.waiting.add((k, c))
                if (k, c) in self.waiting:
                    if not reach:
                        break
                    ev = self._judge(k, c, reach=True)
                    self.waiting.discard((k, c))
                    self.held_until = max(self.held_until, self.reached_s)
            self.declined.pop((k, c), None)
            done = i + 1
            if not keep[i] and not follower:
                self.last_voice = k                   # sustained sound: the candidates after it stricter
                self.talk_ks.append(k)
            if ev is not None:
                out.append(self._held(ev))
        self.pending = sorted(kc for g in groups[done:] for kc in g)
        if self.cut_floor:
            left = set(self.pending)
            self.cut_floor = {kc: v for kc, v in self.cut_floor.items() if kc in left}
            self.cut_only &= left
        if self.talk_ks:
            self._talk(self.talk_ks)
            self.talk_ks = []
        return out

    def _held(self, ev: Event) -> Event:
        """``ev``, decided no sooner than the last candidate that waited for its run's end: its
        ``t_detect_s`` not before that one's (candidates are decided in time order)."""
        return ev if ev.t_detect_s >= self.held_until else replace(ev, t_detect_s=self.held_until)

    def _screen(self, batch: list[tuple[int, int]], hn: int | None = None, count: bool = True,
                score: float | None = None) -> np.ndarray:
        """Activity and contrast of a batch of candidates at once (the same values ``_judge``
        computes, on ``hn`` frames after the peak: the horizon's by default): sustained sound is
        most candidates, and vetoing it here spares the rest. ``count``: whether those vetoed
        count in ``rejected``; ``score``: a mean margin the two must still leave within reach
        (with every other margin at its clip, as ``_hopeless``)."""
        s, ch = self.scheme, self.ch
        K = np.array([k for k, _ in batch], dtype=int)
        C = np.array([c for _, c in batch], dtype=int)
        pn, hn, prn = self.peak_n, self.hor_n if hn is None else hn, self.pre_n
        full = (K - prn - 2 >= self.frames.start) & (K + pn + hn + 1 <= self.frames.end)
        keep = np.ones(len(K), bool)
        if not full.any():
            return keep
        Kf, Cf = K[full], C[full]
        # (the batch is in the order of its pops: with several channels, a pop's candidate on its
        # best channel may come a few frames after the next pop's)
        base = int(Kf.min()) - prn - 2
        db = self.frames.get(base, int(Kf.max()) + pn + hn + 1)[:, :ch]
        i0 = Kf - base
        win = db[i0[:, None] + np.arange(pn + 1), Cf[:, None]]
        dp = np.argmax(win, axis=1)
        peak = win[np.arange(len(Kf)), dp]
        n_tail = hn + 1 - dp
        tail = db[np.minimum((i0 + dp + pn)[:, None] + np.arange(hn + 1), len(db) - 1), Cf[:, None]]
        mask = np.arange(hn + 1) < n_tail[:, None]
        active = np.sum((tail > peak[:, None] - 12.0) & mask, axis=1) / n_tail
        pre = db[(i0 - prn)[:, None] + np.arange(prn - 1), Cf[:, None]]
        contrast = peak - medians(pre, axis=1)
        feats = self.feats
        a_thr, a_sp, _ = feats["activity"]
        c_thr, c_sp, _ = feats["contrast"]
        za, zc = np.clip(-(active - a_thr) / a_sp, -3, 3), np.clip((contrast - c_thr) / c_sp, -3, 3)
        pair = za + zc < s.pair_min                     # two doubts together reject (see _hopeless)
        bad_a = (za < -s.veto) | (pair & (za <= zc))
        bad_c = ~bad_a & ((zc < -s.veto) | pair)
        if count:
            self.rejected["activity"] = self.rejected.get("activity", 0) + int(bad_a.sum())
            self.rejected["contrast"] = self.rejected.get("contrast", 0) + int(bad_c.sum())
        bad = bad_a | bad_c
        if score is not None:
            bad |= (za + zc + 3.0 * (self.n_features - 2)) / self.n_features < score
        keep[np.flatnonzero(full)[bad]] = False
        return keep

    def _talk(self, ks: list[int]) -> None:
        """Candidate frames ``ks`` (of one batch) were taken for sustained sound or a voice
        (:class:`TalkSpans`); not while the floor lies under the room's quiet (a stream's first
        few hundred ms, the room coming up after digital silence: the floor still rising to it,
        the room's noise makes candidates that are screened out as sustained sound)."""
        hop, ch = self.fe.hop, self.ch
        # (the candidates still to be decided are kept: frames and times from the first on)
        k0 = max(min(ks), self.frames.start, -(-self.times.start // hop))
        k1 = max(ks) + 1
        t = self.times.get(k0 * hop, k1 * hop)[::hop, 0]
        floor = self.frames.get(k0, k1)[:, ch:2 * ch].min(axis=1)
        n = min(len(t), len(floor))
        for k in sorted(ks):
            quiet = self.loud.quiet_at(k // self.fe.block)
            if quiet is not None and 0 <= k - k0 < n and floor[k - k0] >= quiet - TalkSpans.SETTLED_DB:
                self.talk.feed(float(t[k - k0]))


def _register() -> None:
    from analysis.pipeline import register_processor
    register_processor("audio", lambda a: CavitationDetector(**a.options.get("audio", {})))


_register()
