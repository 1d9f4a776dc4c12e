"""An ALSA configuration whose default capture device is the file plugin reading a pipe."""

from __future__ import annotations

ASOUNDRC = """
pcm.!default {{ type asym  playback.pcm "null"  capture.pcm "cap" }}
pcm.cap {{ type file  slave.pcm "null"  file "/dev/null"  infile "{raw}"  format "raw" }}
pcm.null {{ type null }}
"""
