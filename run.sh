#!/bin/sh
# sudo ./run.sh [ipctrace run options] - install what is missing, build, and
# run the main job: `ipctrace run` on its defaults (about a minute).
set -eu
cd "$(dirname "$0")"
scripts/install-deps.sh build
make --no-print-directory -s all
exec ./ipctrace run "$@"
