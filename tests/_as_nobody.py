"""scripts/setup.sh run as the unprivileged user nobody."""

from __future__ import annotations

import subprocess
from pathlib import Path

NOBODY = 65534


def as_nobody(repo: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                           "bash", str(repo / "scripts" / "setup.sh")], env=env, cwd="/",
                          capture_output=True, text=True, timeout=120)
