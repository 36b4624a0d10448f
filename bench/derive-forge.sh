#!/bin/sh
# Key derivation and forging against libotr's toolkit, per message (one
# process a message, as the old tools work) and in batch (N messages: one
# otrtool process against N runs of the old tool, which cannot batch), on
# a Data message and D-H values of a real libotr conversation.
#
# usage: bench/derive-forge.sh [N] [OTRTOOL]
#   N        messages in the batch (default 1000)
#   OTRTOOL  the otrtool binary (default: scripts/build-release)
# Ratios below 1 mean otrtool is faster. Needs hyperfine.
set -eu

n=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
otrtool=${2:-$("$root/scripts/build-release")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
command -v hyperfine >/dev/null 2>&1 || { echo "bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
for tool in otr_sesskeys otr_readforge; do
    command -v $tool >/dev/null || { echo "bench: $tool is missing (apt-get install libotr5-bin)" >&2; exit 1; }
done
sh "$root/Tests/Peers/libotr/build.sh" "$work/otrpeer" >/dev/null
printf 'alice: /start\nalice: meet me at noon\n' | "$work/otrpeer" converse --version 3 > "$work/conv.jsonl"

# Alice's first Data message, its AES key, and the D-H values it used.
python3 - "$work/conv.jsonl" "$work" "$n" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
keys = next(e for e in events if e["event"] == "keys" and e["party"] == "alice" and e["role"] == "send")
wire = next(e for e in events if e["event"] == "wire" and e["seq"] == keys["seq"])
priv = next(e for e in events if e["event"] == "dh" and e["party"] == "alice" and e["pub"] == keys["our_pub"])
work, n = sys.argv[2], int(sys.argv[3])
open(work + "/msg.txt", "w").write(wire["text"] + "\n")
open(work + "/batch.txt", "w").write((wire["text"] + "\n") * n)
open(work + "/aes", "w").write(keys["sendenc"])
open(work + "/priv", "w").write(priv["priv"])
open(work + "/pub", "w").write(keys["their_y"])
# One argv of N public values for otrtool; the old tool takes one a run.
open(work + "/derive-args", "w").write(" ".join(["--their-public " + keys["their_y"]] * n))
# The old tools in a loop of N runs.
open(work + "/sesskeys-loop.sh", "w").write(
    "i=0; while [ $i -lt %d ]; do otr_sesskeys %s %s >/dev/null; i=$((i+1)); done\n" % (n, priv["priv"], keys["their_y"]))
open(work + "/readforge-loop.sh", "w").write(
    "i=0; while [ $i -lt %d ]; do otr_readforge %s 'I never said that' < %s/msg.txt >/dev/null; i=$((i+1)); done\n"
    % (n, keys["sendenc"], work))
PY
aes=$(cat "$work/aes"); priv=$(cat "$work/priv"); pub=$(cat "$work/pub")

run() {  # label, otrtool command, libotr command, [hyperfine options]
    # Commands with redirections run through a shell, whose start-up
    # hyperfine measures and subtracts; the others run directly (-N).
    hyperfine --style none --runs "${RUNS:-20}" --warmup 3 ${4:-} --export-json "$work/h.json" -n otrtool "$2" -n libotr "$3" >/dev/null 2>"$work/hyperfine.err" || { cat "$work/hyperfine.err" >&2; exit 1; }
    python3 - "$work/h.json" "$1" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
o, l = r["otrtool"]["mean"], r["libotr"]["mean"]
print("%-24s otrtool %9.2f ms   libotr %9.2f ms   ratio %.2f" % (sys.argv[2], o * 1e3, l * 1e3, o / l))
PY
}

run "derive, one message" "$otrtool derive session --dh-private hex:$priv --their-public $pub" "otr_sesskeys $priv $pub" -N
run "forge, one message" "$otrtool forge reencrypt --aes-key hex:$aes --text 'I never said that' $work/msg.txt" \
    "otr_readforge $aes 'I never said that' < $work/msg.txt"
# N values make an argv longer than one shell argument may be: a script.
echo "$otrtool derive session --dh-private hex:$priv $(cat "$work/derive-args") >/dev/null" > "$work/derive-batch.sh"
RUNS=3 run "derive, batch of $n" "sh $work/derive-batch.sh" "sh $work/sesskeys-loop.sh"
RUNS=3 run "forge, batch of $n" "$otrtool forge reencrypt --aes-key hex:$aes --text 'I never said that' $work/batch.txt" \
    "sh $work/readforge-loop.sh"
