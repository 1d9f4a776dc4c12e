"""One pop candidate judged: its features, the rules that weigh them, its onset and peak frequency.

:class:`PopJudge` is the half of :class:`~analysis.cavitation.CavitationDetector` that decides one
candidate at a time; the detector (the stream: candidates, their channels, the order they are
decided in) sets up the state it reads in ``CavitationDetector._start``. docs/audio.md gives the
measurements behind the rules.

The commonest candidates (speech) are vetoed for a whole batch at once on activity and contrast
(``CavitationDetector._screen``); the survivors are judged one by one on features that separate
pops from the room's other sounds:

=================  ===========================================  ==========================
feature            pop                                          rejects
=================  ===========================================  ==========================
contrast           far above the 20 ms before it                speech (mid-syllable)
decay              down ``decay_db`` within ``max_decay_ms``    knocks, footsteps
                   (or by the next pop of its cluster)
band share         75 % of onset energy in 100 Hz–2 kHz (the    clicks, thuds, hum
                   side bands are filtered around the candidate
                   only, against their floor just before it);
                   less when the energy above the band is over
                   within 3 ms (a crack at the pop's onset)
onset              most of the peak gained within 2 ms          handling, syllable onsets
activity, gap      quiet again for most of the next 35 ms       speech, handling
duration           3–8 ms until 20 dB down or the next pop      knocks, footsteps
voicing, pitch,    does not repeat at a voice's pitch period    voiced speech, low voices
train, copy        (:mod:`analysis.cavitation_voice`)
=================  ===========================================  ==========================

The band share and the four voicing features are computed only for candidates that pass the others.
Within ``fresh_ms`` (12 ms) of a low pop (peak ``fresh_hz``, 300 Hz, or lower), and less than
``fresh_db`` (12 dB) under it, the band share is measured with the band-pass and the low-pass under
the band started afresh 1 ms before the candidate: the low-pass still rings with the pop before. In
quiet (``own_period_quiet_ms``) ``voicing`` looks for a period only from one period of the
candidate's own peak frequency on: two low pops 5 ms apart make one broad sound. A candidate within
``cluster_ms`` (100 ms) of the last pop emitted is taken as a pop of its cluster: the thresholds of
the four voice features, of contrast and of activity move ``cluster_ease`` spreads towards what
they reject, since in a room the ringing tail of the pop before, and the cluster's own rhythm, make
the next pop look a little voiced, less above the 20 ms before it and busier. Within ``cluster_ms``
of the last two pops (the third or later pop of a cluster) they move ``cluster_third_ease``
spreads: in a dense cluster (5-9 pops 8-14 ms apart) each pop comes after two evenly spaced sharp
sounds, as a voice's next glottal pulse does; not for a candidate ``cluster_third_db`` or more
under the last pop (a room's echoes of a cluster's pops are such weaker copies of them). ``pitch``
and ``copy`` count for none when what repeats at their lag is a short run of like sounds with quiet
on both sides (``run_max``: a cluster, not a voice, :func:`~analysis.cavitation_voice.short_run`);
a run still sounding where the horizon ends is followed to ``run_reach_ms`` (80 ms) after the peak
when only its end can make the candidate a pop (``_judge`` gives ``LATER``, with nothing counted or
kept, and the detector judges it again then). A candidate within ``cluster_ms`` of one rejected on
a voice feature or screened out as sustained sound (and not of a pop) has the four voice features'
thresholds moved ``near_voice_strict`` spreads away from the voice: where a voice stops, its last
glottal pulses and the mouth clicks around it come among the voice's own candidates. A weak
candidate (under ``louder_level_db`` over the floor) after a sound louder than its own peak less
``louder_db`` (and ``on_db`` over the floor) in the ``louder_ms`` (300 ms, a syllable's length)
before it, with no pop in that time, has them moved ``louder_strict`` spreads away (more than near
a rejected candidate): real speech's mouth clicks, stops and lone glottal pulses come amid louder
syllables, and are only a little voiced. Only a sound louder already ``louder_from_ms`` (40 ms) or
more before counts: one that began later may be the first pop of the candidate's own cluster,
missed (a cluster's pops are 5-40 ms apart). A candidate that passes but is weak (under
``voice_before_db`` over the floor) is still rejected when the band envelope of the 150 ms before
it repeats at a pitch period (``voice_before``). Two more vetoes look at what follows a pop that
passes, up to the horizon: a vowel that starts (``voice_after``, while the horizon still ends
within ``after_end_db`` of the peak), or aspiration that hisses above the pop band
(``hiss_after_db``: the high band's median from 8 ms after the peak on is over its floor and has
not faded from its onset, as a room's echo of a pop would).

Each feature's margin past its threshold is measured in units of its spread (``PopScheme``);
a pop is emitted when no margin is below ``-veto``, the two smallest do not add up to less
than ``pair_min`` (one doubt may be outweighed, two together reject: weak sounds in speech
and at a knock's strike are a little busy, a little voiced, a little low at once), and
their mean (each clipped to ±3) reaches ``min_score`` (the mean of confidence
``min_confidence``, if that is more; within ``near_voice_ms`` after a voice, two candidates
rejected on a voice feature ``near_voice_span_ms`` apart, that of ``near_voice_confidence``:
most false pops in real speech are doubtful sounds between its words). When its peak frequency is
``click_min_hz`` or more, the decay and band share margins together must also reach
``click_pair_min``, a bright ring (``click_bright_db``) counting against as a third margin
(``click``: a struck object, such as a clicky keyboard's key); under ``click_min_hz``, a ring
that still swells after its steepest rise is a thud (``thud_swell_db``). A pop must also
ring for ``ring_min_ms`` or more (``short``), its energy not falling ``ring_fall_db`` at once
after its loudest 0.5 ms (``abrupt``: a digital click), and swing back to the level before it
(``step``, ``step_share``). What each of these measures, and why, is in
:mod:`analysis.cavitation_waveform`. ``confidence`` is a logistic of that mean (0.5 at
``min_score``); ``reason`` gives the measured features and names the weakest one.

The onset and ``peak_hz`` are then measured around the pop (:mod:`analysis.cavitation_waveform`).
"""

from __future__ import annotations

import bisect

import numpy as np
from scipy import signal

from analysis.cavitation_features import logistic, median
from analysis.cavitation_voice import (copy_similarity, envelope_periodicity, onset_train, pitch_at, short_run,
                                      voice_after)
from analysis.cavitation_waveform import brightness, onset, peak_frequency, ring, swell
from analysis.events import CavitationEvent

__all__ = ["CLUSTER_EASED", "LATER", "PopJudge", "VOICE"]

# eased for a pop of a cluster: the voice features, and the two a pop's tail before it distorts
CLUSTER_EASED = ("contrast", "activity", "voicing", "pitch", "train", "copy")
VOICE = ("voicing", "pitch", "train", "copy")                 # made stricter near the voice
UNSEEN = -2          # short_run: the run still sounds where the signal it was given ends
LATER = object()     # _judge: to be judged again once a run cut off by the horizon has ended, or not


class PopJudge:
    """The candidate-by-candidate decision of :class:`~analysis.cavitation.CavitationDetector`
    (a mix-in: the detector's ``_start`` sets the frames, tapes, thresholds and the last pops it
    reads, and ``_decide`` calls ``_early`` and ``_judge`` in time order)."""

    def _early(self, k: int, c: int, w: int) -> CavitationEvent | None:
        """The candidate at frame ``k`` judged on the first ``early_ns[w]`` frames after its peak: its
        event when it passes with that window's ``early_confidence`` or more and the last 5 ms of those frames
        lie within ``early_quiet_db`` of its floor (then given as any pop), else None with nothing
        counted or kept (it is judged again on its horizon)."""
        # only one that has fallen quiet by then: a vowel (or the next pop) that has begun may
        # still make it a stop consonant's burst, which the horizon tells
        early_n = self.early_ns[w]
        k_hi = min(k + self.peak_n + early_n + 1, self.frames.end)
        rows = self.frames.get(k_hi - self.end_n, k_hi)
        floor = float(self.frames.get(k, k + 1)[0, self.ch + c])
        end_db = float(np.mean(rows[:, c]))
        if end_db - floor > self.scheme.early_quiet_db and not self._ends_in_a_ring(k, c, k_hi, floor, end_db):
            return None
        self._trial, self._trial_pop, self.early_score = True, None, self.early_scores[w]
        try:
            ev = self._judge(k, c, early_n)          # (stops once it cannot reach early_score)
        finally:
            self._trial = False
        if ev is None:
            return None
        self._given(*self._trial_pop)
        if self.trace is not None:
            self.trace.append(self._traced)
        return ev

    def _ends_in_a_ring(self, k: int, c: int, k_hi: int, floor: float, end_db: float) -> bool:
        """Whether what still sounds at the end of the frames before ``k_hi`` (their last 5 ms,
        ``end_db`` on average) is the ring of a sharp sound that began after the candidate's own
        peak and has already fallen by a pop's decay (``decay_db``) within ``max_decay_ms`` of its
        peak, nothing sharp after it: the next pop of a cluster (``early_ring``). A vowel begun
        after a stop consonant's burst does not fall so, and one begun too late to tell is not
        taken for a ring."""
        s = self.scheme
        if not s.early_ring:
            return False
        db = self.frames.get(k, k_hi)[:, c]
        pn = self.peak_n
        p = int(np.argmax(db[:pn + 1]))
        sharp = self._onsets_after(db, p, floor)
        if not len(sharp):
            return False                               # (loud without a new onset: sustained sound)
        breaks = np.flatnonzero(np.diff(sharp) > 1)
        j = p + 2 * pn + int(sharp[breaks[-1] + 1] if len(breaks) else sharp[0])   # the last run of them
        pj = j + int(np.argmax(db[j:j + pn + 1]))
        low = db[pj] - s.decay_db[0]
        return end_db <= low and bool(np.any(db[pj + 1:pj + 1 + self.dec_n] <= low))

    def _onsets_after(self, db: np.ndarray, p: int, floor: float) -> np.ndarray:
        """The frames of ``db`` from two peak windows after its peak ``p`` on (counted from
        there) that rose ``rise_db`` within the smoothing window and lie ``on_db`` over the
        ``floor``: where the next sound of a cluster starts, as a candidate would."""
        s, i0, rn = self.scheme, p + 2 * self.peak_n, self.rise_n
        if i0 >= len(db) or i0 < rn:
            return np.zeros(0, int)
        return np.flatnonzero((db[i0:] - db[i0 - rn:len(db) - rn] >= s.rise_db) & (db[i0:] - floor >= s.on_db))

    def _given(self, k: int, peak: float, t_on: float, peak_hz: float | None) -> None:
        self.n_pops += 1
        self.prev_pop = self.last_pop
        self.last_pop = k
        self.last_pop_db = peak
        self.last_pop_hz = peak_hz
        self.last_t_on = t_on

    def _judge(self, k: int, c: int, hn: int | None = None,
               reach: bool | None = None) -> CavitationEvent | object | None:
        """The candidate at frame ``k`` on channel ``c``, judged on ``hn`` frames after its peak
        (the horizon's by default): its event, or None. ``reach``: whether a run that ``pitch`` or
        ``copy`` found cut off by the horizon is followed further, to ``run_reach_ms`` after the
        peak (True), or may be (False: then ``LATER`` is returned when only that run's end can
        still make it a pop); None: neither."""
        s, ch, fs_ms = self.scheme, self.ch, self.frame_s * 1e3
        unseen: list[str] = []                         # (pitch, copy: their runs cut off by the horizon)
        to_pass = max(self.early_score if self._trial else self.pass_score,     # (the mean it needs)
                      self.near_voice_score if self._near_voice(k) else -np.inf,
                      self.run_reach_score if reach else -np.inf)   # (it looked voiced until its run ended)
        k_lo = k - self.pre_n - 2
        k_hi = min(self.frames.end, k + self.peak_n + (self.hor_n if hn is None else hn) + 1)
        rows = self.frames.get(k_lo, k_hi)
        i0 = k - max(k_lo, self.frames.start)          # candidate's row
        db = rows[:, c]
        floor = float(rows[i0, ch + c])
        p = i0 + int(np.argmax(db[i0:i0 + self.peak_n + 1]))
        peak = float(db[p])
        snr = peak - floor
        tail = db[p + self.peak_n:]
        active = np.count_nonzero(tail > peak - 12.0) / len(tail) if len(tail) else 0.0
        pre = db[max(0, i0 - self.pre_n):max(0, i0 - 1)]
        contrast = peak - median(pre) if len(pre) else snr
        # a pop in a cluster ends where the next one starts: decay and duration stop there
        sharp = self._onsets_after(db, p, floor)
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
        gap = peak - median(tail) if len(tail) else drop
        # each feature's margin past its threshold, in units of its spread between pops and
        # distractors (PopScheme): positive favours a pop. Candidates are decided in time order, so
        # whether a pop came just before does not depend on how the audio was chunked
        feats = (self.feats_third if (k - self.prev_pop <= self.cluster_n and (
                    s.cluster_third_db is None or peak > self.last_pop_db - s.cluster_third_db)) else
                 self.feats_cluster if k - self.last_pop <= self.cluster_n else
                 self.feats_louder if (snr < s.louder_level_db and k - self.last_pop > self.louder_n
                                       and self._louder_since(k, c, max(peak - s.louder_db, floor + s.on_db))
                                       >= s.louder_from_ms) else
                 self.feats_voice if k - self.last_voice <= self.cluster_n else self.feats)
        # just after a louder sound, or a voice before the run, a short run of like sounds is
        # more likely the voice's last pulses than a cluster (see _unless_short)
        run_ok = feats is not self.feats_louder
        v = dict(level=snr, contrast=contrast, decay=drop - need + s.decay_db[0], onset=jump,
                 activity=active, gap=gap, duration=dur_ms)
        z = {n: sign * (v[n] - thr) / spread for n, (thr, spread, sign) in feats.items() if n in v}
        if self.trace is None and self._hopeless(z, to_pass):
            return self._reject(z, k)                  # spare the costlier features
        hop = self.fe.hop
        j0 = max((k - self.pre_n) * hop, self.y.start)
        j_c = max((k - self.reach_n) * hop, self.y.start)       # the copy and run reach further back
        r0 = max(j_c - self.warm_r, self.y.start)
        sig: list[np.ndarray] = []                     # the timing signal, once a feature needs it
        k_run = min(self.frames.end, k + self.peak_n + self.run_reach_n + 1) if reach else k_hi
        if reach:                                      # (the last sample this decision uses, for _decide)
            t_run = self.times.get(k_run * self.fe.hop - 1, k_run * self.fe.hop)
            self.reached_s = float(t_run[0, 0]) if len(t_run) else float(self.t_last)

        def timing_signal() -> list[np.ndarray]:       # [from r0 (the copy's reach), from j0, to k_run]
            if not sig:
                r_run = signal.lfilter(*self.ba_hp, self.y.get(r0, k_run * hop)[:, c])
                r_all = r_run[:k_hi * hop - r0]        # (a causal filter: the same samples to k_hi)
                sig.extend((r_all, r_all[j0 - r0:], r_run))
            return sig

        n_sp = max(2, min(end - i0, round(6.0 / fs_ms)))

        crack = False
        crack_thr = s.band_frac_crack                  # (the band share a crack needs: band())
        high = None                                    # the high band to the horizon (band, hiss)

        def band() -> float:
            nonlocal crack, crack_thr, high
            # just after a pop, the band-pass and the low-pass still ring with it: measured afresh
            fresh = (self.fresh_lead_n if k - self.last_pop <= self.fresh_n and self.last_pop_hz is not None
                     and self.last_pop_hz <= s.fresh_hz and peak > self.last_pop_db - s.fresh_db else None)
            e = 10 ** ((db[i0:i0 + n_sp] if fresh is None else self.side.fresh_band(self.y, k, n_sp, c, fresh)) / 10)
            ex_band = max(float(e.sum() - n_sp * 10 ** (floor / 10)), 0.0)
            high = self.side.high(self.native, k, k_hi, c)
            ex_high, ex_low, high_late = self.side.excess(self.native, self.y, k, n_sp, c, self.crack_n, high, fresh)
            # energy above the band that is over within 3 ms is a crack at the onset, as a
            # microphone in the air near the skin hears one; a click or a fricative lasts longer
            crack = high_late < 0.1 * ex_high
            if crack:                                  # (a click that lost its top passes for one)
                crack_thr = (s.band_frac_crack if self.side.top_gone_db(self.native, k, c, high)
                             < s.crack_top_gone_db else s.band_frac_crack_narrow)
            return ex_band / max(ex_band + ex_high + ex_low, 1e-30)

        # the costlier features, cheapest first; stop as soon as the candidate cannot pass
        def unless_short(name: str, sim_lag: tuple[float, int]) -> float:   # (pitch and copy: not a short run's)
            sim, n_before = self._unless_short(*sim_lag, k, timing_signal()[2], r0, j_c, run_ok)
            if n_before == UNSEEN and reach is False:
                unseen.append(name)
            return sim

        trains: list[int] = []                         # (the train, once computed: voicing may need it)

        def train() -> int:
            if not trains:
                trains.append(self._train(k, k_hi, c))
            return trains[0]

        def voicing() -> float:
            lo = self.lag_n[0]
            q = self.own_quiet_n
            if (q is not None and k >= q and k - self.last_voice > q and dur_ms <= s.own_period_max_ms
                    and train() <= s.own_period_train):
                f = peak_frequency(timing_signal()[1], max((k - 2) * hop - j0, 0), 10 ** 12, self.fe.fs,
                                   s.band_hz)
                if f:
                    lo = max(lo, int(round(1.0 / (f * self.frame_s))))
            return self._periodicity(k, k_hi, c, lo)

        later = (("voicing", voicing),
                 ("pitch", lambda: unless_short("pitch", pitch_at(timing_signal()[1], self.lag_n, hop,
                                                                  k * hop - j0, s.pitch_ring_db))),
                 ("band", band),
                 ("train", train),
                 ("copy", lambda: unless_short("copy", copy_similarity(timing_signal()[0], r0, k, hop, self.copy_n,
                                                                       self.copy_back_n, self.copy_tab,
                                                                       s.copy_ring_db, with_lag=True))))
        # a run cut off by the horizon may still end as a cluster's does: the margins as they would
        # be if it did, and those that rejected the candidate meanwhile (rejected with them when
        # even its end cannot save it)
        def if_short(z: dict[str, float]) -> dict[str, float]:
            return {n: (feats[n][2] * -feats[n][0] / feats[n][1] if n in unseen else m) for n, m in z.items()}

        snap: dict[str, float] | None = None
        for name, compute in later:
            v[name] = compute()
            thr, spread, sign = feats[name]
            if name == "band" and crack:
                thr = crack_thr
            z[name] = sign * (v[name] - thr) / spread
            if self.trace is None:
                if snap is None and self._hopeless(z, to_pass):
                    if not unseen:
                        return self._reject(z, k)
                    snap = dict(z)
                if snap is not None and self._hopeless(if_short(z), to_pass):
                    return self._reject(snap, k)
        band_frac, periodic = v["band"], v["voicing"]
        r = timing_signal()[1]
        weakest = min(z, key=z.get)
        zc = np.sort(np.clip(list(z.values()), -3.0, 3.0))
        zm = float(np.mean(zc))
        conf = logistic(zm, s.min_score, 0.5)
        fails = snap is not None or self._fails(z, to_pass)
        if fails and unseen and not self._fails(if_short(z), to_pass):
            return LATER                               # (nothing counted or kept: judged again then)
        if self.trace is not None:
            self._traced = (k, v, z)                  # (kept once it is decided: _decide, _early)
            if not self._trial:
                self.trace.append(self._traced)
        if fails:
            return self._reject(snap if snap is not None else z, k)
        if snr < s.voice_before_db and self._voice_before(k, c) >= s.voice_before:
            return self._vetoed("voice before")
        if (float(np.mean(db[-self.end_n:])) > peak - s.after_end_db
                and voice_after(r, j0, k + (p - i0), k_hi, hop, self.fe.fs, s) >= s.voice_after):
            return self._vetoed("voice after")
        hiss, fade = self.side.hiss(high, (p - i0) + int(round(s.after_ms / fs_ms)), k_hi - k, self.crack_n[0])
        if hiss >= s.hiss_after_db and fade > -s.hiss_fade_db:
            return self._vetoed("hiss after")
        if s.pre_echo_db is not None:
            ahead = db[p + 1:p + 1 + self.pre_echo_n]
            if len(ahead) and float(ahead.max()) - peak >= s.pre_echo_db:
                # a far louder sound within a few ms: this is a lossy codec's pre-echo of it
                return self._vetoed("pre-echo")
        self.c_now = c
        t_on, t_det, peak_hz, i_on = self._timing(r, j0, k, k + (p - i0), k_run, k + (q - i0))
        for k_o, c_o in self.others.get((k, c), ()):
            # the same pop on another channel: it is timed where it arrived first, when it is
            # heard there nearly as well (a weak sound's shape tells little: another sound on that
            # microphone just before may pass for the pop)
            rows_o = self.frames.get(k_o, k_o + self.peak_n + 1)
            if float(rows_o[:, c_o].max() - rows_o[0, ch + c_o]) < snr - s.channel_level_db:
                continue
            kp_o = k_o + int(np.argmax(rows_o[:, c_o]))
            j_o = self._onset(k_o, kp_o, c_o)
            tt = self.t_native.get(j_o, j_o + 1)
            if len(tt) and float(tt[0, 0]) - self.delay_s < t_on:
                t_on = float(tt[0, 0]) - self.delay_s
        y = np.asarray(self.y.get(j0, k_hi * hop)[:, c], dtype=np.float64)
        ring_ms, step, fall_db = ring(y, i_on, (k + (q - i0)) * hop - j0, self.fe.fs, s)
        if step >= s.step_share:
            return self._vetoed("step")
        if ring_ms < s.ring_min_ms:
            return self._vetoed("short")
        if s.ring_fall_db is not None and fall_db >= s.ring_fall_db:
            return self._vetoed("abrupt")              # a digital click: over within its loudest 0.5 ms
        if peak_hz is not None and peak_hz >= s.click_min_hz:
            # a bright ring counts against, as a third margin (what a ring at peak_hz leaks above
            # the band through the filters is not brightness); a dark one does not count for
            bright = brightness(db, i0, p, q - self.rise_n, floor, high, self.ring_n, self.frame_s, s)
            if np.isfinite(bright):                   # (-inf: no ring, which never counts against)
                bright_max = max(s.click_bright_db[0], self.side.leak_db(peak_hz) + s.click_leak_db)
                bright = min((bright_max - bright) / s.click_bright_db[1], 0.0)
            else:
                bright = 0.0
            if min(z["decay"], 3.0) + min(z["band"], 3.0) + bright < s.click_pair_min:
                return self._vetoed("click")
        elif (peak_hz is not None and s.thud_swell_db is not None
              and swell(r, i_on, (k + (q - i0)) * hop - j0, peak_hz, self.fe.sos_b, self.fe.fs, s)
              < s.thud_swell_db):
            # a ring that still swells after its steepest rise is a thud (a heel, a block set
            # down): a pop's is loudest at once
            return self._vetoed("thud")
        reason = (f"{jump:.0f} dB rise in {s.smooth_ms:.0f} ms, {drop:.0f} dB decay in {s.max_decay_ms:.0f} ms, "
                  f"{100 * band_frac:.0f}% of energy in {s.band_hz[0]:.0f}–{s.band_hz[1]:.0f} Hz"
                  f"{' (and a crack above it)' if crack else ''}, "
                  f"{snr:.0f} dB over floor, {contrast:.0f} dB over the 20 ms before, "
                  f"voicing {periodic:.2f}; weakest: {weakest}")
        if t_on - self.last_t_on < s.same_pop_ms * 1e-3:
            # its onset this close to the last pop's: that pop again (a lossy codec's pre-echo
            # before a sharp onset made a candidate of its own)
            return self._vetoed("same pop")
        if self._trial:
            self._trial_pop = (k, peak, t_on, peak_hz)  # (given by _early)
        else:
            self._given(k, peak, t_on, peak_hz)
        return CavitationEvent(t=t_on, level_db=round(peak, 2), confidence=round(conf, 3),
                               duration_ms=round(dur_ms, 2), peak_hz=peak_hz, thrust=None,
                               reason=reason, t_detect_s=t_det)

    def _near_voice(self, k: int) -> bool:
        """Whether the candidate at frame ``k`` comes within ``near_voice_ms`` after a voice: two
        candidates rejected on a voice feature (not after a pop) in that time, as far apart as
        ``near_voice_span_ms`` says (a voice goes on from one syllable to the next; a cluster of
        pops that looked voiced, its first missed, is over within the least of it, and the next
        cluster comes later than the most)."""
        v = self.voiced
        while v and k - v[0] > self.near_voice_n:
            v.popleft()
        lo, hi = self.near_span_n
        for i, a in enumerate(v):
            j = bisect.bisect_left(v, a + lo, i + 1)
            if j < len(v) and v[j] - a <= hi:
                return True
        return False

    def _fails(self, z: dict[str, float], need: float) -> bool:
        """Whether all the margins ``z`` reject a candidate: one past ``veto``, the two smallest (each
        clipped to ±3) under ``pair_min``, or their mean under ``need``."""
        s = self.scheme
        zc = np.sort(np.clip(list(z.values()), -3.0, 3.0))
        return bool(min(z.values()) < -s.veto or zc[0] + zc[1] < s.pair_min or float(np.mean(zc)) < need)

    def _hopeless(self, z: dict[str, float], need: float) -> bool:
        """Whether the features known so far (``z``) already reject the candidate, whatever the
        others will be: one far on the wrong side, two that sum below ``pair_min`` (the two
        smallest of all can only be smaller), or a mean that cannot reach ``need`` (``_judge``'s:
        ``min_score`` or more) even with every other margin at its clip (+3)."""
        s = self.scheme
        # clipping keeps the order, so this is the sorted clipped margins, at half the cost
        zc = [-3.0 if x < -3.0 else 3.0 if x > 3.0 else x for x in sorted(z.values())]
        n_all = self.n_features
        return (zc[0] < -s.veto or (len(zc) > 1 and zc[0] + zc[1] < s.pair_min)
                or (sum(zc) + 3.0 * (n_all - len(zc))) / n_all < need)

    def _reject(self, z: dict[str, float], k: int) -> None:
        if self._trial:
            return None
        weakest = min(z, key=z.get)
        if weakest in VOICE:                           # the candidates after it are judged stricter
            self.last_voice = k
            if k - self.last_pop > self.cluster_n:     # (not a pop's cluster that went on looking voiced)
                self.voiced.append(k)
            self.talk_ks.append(k)
        return self._vetoed(weakest)

    def _vetoed(self, why: str) -> None:
        if self._trial:
            return None
        self.rejected[why] = self.rejected.get(why, 0) + 1
        return None

    def _unless_short(self, sim: float, lag: int, k: int, r: np.ndarray, j_r: int, j_ok: int,
                      run_ok: bool) -> tuple[float, int]:
        """A voice feature's likeness ``sim`` (found at ``lag`` samples), or 0 when the sound
        repeating at that lag is a short run (:func:`short_run`): a cluster of pops. ``r`` is the
        timing signal from sample ``j_r``, settled from ``j_ok``; ``run_ok``: whether the
        candidate may be judged so at all. Also what ``short_run`` gave (``UNSEEN``: the run
        still sounds where ``r`` ends)."""
        s = self.scheme
        if sim <= 0 or s.run_max is None or not run_ok:
            return sim, -1
        hop = self.fe.hop
        n1 = hop * self.copy_n[0]                     # 1 ms
        n_before = short_run(r, k * hop - n1 - j_r, lag, n1, s.run_quiet_db, s.run_max, j_ok - j_r, s.run_level_db,
                             unseen=UNSEEN)
        if n_before < 0:
            return sim, n_before
        # a candidate rejected as voice just before the run (not one of its own) makes it the
        # voice's last pulses
        k_run = k - (n_before * lag + n1) // hop - 1
        return (sim if k_run - self.cluster_n <= self.last_voice < k_run else 0.0), n_before

    def _periodicity(self, k: int, k_hi: int, c: int, lo: int | None = None) -> float:
        """How much the band envelope around frame ``k`` repeats itself at a voice's pitch period
        (from ``lo`` frames on, if given: see ``own_period_quiet_ms``)."""
        lag_n = self.lag_n if lo is None else (min(lo, self.lag_n[1]), self.lag_n[1])
        return envelope_periodicity(self.frames.get(k - self.look_n, k_hi), c, self.ch, lag_n)

    def _voice_before(self, k: int, c: int) -> float:
        """The same periodicity over the 150 ms before the candidate (up to 2 ms before it)."""
        return envelope_periodicity(self.frames.get(k - self.before_n, k - self.peak_n), c, self.ch, self.lag_n)

    def _louder_since(self, k: int, c: int, level_db: float) -> float:
        """How long before the candidate (ms) the smoothed pop band was first over ``level_db`` in
        the ``louder_ms`` before it (up to 2 ms before it); 0 if it never was."""
        db = self.frames.get(k - self.louder_n, k - self.peak_n)[:, c]
        over = np.flatnonzero(db > level_db)
        return (self.peak_n + len(db) - int(over[0])) * self.frame_s * 1e3 if len(over) else 0.0

    def _train(self, k: int, k_hi: int, c: int) -> int:
        """The run of evenly spaced sharp onsets through the candidate (:func:`onset_train`)."""
        lo = k - self.look_n - self.rise_n
        return onset_train(self.frames.get(lo, k_hi), max(lo, self.frames.start), k, c, self.ch, self.rise_n,
                           self.scheme, self.train_lag_n)

    def _timing(self, r: np.ndarray, j_r: int, k: int, kp: int, k_hi: int,
                k_next: int) -> tuple[float, float, float | None, int]:
        """Onset time, decision time and peak frequency of a pop found at frame ``k`` (peak at
        frame ``kp``; the next pop of its cluster, if any, rises at frame ``k_next``), and the
        onset's index in ``r``. The onset is found at the native rate, on the 70 Hz high-passed
        samples from 2 frames before the candidate to its peak; the peak frequency on the timing
        signal ``r`` (internal rate, first sample ``j_r``)."""
        fe = self.fe
        j_on = self._onset(k, kp, self.c_now)
        tt = self.t_native.get(j_on, j_on + 1)
        t_on = float(tt[0, 0]) - self.delay_s if len(tt) else float("nan")
        td = self.times.get(k_hi * fe.hop - 1, k_hi * fe.hop)
        t_det = float(td[0, 0]) if len(td) else float(self.t_last)
        j_i = max(j_on // fe.m - j_r, 0)
        peak_hz = peak_frequency(r, j_i, (k_next * fe.hop) - j_r, fe.fs, self.scheme.band_hz)
        return t_on, t_det, peak_hz, j_i

    def _onset(self, k: int, kp: int, c: int) -> int:
        """Native-rate index of the onset of the sound whose candidate is frame ``k`` (peak at frame
        ``kp``) on channel ``c``: on the 70 Hz high-passed samples from 2 frames before the
        candidate to its peak (:func:`~analysis.cavitation_waveform.onset`)."""
        fe = self.fe
        span = fe.hop * fe.m
        a0 = max((k - self.pre_n) * span, self.native.start)
        w0 = max(a0 - self.warm_r * fe.m, self.native.start)
        j0, j1 = max((k - 2) * span, a0), (kp + 1) * span
        return onset(self.native.get(w0, j1)[:, c], self.ba_hp_n, w0, a0, j0, 16 * fe.m)

