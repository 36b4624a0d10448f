#!/bin/sh
# Throughput of `otrtool fragment split` and `fragment join` on a 100 MB
# stream of messages, against a plain split/cat pipeline over the same
# bytes (the floor: reading and writing the data, no OTR work).
#
# usage: bench/fragment.sh [MEGABYTES] [SIZE]     (defaults: 100, 400)
#   OTRTOOL (environment) the otrtool binary (default: scripts/build-release)
set -eu

mb=${1:-100}
size=${2:-400}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/otrtool-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cd "$root"
tool=${OTRTOOL:-$("$root/scripts/build-release")}

# Messages shaped like OTR Data messages: "?OTR:" + base64 + ".", 2 KB each.
head -c $((mb * 1024 * 1024 * 3 / 4)) /dev/urandom | base64 -w 2000 | sed 's/^/?OTR:/; s/$/./' > "$work/stream"
bytes=$(wc -c < "$work/stream")

if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
    measure() { /usr/bin/time -f "%e %M" -o "$work/t" "$@"; cat "$work/t"; }
else
    measure() {
        s=$(date +%s.%N); "$@"; e=$(date +%s.%N)
        echo "$(echo "$e - $s" | bc) -"
    }
fi

run() { # name, command...
    name=$1; shift
    set -- $(measure "$@")
    echo "$name $1 $2"
}

split_floor=$(run floor-split sh -c "split -l 10000 --filter=cat < '$work/stream' > '$work/floor-split'")
split_tool=$(run split sh -c "'$tool' fragment split --size $size < '$work/stream' > '$work/fragments'")
join_floor=$(run floor-join sh -c "cat < '$work/fragments' > '$work/floor-join'")
join_tool=$(run join sh -c "'$tool' fragment join < '$work/fragments' > '$work/joined'")

cmp -s "$work/stream" "$work/joined" || { echo "join did not give back the stream" >&2; exit 1; }

fragments_bytes=$(wc -c < "$work/fragments")
echo "stream: $bytes bytes in $(wc -l < "$work/stream") messages; fragments at --size $size: $fragments_bytes bytes in $(wc -l < "$work/fragments") lines"
printf '%-12s %10s %14s %8s\n' step seconds "peak RSS KiB" ratio
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else print "-" }'; }
set -- $split_floor; fs=$2; printf '%-12s %10s %14s %8s\n' "$1" "$2" "$3" 1.0
set -- $split_tool; printf '%-12s %10s %14s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$fs")"
set -- $join_floor; fj=$2; printf '%-12s %10s %14s %8s\n' "$1" "$2" "$3" 1.0
set -- $join_tool; printf '%-12s %10s %14s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$fj")"
