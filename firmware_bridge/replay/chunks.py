"""A recording's streams as :class:`analysis.Chunk` objects, interleaved in time order as a
live source delivers them; the audio read up to a tear, with what was cut or silent said."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from analysis.chunk import Chunk
from firmware_bridge.replay.audio_file import (UNKNOWN_FRAMES, _header_frames, _ogg_cut, audio_info,
                                               read_until_torn, wav_past_data)
from firmware_bridge.replay.dead_audio import (CLIP_WARN_SHARE, DEAD_FRAME_S, FLOOR_FROM_S,
                                               MIN_AUDIO_S, POP_MAX_S, DeadStretches, dead_note, clipping_warning)
from firmware_bridge.replay.inputs import ReplayInput
from firmware_bridge.session import StreamData


def stream_chunks(sd: StreamData, stream: str, chunk_s: float) -> Iterator[Chunk]:
    t = sd.t_s
    if not len(t):
        return
    # a chunk per chunk_s of the timeline that holds samples (a gap of years makes no empty ones)
    k = np.floor((t - t[0]) / chunk_s)
    edges = np.concatenate([[0], np.flatnonzero(np.diff(k)) + 1, [len(t)]])
    rate = sd.rate_hz
    for a, b in zip(edges[:-1], edges[1:]):
        if b > a:
            yield Chunk(t[a:b], sd.values[a:b], int(a), stream, rate)


def _decodes_at(path, at: int, count: int) -> bool:
    """Whether ``count`` frames of the sound file ``path`` decode from its frame ``at``."""
    import soundfile as sf

    from firmware_bridge.sound_files import open_sound
    try:
        with open_sound(path) as h:
            h.seek(at)
            return len(h.read(count, dtype="float32")) > 0
    except (RuntimeError, sf.LibsndfileError):
        return False


def _decodes_again(path, n: int, frames: int, step: int) -> int | None:
    """The first frame (to ``step`` frames) past the frame ``n`` from which the file decodes again,
    damage skipped (a FLAC's frames each carry a sync code and a checksum, so the decoder finds its
    way after bytes overwritten); None when none does before ``frames`` (a file torn there).
    Sought forward in doubling steps, then halved back."""
    lo, k = n, step
    while n + k < frames and not _decodes_at(path, n + k, step):
        lo, k = n + k, 2 * k
    if n + k >= frames:
        return None
    hi = n + k
    while hi - lo > step:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if _decodes_at(path, mid, step) else (mid, hi)
    return hi


class PastDamage:
    """The sound of the open file ``f`` (at ``path``) in blocks of ``block`` frames, iterated as
    ``(its first frame on the file's timeline, block)``, to its end or a tear, going on past
    damaged stretches that the sound decodes again after: a FLAC's found by trying to decode
    further on (:func:`_decodes_again`), a phone's recording's by its decoder
    (:meth:`~firmware_bridge.sound_files.DecodedSound.resume`). ``small``: the steps a torn
    block is read again in (:func:`read_until_torn`). Once iterated: ``n``, the timeline's frame
    after the last one read; ``got``, the frames read; ``skips``, ``(frames read before it, its
    first frame, frames)`` of each stretch skipped; ``errors``, the decoder's words where the
    last read stopped (none: read to its end); ``why``, its words on the first damage skipped;
    ``never_closed``, whether the file gives no length (read to where it stops, not past it)."""

    def __init__(self, f, path, block: int, small: int | None = None) -> None:
        self.f, self.path, self.block, self.small = f, path, block, small
        self.n, self.got, self.skips, self.errors, self.why = f.tell(), 0, [], [], ""
        self.never_closed = f.frames >= UNKNOWN_FRAMES     # (no length: a FLAC whose recorder was killed)

    def __iter__(self) -> Iterator[tuple[int, np.ndarray]]:
        from firmware_bridge.sound_files import DecodedSound, open_sound
        f = self.f
        g = f
        try:
            while True:
                self.errors = []
                for blk in read_until_torn(g, self.block, self.small, errors=self.errors):
                    yield self.n, blk
                    self.n += len(blk)
                    self.got += len(blk)
                if g is not f:
                    g.close()
                    g = f
                # (a file never closed has no end to look for sound up to: torn where it stops; one
                # PyAV decodes goes on past the packets it refuses, from where it is)
                if not self.errors or self.never_closed:
                    return
                if isinstance(f, DecodedSound):
                    on = f.resume()
                else:
                    on = _decodes_again(self.path, self.n, f.frames, max(1, int(round(0.05 * f.samplerate))))
                if on is None:
                    return
                self.skips.append((self.got, self.n, on - self.n))
                self.why = self.why or self.errors[0]
                if not isinstance(f, DecodedSound):         # (which reads on itself: g is f)
                    g = open_sound(self.path)
                    g.seek(on)
                self.n = on
        finally:
            if g is not f:
                g.close()


class _SkippedFrames:
    """``inp`` whose :meth:`audio_times` takes the index of a sample as read, past unreadable
    stretches skipped (``skips``: samples read before each, and its frames), as
    :class:`DeadStretches` counts them: the file's own frame is what places it."""

    def __init__(self, inp: ReplayInput, skips: list[tuple[int, int, int]]) -> None:
        object.__setattr__(self, "_inp", inp)
        object.__setattr__(self, "_skips", skips)

    def __getattr__(self, name):
        return getattr(self._inp, name)

    def __setattr__(self, name, value) -> None:
        setattr(self._inp, name, value)

    def audio_times(self, index, file_rate_hz: float):
        i = np.asarray(index)
        return self._inp.audio_times(i + sum(np.where(i >= got, k, 0) for got, _, k in self._skips), file_rate_hz)


# a WebM's sound this much (s) shorter than the length its header gives is cut (Opus's own
# start-up samples make it 8 ms shorter in a whole one)
CUT_SHORT_S = 0.1


def _audio_chunks(inp: ReplayInput, chunk_s: float) -> Iterator[Chunk]:
    """The audio file in chunks of ``chunk_s``, up to a tear if it has one (a warning says
    where it ends); a damaged stretch that the sound decodes again after is skipped, the chunks'
    times and first sample numbers jumping over it, and said in one line; it and its stretches
    with no usable sound are noted in ``inp.dead_audio`` (a warning says where). Its clipping is
    said as soon as the sound read so far is clipped (the warning that its whole says once it has
    been read), in one line kept to the share read so far: a screenshot's reading stops at its
    time, before the file's end."""
    from firmware_bridge.sound_files import DecodedSound, open_sound
    path = inp.audio_path
    sr, _, _ = audio_info(path)
    dead = DeadStretches(max(1, int(round(DEAD_FRAME_S * sr))))
    said = None
    with open_sound(path) as f:
        reader = PastDamage(f, path, max(1, int(round(chunk_s * sr))))
        for n, blk in reader:
            dead.feed(blk)
            if len(blk):
                share = dead.clipped_share()
                line = f"{path}: {clipping_warning(share)}" if share >= CLIP_WARN_SHARE else None
                if line != said:                       # (one line, its share the sound's read so far)
                    if said is not None:
                        inp.warnings.remove(said)
                    if line is not None:
                        inp.warnings.append(line)
                    said = line
            yield Chunk(inp.audio_times(n + np.arange(len(blk)), sr), blk, n, "audio", float(sr))
    n, got, errors, skips, why = reader.n, reader.got, reader.errors, reader.skips, reader.why
    never_closed = reader.never_closed
    if said is not None:                               # (read to its end: said of the whole below)
        inp.warnings.remove(said)
    dead_note(_SkippedFrames(inp, skips) if skips else inp, path, dead, sr)
    if skips:
        spans = [tuple(float(t) for t in inp.audio_times([a, a + k], sr)) for _, a, k in skips]
        inp.dead_audio = [*inp.dead_audio, *spans]
        t0, t1 = spans[0]
        at = f"at {t0:.2f}–{t1:.2f} s" if t0 >= 0 else f"from {t0:.2f} to {t1:.2f} s"
        more = f" and {len(spans) - 1} more place{'s' if len(spans) > 2 else ''}" if len(spans) > 1 else ""
        inp.warnings.append(f"{path}: {sum(k for *_, k in skips) / sr:.2f} s of audio unreadable {at}{more} "
                            f"({why}), skipped; the sound after it is analysed")
    if 0 < n < MIN_AUDIO_S * sr and not errors and not skips:
        inp.dead_audio = [tuple(float(t) for t in inp.audio_times([0, n], sr))]
        inp.warnings.append(f"{path}: only {n} sample{'s' if n != 1 else ''} of audio ({1e3 * n / sr:.3g} ms): too "
                            f"short to hear a pop in (the detector takes its first {1e3 * FLOOR_FROM_S:g} ms for a "
                            f"noise floor, and a pop lasts 3–{1e3 * POP_MAX_S:g} ms); the pops of the thrusts it "
                            f"covers are unknown")
    # what was read is analysed, and so are the other streams: a warning, not an error
    claimed = _header_frames(path, n)
    cut = None if errors or claimed is not None else _ogg_cut(path)
    if errors and not got:
        inp.audio_unreadable = True
        inp.warnings.append(f"{path}: unreadable audio, none of its sound decodes ({errors[0]}); its pops are "
                            f"unknown, the rest is analysed without it")
    elif not errors and claimed is not None:
        inp.audio_cut_said = True
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, short of the {claimed / sr:.2f} s "
                            f"its header gives (the file was cut)")
    elif cut:
        inp.audio_cut_said = True
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, where the file was cut ({cut})")
    elif not errors and isinstance(f, DecodedSound) and f.stated_s and n / sr < f.stated_s - CUT_SHORT_S:
        inp.audio_cut_said = True                   # (a WebM that stops short of the length it gives)
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, short of the {f.stated_s:.2f} s "
                            f"its header gives (the file was cut)")
    elif errors and isinstance(f, DecodedSound) and f.cut:
        inp.audio_cut_said = True                   # (a phone's file whose bytes run out in a packet)
        end = (f"short of the {f.frames / sr:.2f} s its header gives (the file was cut)" if f.frames > n
               else "where the file was cut")
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, {end}")
    elif errors and never_closed:
        inp.audio_cut_said = True
        inp.warnings.append(f"{path}: audio ends at {n / sr:.2f} s, where its recording was cut "
                            f"(the file was never closed)")
    elif errors:
        inp.audio_cut_said = True
        inp.warnings.append(f"{path}: audio unreadable after {n / sr:.2f} s ({errors[0]}); "
                            f"the rest is analysed without it")
    past = None if errors or claimed is not None else wav_past_data(path)
    if past:
        inp.warnings.append(f"{path}: the file holds {past[0] // past[1] / sr:.2f} s of audio past the "
                            f"{n / sr:.2f} s its header gives (its recorder did not finish the header?); only "
                            f"the first {n / sr:.2f} s are analysed")


def iter_chunks(inp: ReplayInput, chunk_s: float = 1.0, streams: tuple[str, ...] = ("force", "imu", "audio")) -> Iterator[Chunk]:
    """All streams of ``inp`` as chunks of about ``chunk_s`` seconds, merged in time order."""
    gens = []
    if inp.force is not None and "force" in streams:
        gens.append(stream_chunks(inp.force, "force", chunk_s))
    if inp.imu is not None and "imu" in streams:
        gens.append(stream_chunks(inp.imu, "imu", chunk_s))
    if inp.audio_path is not None and "audio" in streams:
        gens.append(_audio_chunks(inp, chunk_s))
    heads = [next(g, None) for g in gens]
    while True:
        live = [(h.t_s[-1], i) for i, h in enumerate(heads) if h is not None]
        if not live:
            return
        _, i = min(live)
        yield heads[i]
        heads[i] = next(gens[i], None)
