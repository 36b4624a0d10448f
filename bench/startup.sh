#!/bin/sh
# Start-up time: the smallest useful run of each tool, otrtool's MAC key
# of an AES key against libotr's otr_mackey (same output), and
# `otrtool --version`, in one run, beside two baselines built with the same
# static release settings (bench/baseline): `print-line`, the Swift runtime
# alone, and `parse-option`, a swift-argument-parser command with one
# option and nothing else, the least any command parsed by that library
# costs. What otrtool adds to `parse-option` is its own.
#
# usage: bench/startup.sh [RUNS] [OTRTOOL]
#   RUNS     runs per command (default 300)
#   OTRTOOL  the otrtool binary (default: scripts/build-release)
set -eu
runs=${1:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
otrtool=${2:-$("$root/scripts/build-release")}
baseline=$("$root/scripts/build-release" --baseline)
command -v hyperfine >/dev/null 2>&1 || { echo "bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
command -v otr_mackey >/dev/null || { echo "bench: otr_mackey is missing (apt-get install libotr5-bin)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
key=00112233445566778899aabbccddeeff
hyperfine -N --style none --runs "$runs" --warmup 10 --export-json "$work/h.json" \
    -n "otrtool derive mac-key" "$otrtool derive mac-key --aes-key $key" \
    -n "otrtool --version" "$otrtool --version" \
    -n "baseline parse-option" "$baseline/parse-option --aes-key $key" \
    -n "baseline print-line" "$baseline/print-line $key" \
    -n "otr_mackey" "otr_mackey $key" >/dev/null
python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
base = r["otr_mackey"]["mean"]
for name in ("otrtool derive mac-key", "otrtool --version", "baseline parse-option",
             "baseline print-line", "otr_mackey"):
    m = r[name]["mean"]
    print("%-24s mean %6.2f ms  median %6.2f ms  ratio to otr_mackey %.2f  to parse-option %.2f"
          % (name, m * 1e3, r[name]["median"] * 1e3, m / base, m / r["baseline parse-option"]["mean"]))
PY
