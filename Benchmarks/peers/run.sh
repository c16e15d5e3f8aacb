#!/usr/bin/env bash
# Side-by-side throughput: clinpipe, medspaCy (ConText + TargetMatcher), negspacy and a plain Python regex pass over
# one generated corpus. Not part of CI. Needs python3 with venv and pip (PyPI), and Swift for the release build.
#
#   Benchmarks/peers/run.sh                 # 300 letters (about 1.3 MB), seed 1
#   LETTERS=1000 SEED=7 Benchmarks/peers/run.sh
#   STAGES=normalize,sentences Benchmarks/peers/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
letters="${LETTERS:-300}"
seed="${SEED:-1}"
venv="${VENV:-$here/.venv}"
work="${WORK:-$(mktemp -d)}"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# spaCy's trained English models are not on PyPI as packages of their own: the peers use spacy.blank("en").
"$venv/bin/pip" install --quiet --disable-pip-version-check medspacy negspacy

clinpipe="${CLINPIPE:-$root/.build-release/release/clinpipe}"
if [ ! -x "$clinpipe" ]; then
    (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-release --product clinpipe)
fi

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
"$clinpipe" corpus synth --letters "$letters" --seed "$seed" --out "$work/corpus.jsonl" --no-key --quiet
"$venv/bin/python" "$here/peers.py" --corpus "$work/corpus.jsonl" --rules "$root/Sources/ClinPipeSynth/Rules" \
    --clinpipe "$clinpipe" --stages "${STAGES:-}" --json "$work/peers.json"
echo "results: $work/peers.json" >&2
