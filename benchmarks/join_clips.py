"""Join the short audio clips of each folder into one 48 kHz file, for ``bench_cavitation.py
--recordings`` (which skips files under a second).

Spoken-word collections (one word or line per file) are real speech by many voices, but a
clip may start or end on a sample far from zero; joined end to end, such a step would be a click
that no microphone hears. Each clip is therefore faded in and out over 5 ms before joining.

Run: ``.venv/bin/python benchmarks/join_clips.py OUT_DIR FOLDER...`` — writes ``OUT_DIR/<folder
name>.wav`` (32-bit float) for every FOLDER holding audio files (not its sub-folders); arguments
that are not folders are skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_cavitation import audio_files  # noqa: E402

RATE = 48000
FADE_S = 0.005


def join(folder: Path) -> tuple[np.ndarray, int]:
    """The clips of ``folder`` (sorted by name, first channel) at ``RATE``, faded and joined;
    and how many were read (unreadable files are skipped)."""
    parts = []
    for _, x, fs in audio_files(sorted(folder.iterdir()), "float64"):
        x = x[:, 0]
        if fs != RATE:
            g = np.gcd(int(fs), RATE)
            x = signal.resample_poly(x, RATE // g, int(fs) // g)
        n = min(len(x) // 4, int(FADE_S * RATE))
        if n > 1:
            ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(n) / n)
            x[:n] *= ramp
            x[-n:] *= ramp[::-1]
        parts.append(x)
    return (np.concatenate(parts) if parts else np.zeros(0)), len(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("folders", type=Path, nargs="+")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    folders = []
    for folder in args.folders:
        if folder.is_dir():
            folders.append(folder)
        else:
            print(f"{folder}: not a folder, skipped", file=sys.stderr)
    for folder, name in zip(folders, out_names(folders)):
        y, n = join(folder)
        if n:
            sf.write(str(args.out / f"{name}.wav"), y.astype(np.float32), RATE, subtype="FLOAT")
            print(f"{name}.wav: {n} clips, {len(y) / RATE:.1f} s")


def out_names(folders: list[Path]) -> list[str]:
    """Each folder's name, with as many of its parents' names before it (joined by "_") as it
    takes to tell it from the others: a game's lines in fdto/cs and gods/cs are fdto_cs and
    gods_cs, where both were written to cs.wav, the second over the first."""
    parts = [folder.resolve().parts for folder in folders]
    depth = [1] * len(folders)
    while True:
        names = ["_".join(p[-d:]) for p, d in zip(parts, depth)]
        same = [i for i, nm in enumerate(names) if names.count(nm) > 1 and depth[i] < len(parts[i])]
        if not same:
            return names
        for i in same:
            depth[i] += 1


if __name__ == "__main__":
    main()
