#!/bin/sh
# Decode throughput: otrtool decode against libotr's otr_parse on the same
# capture (real libotr traffic in log lines, repeated to SIZE megabytes),
# in one run; prints MB/s, the ratio, CPU time and peak memory of each.
# Each program runs RUNS times, in turn; the median wall time counts.
# Beside them, the floors: GNU base64 -d on the payloads alone and cat on
# the capture, and decode's gap to each.
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
# The floors: the base64 payloads alone (what decode must at least turn
# into bytes) for GNU base64 -d, and the capture for cat.
sed -n 's/.*?OTR:\([A-Za-z0-9+/=]*\)\..*/\1/p' "$work/capture.log" > "$work/payloads.b64"

python3 - "$work" "$bytes" "$runs" "$otrtool" <<'PY'
import os, statistics, subprocess, sys, time
work, size, runs, otrtool = sys.argv[1], int(sys.argv[2]) / 1e6, int(sys.argv[3]), sys.argv[4]
programs = [
    ("otr_parse", ["otr_parse"], "capture.log"),
    ("otrtool_decode", [otrtool, "decode"], "capture.log"),
    ("otrtool_decode_json", [otrtool, "decode", "--json"], "capture.log"),
    ("base64_-d_payloads", ["base64", "-d"], "payloads.b64"),
    ("cat", ["cat"], "capture.log"),
]
results = {name: [] for name, _, _ in programs}
devnull = open(os.devnull, "wb")
# Each program runs RUNS times, in turn; wall time from a monotonic clock,
# CPU time from the kernel's accounting of the child.
for _ in range(runs):
    for name, argv, input in programs:
        with open(os.path.join(work, input), "rb") as stdin:
            started = time.perf_counter()
            child = subprocess.Popen(argv, stdin=stdin, stdout=devnull, stderr=devnull)
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - started
        results[name].append((wall, usage.ru_utime + usage.ru_stime))
# Peak memory, in one run more each under /usr/bin/time: a child forked
# from this Python would report Python's own size as its peak.
peaks = {}
for name, argv, input in programs:
    with open(os.path.join(work, input), "rb") as stdin:
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", os.path.join(work, "peak")] + argv,
                       stdin=stdin, stdout=devnull, stderr=devnull)
    peaks[name] = int(open(os.path.join(work, "peak")).read().split()[-1]) / 1024
print("median of %d runs each" % runs)
median = {name: statistics.median(r[0] for r in rs) for name, rs in results.items()}
base = size / median["otr_parse"]
for name, rs in results.items():
    wall = max(median[name], 1e-6)
    cpu = statistics.median(r[1] for r in rs)
    peak = peaks[name]
    print("%-22s %7.3f s  %8.1f MB/s  cpu %7.3f s  peak %7.1f MB  throughput x%.2f of otr_parse"
          % (name, wall, size / wall, cpu, peak, size / wall / base))
for name in ("otrtool_decode", "otrtool_decode_json"):
    print("gap: %-19s %5.2fx the time of base64 -d on the payloads, %6.1fx the time of cat"
          % (name, median[name] / median["base64_-d_payloads"], median[name] / median["cat"]))
PY
