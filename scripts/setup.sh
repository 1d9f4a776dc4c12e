#!/usr/bin/env bash
# Installs what gradecoach needs: Debian/Ubuntu system libraries (as root with apt, otherwise
# prints the apt command), then a virtual environment in .venv with the project and its test tools.
# Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  python3-venv            # virtual environments
  gcc libc6-dev           # tests compile the firmware's C frame encoder
  libportaudio2           # microphone input (PortAudio)
  libsndfile1             # audio files
  libasound2              # ALSA (PortAudio's backend on Linux)
  libegl1 libgl1 libopengl0 libfontconfig1 libxkbcommon0 libdbus-1-3   # Qt 6
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0   # Qt on an X11 desktop
)
OPTIONAL_PACKAGES=(postgresql)   # lets the library tests run against a real PostgreSQL server

missing=()
for p in "${SYSTEM_PACKAGES[@]}" ${GRADECOACH_WITH_OPTIONAL:+"${OPTIONAL_PACKAGES[@]}"}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    echo "installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v apt-get >/dev/null; then
    echo "gradecoach needs these system packages; please run:"
    echo "  sudo apt-get install -y ${missing[*]}"
    exit 1
  else
    echo "note: not a Debian/Ubuntu system; make sure these libraries are installed: ${missing[*]}"
  fi
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "gradecoach needs Python 3.11 or newer (found $("$PY" --version 2>&1)); set PYTHON=/path/to/python3.11"
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.gradecoach-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
