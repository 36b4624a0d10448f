#!/bin/sh
# Build the libotr test peer.
# usage: Tests/Peers/libotr/build.sh [OUTPUT]   (default: Tests/Peers/bin/otrpeer)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=${1:-"$root/Tests/Peers/bin/otrpeer"}

missing() {
    echo "otrpeer: libotr5-dev is not installed (apt-get install libotr5-dev)" >&2
    exit 1
}

command -v cc >/dev/null 2>&1 || { echo "otrpeer: no C compiler (cc) found" >&2; exit 1; }
command -v pkg-config >/dev/null 2>&1 || {
    echo "otrpeer: pkg-config is not installed (apt-get install pkg-config)" >&2
    exit 1
}
pkg-config --exists libotr 2>/dev/null || missing
[ -f /usr/include/libotr/context_priv.h ] || [ -n "$(pkg-config --cflags-only-I libotr)" ] || missing

mkdir -p "$(dirname "$out")"
# clock.c defines time() for libotr.so to call (--virtual-clock); the
# executable must export it for the dynamic linker to bind libotr's calls
# to it rather than to libc's.
# shellcheck disable=SC2046
cc -O1 -Wall -Wextra -Werror -std=gnu99 \
    $(pkg-config --cflags libotr) \
    -o "$out" \
    "$here/otrpeer.c" "$here/runner.c" "$here/session.c" "$here/callbacks.c" \
    "$here/clock.c" "$here/keys.c" "$here/util.c" \
    -Wl,--export-dynamic-symbol=time \
    $(pkg-config --libs libotr) -lgcrypt
if command -v nm >/dev/null 2>&1 && ! nm -D --defined-only "$out" | grep -q ' T time$'; then
    echo "otrpeer: the linker did not export time() from $out (--virtual-clock would not reach libotr)" >&2
    exit 1
fi
echo "$out"
