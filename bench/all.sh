#!/bin/sh
# Every benchmark, each comparing otrtool with libotr's tools in the same
# run, on one statically linked release build (scripts/build-release).
# Takes a few minutes; run it on an otherwise idle machine.
#
# usage: bench/all.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
otrtool=$("$root/scripts/build-release")
echo "== start-up (bench/startup.sh)"; sh "$root/bench/startup.sh" 300 "$otrtool"
echo "== decode (bench/decode.sh 30)"; sh "$root/bench/decode.sh" 30 "$otrtool"
echo "== derive and forge (bench/derive-forge.sh 1000)"; sh "$root/bench/derive-forge.sh" 1000 "$otrtool"
# A key's time is the random length of libgcrypt's prime search: means of
# 20 keys vary from 0.75 to 1.15 of libotr's; 200 settle within a few %.
echo "== key generation (bench/keygen.sh 200)"; sh "$root/bench/keygen.sh" 200 "$otrtool" 2>/dev/null
echo "== conversation (bench/conversation.sh 10)"; sh "$root/bench/conversation.sh" 10 "$otrtool" 2>/dev/null
echo "== fragments (bench/fragment.sh 100 400)"; OTRTOOL="$otrtool" sh "$root/bench/fragment.sh" 100 400
