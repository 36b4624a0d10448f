#!/usr/bin/env bash
# Writes the seed corpora of the toolkit's fuzz targets (json, builder,
# party in scripts/fuzz) into Fuzz/Corpus/: every line of
# `otrtool decode --json` over the examples (for the JSON reader and the
# message builder), and the command lines of a session script (for the
# party command parser). Run by make-corpus.sh; alone it rewrites only
# these three corpora. Needs a built otrtool (swift build).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus="$here/Corpus"
otrtool="$(cd "$root" && swift build --show-bin-path)/otrtool"
[ -x "$otrtool" ] || { echo "make-toolkit-corpus.sh: build otrtool first (swift build)" >&2; exit 2; }

rm -rf "$corpus/json" "$corpus/builder" "$corpus/party"
mkdir -p "$corpus/json" "$corpus/builder" "$corpus/party"

# decode --json of the capture (every message kind, with the keys derived
# from alice's D-H exponents, so Data messages carry plaintexts and TLVs)
# and of the offers (queries, whitespace tags, errors).
n=0
{
    keys=()
    for k in "$root"/examples/alice-dh-*.hex; do keys+=(--dh-private "file:$k"); done
    "$otrtool" decode --json "${keys[@]}" "$root/examples/capture.log" || true
    "$otrtool" decode --json "$root/examples/offers.txt" || true
} | while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" >"$corpus/json/decode-$n"
    printf '%s' "$line" >"$corpus/builder/decode-$n"
done
# The reader's own edges: escapes, surrogate pairs, numbers, nesting.
printf '%s' '{"a":"\u00e9\ud83d\ude00\n\t\"","b":[1,-0.5e+10,true,false,null],"c":{"d":[[[]]]}}' >"$corpus/json/edges"

i=0
for line in "/send hello" "/send tab\\there" "/query" "/ake 2" "/ake 3" "/smp blue" "/smpq colour?|blue" "/smpabort" \
            "/symkey 7 cafe" "/tlv 0x10 00ff text" "/tlv 1 - padding" "/end" "/instance best" "/instance 12345678" \
            "/wait 60" "/bogus secret"; do
    i=$((i + 1))
    printf '%s' "$line" >"$corpus/party/line-$i"
done
