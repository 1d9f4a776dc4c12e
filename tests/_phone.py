"""A phone's or a camera's recording of the thrust fixture's sound, as such devices write them
(AAC in MPEG-4, with a video track or without; Opus in WebM), encoded here by PyAV (FFmpeg's
encoders), which gradecoach decodes them with."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "fixtures" / "thrust_pops.flac"      # 13 pops, 3.17–28.24 s (16 kHz)
# the fixture's pops per thrust, with its force (fixtures/thrust_pops.csv)
POPS_PER_THRUST = [4, 1, 2, 0, 2, 4]


def phone_recording(path, codec: str = "aac", fmt: str | None = None, video: bool = False,
                    kbps: int = 96, seconds: float | None = None, faststart: bool = False,
                    noise_substitution: bool = True) -> Path:
    """The fixture's sound as ``path`` (format from its suffix unless ``fmt``), in ``codec`` at
    ``kbps``; with ``video``, beside a small video track (a phone's video); ``seconds``: only the
    first that many; ``faststart``: an MPEG-4's index (its 'moov' box) before its sound, as a file
    made to be streamed or downloaded has it (a phone's recorder writes it last);
    ``noise_substitution`` False: AAC without PNS (bands coded as "noise here", which the decoder
    draws from a random state that runs on from frame to frame: decoding from anywhere but the
    start, after a seek or damage, draws other noise there)."""
    import av
    x, sr = sf.read(str(CLIP), dtype="float32")
    if seconds is not None:
        x = x[:int(seconds * sr)]
    with av.open(str(path), "w", format=fmt, options={"movflags": "faststart"} if faststart else None) as box:
        v = None
        if video:
            v = box.add_stream("mpeg4", rate=25)
            v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        a = box.add_stream(codec, rate=sr if codec != "libopus" else 48000,
                           options={"aac_pns": "0"} if codec == "aac" and not noise_substitution else None)
        a.layout, a.bit_rate = "mono", kbps * 1000
        frame = av.AudioFrame.from_ndarray(x[None, :], format="flt", layout="mono")
        frame.sample_rate, frame.pts = sr, 0
        fit = av.AudioResampler(format=a.format.name, layout="mono", rate=a.rate)
        packets = [p for g in fit.resample(frame) + fit.resample(None) for p in a.encode(g)] + list(a.encode(None))
        if v is not None:
            for i in range(int(len(x) / sr * 25)):
                pic = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i % 256, np.uint8), format="rgb24")
                pic.pts = i
                packets += v.encode(pic)
            packets += v.encode(None)
        for p in packets:
            box.mux(p)
    return Path(path)
