#!/usr/bin/env bash
# Installs what gradecoach needs: Debian/Ubuntu system libraries (as root with apt, otherwise
# prints the apt command and carries on), then a virtual environment in .venv with the project and its test tools.
# With GRADECOACH_FOR_TESTS=1 (./test) also what only the tests need: a C compiler and PostgreSQL.
# Safe to run again; it only does what is missing. Prints one line for each step it takes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$root"

# "a|b": either name will do; the first one apt knows is installed (Debian 13 and Ubuntu 24.04
# renamed several libraries with a "t64" suffix)
SYSTEM_PACKAGES=(
  python3-venv            # virtual environments
  libportaudio2           # microphone input (PortAudio)
  libsndfile1             # audio files
  "libasound2t64|libasound2"                  # ALSA (PortAudio's backend on Linux)
  "libglib2.0-0t64|libglib2.0-0"              # GLib: Qt's core library needs it, also offscreen
  libegl1 libgl1 libopengl0 libfontconfig1 libxkbcommon0 libdbus-1-3   # Qt 6
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0   # Qt on an X11 desktop
  fonts-droid-fallback fonts-nanum   # trainee names in Chinese, Japanese (Droid) and Korean (Nanum): not empty boxes
)
TEST_PACKAGES=(
  gcc libc6-dev           # tests compile the firmware's C frame encoder
  postgresql              # lets the library tests run against a real PostgreSQL server
)
stamp=.venv/.gradecoach-installed     # its first line: the folder the environment was made for

python_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }
# " (found Python 3.10.12)", or ": python3.9 cannot be run (its first line of complaint)": one
# line, never a pyenv shim's whole note on the versions that have it
python_found() {
  local out
  if ! command -v "$1" >/dev/null; then echo ": there is no $1"; return; fi
  out=$("$1" --version 2>&1) || true
  if [[ $out =~ ^Python\ [0-9][^$'\n']* ]]; then echo " (found ${BASH_REMATCH[0]})"
  else echo ": $1 cannot be run${out:+ (${out%%$'\n'*})}"; fi
}
# a .venv is deleted only by whoever can delete all of it: never hundreds of "Permission denied"
# lines and a half-deleted environment of another user's
remove_venv() {
  if [[ ! -w . ]] || [[ -n $(find .venv -type d ! -writable -print -quit 2>&1) ]]; then
    echo "cannot remake the virtual environment .venv: it is $(stat -c %U .venv)'s and you ($(id -un)) cannot delete it; run this as $(stat -c %U .venv), or clone gradecoach into a folder of your own"
    exit 1
  fi
  rm -rf .venv
}

# 1. a virtual environment already made here is kept, whatever python3 is now; one made for another
#    folder (a checkout moved or copied with its .venv) has scripts that start the other folder's
#    Python and an install of the other folder's code, so it is made again
venv_ready=
if [[ -e .venv ]]; then
  made_for=$(head -n 1 "$stamp" 2>/dev/null || true)
  if [[ -n $made_for && $made_for != "$root" ]] \
     || { [[ -e .venv/bin/pip ]] && ! head -n 3 .venv/bin/pip | grep -qF "$root/.venv/bin/python"; }; then
    echo "the virtual environment .venv was made for ${made_for:-another folder}; making it again here"
    remove_venv
  elif python_ok .venv/bin/python && [[ -e .venv/bin/pip ]]; then
    venv_ready=1
  elif { .venv/bin/python -c '' 2>/dev/null; (($? == 126)); }; then    # (126: found, not allowed to run)
    echo "cannot run .venv/bin/python (permission denied): the virtual environment .venv is $(stat -c %U .venv)'s, made with a Python you ($(id -un)) may not run; run this as $(stat -c %U .venv), or clone gradecoach into a folder of your own"
    exit 1
  else
    echo "the virtual environment .venv is incomplete or too old (Python 3.11 or newer is needed); making it again"
    remove_venv
  fi
fi

# 2. the Python to make it with, checked before anything is installed (a missing python3 comes
#    with python3-venv below)
PY=${PYTHON:-python3}
if [[ -z $venv_ready ]] && { [[ -n ${PYTHON:-} ]] || command -v "$PY" >/dev/null; } && ! python_ok "$PY"; then
  echo "gradecoach needs Python 3.11 or newer$(python_found "$PY"); set PYTHON=/path/to/python3.11"
  exit 1
fi

# 3. system libraries
installed() { dpkg-query -W -f='${Status}\n' "$1" 2>/dev/null | grep -q "install ok installed"; }
apt_knows() { LC_ALL=C apt-cache policy "$1" 2>/dev/null | grep -q "Candidate: [^(]"; }
choose() {   # for each "a|b" missing: the first name apt has a version of, else the last (older) name
  local alts n names
  for alts in "$@"; do
    IFS='|' read -ra names <<<"$alts"
    for n in "${names[@]}"; do apt_knows "$n" && break; done
    echo "$n"
  done
}
wanted=("${SYSTEM_PACKAGES[@]}")
[[ -n ${GRADECOACH_FOR_TESTS:-} ]] && wanted+=("${TEST_PACKAGES[@]}")
missing=()
for alts in "${wanted[@]}"; do
  IFS='|' read -ra names <<<"$alts"
  for n in "${names[@]}"; do installed "$n" && continue 2; done
  missing+=("$alts")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null && [[ $(id -u) -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    mapfile -t names < <(choose "${missing[@]}")
    echo "installing system packages: ${names[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${names[@]}" >/dev/null
  elif command -v apt-get >/dev/null; then
    mapfile -t names < <(choose "${missing[@]}")
    echo "gradecoach needs these system packages; please run:"
    echo "  sudo apt-get update && sudo apt-get install -y ${names[*]}"
    # what runs without them does: --version, replay, record and a headless trainer need no Qt
    # X11 library, nor the microphone's PortAudio. What stops here: a virtual environment still
    # to be made without python3-venv, and the tests, which use every one of them
    if [[ -n ${GRADECOACH_FOR_TESTS:-} ]]; then
      exit 1
    elif [[ -z $venv_ready ]] && [[ " ${missing[*]} " == *" python3-venv "* ]]; then
      echo "the virtual environment .venv cannot be made without python3-venv"
      exit 1
    fi
    echo "carrying on without them: what needs them (the trainer's window, the microphone) fails until they are installed"
  else
    echo "note: not a Debian/Ubuntu system; make sure these libraries are installed: ${missing[*]}"
  fi
fi

# 4. the virtual environment and the project in it
if [[ -z $venv_ready ]]; then
  if ! python_ok "$PY"; then
    echo "gradecoach needs Python 3.11 or newer$(python_found "$PY"); set PYTHON=/path/to/python3.11"
    exit 1
  fi
  echo "making the virtual environment .venv ($("$PY" --version 2>&1))"
  "$PY" -m venv .venv
fi
if [[ ! -f $stamp || pyproject.toml -nt $stamp || $(head -n 1 "$stamp") != "$root" ]]; then
  # pip writes into .venv and the checkout's gradecoach.egg-info: when another user (root) made
  # them, the packages installed are kept (pip's error block and exit 1 stopped everyone)
  if [[ ! -w . ]] || [[ -n $(find .venv gradecoach.egg-info -type d ! -writable -print -quit 2>/dev/null) ]]; then
    owner=$(stat -c %U .venv)
    if [[ -f $stamp ]]; then
      echo "the Python packages in .venv need updating (pyproject.toml changed), but .venv is $owner's and you ($(id -un)) cannot change it; run ./run once as $owner, or clone gradecoach into a folder of your own; carrying on with the packages installed"
    else
      echo "the Python packages are not installed in .venv, and it is $owner's: you ($(id -un)) cannot install them; run ./run once as $owner, or clone gradecoach into a folder of your own"
      exit 1
    fi
  else
    if [[ -f $stamp ]]; then
      echo "updating the Python packages in .venv"
    else     # measured: the wheels of the project's dependencies and test tools are about 240 MB
      echo "installing the Python packages into .venv (first run: about 240 MB to download)"
    fi
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    # (pip 26 passes on setuptools' 10-line note that the install is an editable one: not a step)
    PYTHONWARNINGS="ignore:Editable installation" .venv/bin/python -m pip install -q -e "$root[dev]"
    echo "$root" >"$stamp"
  fi
fi
