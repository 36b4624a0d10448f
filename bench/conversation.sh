#!/bin/sh
# A whole conversation: AKE, 100 Data messages (50 each way) and one SMP
# with a question, through `otrtool simulate` and through two libotr 4.1.1
# parties in the libotr test peer (`otrpeer converse`), with the same keys,
# in one run, as a ratio. Both write a JSON Lines transcript; key
# generation is not timed (both read the same key file).
#
# usage: bench/conversation.sh [RUNS] [OTRTOOL]
#   RUNS     runs per side (default 20)
#   OTRTOOL  the otrtool binary (default: scripts/build-release)
# A ratio below 1 means otrtool is faster. Needs hyperfine.
set -eu

runs=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
otrtool=${2:-$("$root/scripts/build-release")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

[ -x "$otrtool" ] || { echo "bench: $otrtool is not built (swift build -c release)" >&2; exit 1; }
command -v hyperfine >/dev/null 2>&1 || { echo "bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
peer="$work/otrpeer"
sh "$root/Tests/Peers/libotr/build.sh" "$peer" >/dev/null
"$peer" keygen "$work/k.key" alice@example.org prpl-jabber >/dev/null
"$peer" keygen "$work/k.key" bob@example.org prpl-jabber >/dev/null

# The same conversation in each tool's script syntax: both start with a
# Query Message and answer the SMP question the same way.
{
    echo "alice: /query"
    i=1
    while [ "$i" -le 50 ]; do
        echo "alice: message $i from alice, long enough to be a typical chat line"
        echo "bob: message $i from bob, long enough to be a typical chat line"
        i=$((i + 1))
    done
    echo "alice: /smpq colour?|blue"
    echo "bob: /smp blue"
} > "$work/otrtool.script"
sed -e 's|^alice: /query$|alice: /start|' -e '/^bob: \/smp blue$/d' "$work/otrtool.script" > "$work/libotr.script"

ours="$otrtool simulate --json --key-file $work/k.key $work/otrtool.script >/dev/null"
theirs="$peer converse --alice-key $work/k.key --bob-key $work/k.key --bob-secret blue --script $work/libotr.script >/dev/null"

# Check once that both ran the whole conversation.
"$otrtool" simulate --json --key-file "$work/k.key" "$work/otrtool.script" > "$work/o.jsonl"
"$peer" converse --alice-key "$work/k.key" --bob-key "$work/k.key" --bob-secret blue --script "$work/libotr.script" > "$work/l.jsonl"
python3 - "$work/o.jsonl" "$work/l.jsonl" <<'PY'
import json, sys
def load(p): return [json.loads(l) for l in open(p)]
o, l = load(sys.argv[1]), load(sys.argv[2])
oc = sum(1 for e in o if e["event"] == "received" and e.get("encrypted"))
lc = sum(1 for e in l if e["event"] == "received" and e.get("encrypted") and e.get("text"))
os_ = [e["outcome"] for e in o if e["event"] == "smp" and e.get("outcome") == "succeeded"]
ls = [e for e in l if e["event"] == "smp" and e.get("type") == "success"]
print("otrtool: %d private messages received, SMP succeeded %d times; libotr: %d, %d" % (oc, len(os_), lc, len(ls)))
if oc < 100 or lc < 100 or len(os_) < 2 or len(ls) < 1:
    sys.exit("bench: a conversation did not run to its end")
PY

hyperfine --style none --runs "$runs" --warmup 2 --export-json "$work/h.json" \
    -n otrtool "$ours" -n libotr "$theirs" >&2
python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
o, l = r["otrtool"]["mean"], r["libotr"]["mean"]
print("otrtool simulate mean %.1f ms (median %.1f), libotr converse mean %.1f ms (median %.1f)"
      % (o * 1e3, r["otrtool"]["median"] * 1e3, l * 1e3, r["libotr"]["median"] * 1e3))
print("ratio otrtool/libotr (mean): %.2f" % (o / l))
PY
