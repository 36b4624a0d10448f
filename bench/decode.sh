#!/bin/sh
# Decode throughput: otrtool decode against libotr's otr_parse on the same
# capture (real libotr traffic in log lines, repeated to SIZE megabytes),
# in one run; prints MB/s, the ratio, CPU time and peak memory of each.
# Each program runs RUNS times, in turn; the median wall time counts.
# otrtool decode reads and unwraps on one thread while a second analyses
# and prints (reading the binary messages goes to whichever is less busy),
# so its CPU time (user + system) exceeds its wall time on a machine with
# two cores or more.
#
# usage: bench/decode.sh [SIZE_MB] [OTRTOOL] [RUNS]
#   SIZE_MB  capture size (default 30)
#   OTRTOOL  the otrtool binary (default: scripts/build-release)
#   RUNS     runs of each program (default 5)
set -eu

size=${1:-30}
runs=${3:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

if [ -n "${2:-}" ]; then
    otrtool=$2
else
    otrtool=$("$root/scripts/build-release")
fi
command -v otr_parse >/dev/null || { echo "bench: otr_parse is missing (apt-get install libotr5-bin)" >&2; exit 1; }
sh "$root/Tests/Peers/libotr/build.sh" "$work/otrpeer" >/dev/null

# One real conversation: the AKE and 60 Data messages of varied lengths.
{
    echo "alice: /start"
    i=0
    while [ $i -lt 30 ]; do
        echo "alice: message $i from alice, with some text to make it a realistic length"
        echo "bob: reply $i"
        i=$((i + 1))
    done
} | "$work/otrpeer" converse --version 3 > "$work/conversation.jsonl"
python3 - "$work/conversation.jsonl" "$work/capture.log" "$size" <<'PY'
import base64, json, struct, sys
events = [json.loads(l) for l in open(sys.argv[1])]
wires = [e for e in events if e["event"] == "wire" and e["text"].startswith("?OTR:")]

def with_counter(text, round):
    """The same Data message with its counter moved up by `round` << 32, so
    that no counter is reused in the capture, within a round or across
    rounds (decode reports reuse, and a real capture has none)."""
    raw = bytearray(base64.b64decode(text[5:-1]))
    if raw[2] != 3:
        return text
    at = 3 + (8 if raw[1] == 3 else 0) + 1 + 8
    (length,) = struct.unpack(">I", raw[at:at + 4])
    at += 4 + length
    (counter,) = struct.unpack(">Q", raw[at:at + 8])
    raw[at:at + 8] = struct.pack(">Q", (round << 32) + counter)
    return "?OTR:" + base64.b64encode(bytes(raw)).decode() + "."

target = int(sys.argv[3]) * 1000 * 1000
written, round = 0, 0
with open(sys.argv[2], "w") as f:
    while written < target:
        round += 1
        for e in wires:
            line = "[2026-11-23 12:00:%02d] <%s@example.org> %s\n" % (e["seq"] % 60, e["from"], with_counter(e["text"], round))
            f.write(line)
            written += len(line)
PY
bytes=$(wc -c < "$work/capture.log")
lines=$(wc -l < "$work/capture.log")
echo "capture: $bytes bytes, $lines messages in log lines" >&2

measure() {  # name, command...
    name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/$name.time" "$@" < "$work/capture.log" > /dev/null 2>"$work/$name.err" || true
    echo "$name $(tail -n 1 "$work/$name.time")"
}

i=0
while [ $i -lt "$runs" ]; do
    measure otr_parse otr_parse
    measure otrtool_decode "$otrtool" decode
    measure otrtool_decode_json "$otrtool" decode --json
    i=$((i + 1))
done > "$work/results"

python3 - "$work/results" "$bytes" "$runs" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, wall, user, system, kb = line.split()
    runs.setdefault(name, []).append((float(wall), float(user) + float(system), int(kb)))
size = int(sys.argv[2]) / 1e6
print("median of %s runs each" % sys.argv[3])
base = None
for name, rs in runs.items():
    wall = max(statistics.median(r[0] for r in rs), 0.001)
    cpu = statistics.median(r[1] for r in rs)
    peak = max(r[2] for r in rs) / 1024
    rate = size / wall
    if base is None:
        base = rate
    print("%-22s %7.3f s  %8.1f MB/s  cpu %7.3f s  peak %7.1f MB  throughput x%.2f of otr_parse"
          % (name, wall, rate, cpu, peak, rate / base))
PY
