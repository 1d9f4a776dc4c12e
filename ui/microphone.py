"""The microphone beside a source: a source that plays its own sound (a recorded session with
audio) keeps it, and the microphone stays off, in the trainer and in ``record`` alike.

The played sound shares the recording's timeline with its force, so its pops fall on the
thrusts they came with; a microphone's sound, from another moment, would be a second sound on
that one timeline.
"""

from __future__ import annotations


def plays_sound(source) -> bool:
    """Whether ``source`` plays sound of its own (a recording with audio)."""
    return "audio" in (getattr(source, "streams", None) or {})


def mic_refused(source, advice: str, name: str | None = None) -> str | None:
    """The one line saying the microphone is not turned on beside ``source``, or None when it
    plays no sound of its own. ``name`` stands for the source's name (default: its own);
    ``advice`` says, in the caller's words, how to use the microphone all the same."""
    if not plays_sound(source):
        return None
    name = name or source.info.get("name", source.spec)
    return f"microphone not turned on: {name} plays its own sound ({advice})"
