#!/bin/sh
# Key generation time: otrtool keygen against libotr's otrl_privkey_generate
# (through the libotr test peer), N keys each, in one run, as a ratio.
#
# usage: bench/keygen.sh [N] [OTRTOOL]
#   N        keys per side (default 20)
#   OTRTOOL  the otrtool binary (default: scripts/build-release)
# A ratio below 1 means otrtool is faster. Uses hyperfine when installed.
set -eu

n=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
otrtool=${2:-$("$root/scripts/build-release")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

[ -x "$otrtool" ] || { echo "bench: $otrtool is not built (swift build -c release)" >&2; exit 1; }
peer="$work/otrpeer"
sh "$root/Tests/Peers/libotr/build.sh" "$peer" >/dev/null

# Each run makes a fresh key file, so both sides do the same work: generate
# one 1024/160 DSA key with libgcrypt's very strong randomness and write
# the key file.
ours="rm -f $work/o.key; $otrtool keygen --account alice@example.org --protocol prpl-jabber --key-file $work/o.key >/dev/null"
theirs="rm -f $work/l.key; $peer keygen $work/l.key alice@example.org prpl-jabber >/dev/null"

if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --style none --runs "$n" --warmup 2 --export-json "$work/h.json" \
        -n otrtool "$ours" -n libotr "$theirs" >&2
    python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
o, l = r["otrtool"]["mean"], r["libotr"]["mean"]
print("otrtool keygen mean %.1f ms (median %.1f), libotr otrl_privkey_generate mean %.1f ms (median %.1f)"
      % (o * 1e3, r["otrtool"]["median"] * 1e3, l * 1e3, r["libotr"]["median"] * 1e3))
print("ratio otrtool/libotr (mean): %.2f" % (o / l))
PY
else
    time_loop() {
        start=$(date +%s.%N)
        i=0
        while [ "$i" -lt "$n" ]; do sh -c "$1"; i=$((i + 1)); done
        end=$(date +%s.%N)
        echo "$end - $start" | bc -l
    }
    o=$(time_loop "$ours")
    l=$(time_loop "$theirs")
    echo "otrtool keygen: $o s for $n keys; libotr otrl_privkey_generate: $l s for $n keys"
    echo "ratio otrtool/libotr: $(echo "$o / $l" | bc -l | cut -c1-5)"
fi
