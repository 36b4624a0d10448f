#!/usr/bin/env bash
# Regenerates the seed corpora in Fuzz/Corpus/ from real traffic of the
# repository's reference peers: libotr 4.1.1 (Tests/Peers/libotr, built into
# a temporary directory) and python-potr (Tests/Peers/potr), plus the
# examples in examples/.
#
#   Fuzz/make-corpus.sh            # rewrites Fuzz/Corpus/*
#
# Needs a C compiler, libotr5-dev and python3-potr (the JSON Lines the
# peers print are read with /usr/bin/python3). Keys, instance tags and D-H
# values are fresh on every run, so the bytes differ from run to run; the
# kinds of seeds do not.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus="$here/Corpus"
work=$(mktemp -d /tmp/otr-fuzz-corpus.XXXXXX)
trap 'rm -rf "$work"' EXIT

otrpeer="$work/otrpeer"
"$root/Tests/Peers/libotr/build.sh" "$otrpeer" >/dev/null
potr=(/usr/bin/python3 "$root/Tests/Peers/potr/potrpeer.py")
examples="$root/Tests/Peers/libotr/examples"

# Long-term keys and the files libotr writes.
key="$work/libotr.key"
"$otrpeer" keygen "$key" alice@example.org prpl-jabber >"$work/alice.fpr"
"$otrpeer" keygen "$key" bob@example.org prpl-jabber >"$work/bob.fpr"
"$otrpeer" keygen "$work/single.key" carol@example.org irc >/dev/null
"$otrpeer" pubkey "$key" alice@example.org prpl-jabber >"$work/alice.pubkey"
"$otrpeer" instag-gen "$work/instags" alice@example.org prpl-jabber >/dev/null
"$otrpeer" instag-gen "$work/instags" bob@example.org prpl-jabber >/dev/null
"$otrpeer" instag-gen "$work/instags" carol@example.org irc >/dev/null
# A fingerprints file in each trust state (and one line without the trust
# field, as older clients wrote), rewritten by libotr.
alice_fp=$(cut -f3 "$work/alice.fpr" | tr -d ' ')
bob_fp=$(cut -f3 "$work/bob.fpr" | tr -d ' ')
printf '%s\t%s\t%s\t%s\t%s\n' \
    bob@example.org alice@example.org prpl-jabber "$bob_fp" smp \
    alice@example.org bob@example.org prpl-jabber "$alice_fp" verified \
    carol@example.org alice@example.org prpl-jabber "$bob_fp" "" >"$work/fingerprints.in"
printf '%s\t%s\t%s\t%s\n' dave@example.org bob@example.org prpl-jabber "$alice_fp" >>"$work/fingerprints.in"
"$otrpeer" write-fingerprints "$work/fingerprints.in" "$work/fingerprints.libotr"
"${potr[@]}" keygen "$work/potr.key" >/dev/null

# Conversations.
converse() {  # NAME ARGS... < SCRIPT
    local name=$1
    shift
    "$otrpeer" converse --alice-key "$key" --bob-key "$key" "$@" >"$work/$name.jsonl"
}
converse libotr-v3 --bob-secret blue <"$examples/basic-v3.txt"
converse libotr-v2 --version 2 --bob-secret blue <"$examples/basic-v3.txt"
converse libotr-v2-frag --version 2 --fragment 100 --alice-secret s3cret <"$examples/fragmented-v2.txt"
converse libotr-v3-frag --fragment 160 --bob-secret blue <"$examples/basic-v3.txt"
# Whitespace tags (policy V2|V3|SEND_WHITESPACE_TAG|WHITESPACE_START_AKE),
# then alice's disconnect is lost, so bob still sends a Data message to an
# alice in plaintext (libotr reports it but injects no error message; the
# error message seed comes from examples/offers.txt).
converse libotr-tags --policy 0x36 <<'EOF'
alice: hello, are you there?
bob: yes
!hold
alice: /end
!drop
!flush
bob: a message alice cannot read
EOF
cat >"$work/potr.txt" <<'EOF'
alice: /start
alice: hello bob
bob: hi alice \xe2\x9c\x93
alice: /tlv 0x0100 cafe text with a TLV
alice: /smpq colour?|blue
bob: /smpabort
alice: /end
EOF
"${potr[@]}" converse --bob-secret blue <"$work/potr.txt" >"$work/potr.jsonl"
"${potr[@]}" converse --fragment 120 --bob-secret blue <"$work/potr.txt" >"$work/potr-frag.jsonl"
printf 'alice: hello\nbob: /ake\n' | "${potr[@]}" converse --tag >"$work/potr-tags.jsonl"

rm -rf "$corpus"
mkdir -p "$corpus"
/usr/bin/python3 - "$work" "$corpus" "$root" <<'PY'
import base64, hashlib, json, os, sys

work, corpus, root = sys.argv[1:4]
# The 1536-bit MODP group of RFC 3526, OTR's D-H group.
P = int("""FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74
 020BBEA6 3B139B22 514A0879 8E3404DD EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED EE386BFB 5A899FA5 AE9F2411 7C4B1FE6
 49286651 ECE45B3D C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F 83655D23 DCA3AD96
 1C62F356 208552BB 9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA237327 FFFFFFFF FFFFFFFF""".replace(" ", "").replace("\n", ""), 16)

def events(name):
    with open(os.path.join(work, name + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]

def wire_bytes(e):
    return bytes.fromhex(e["text_hex"]) if "text_hex" in e else e["text"].encode("utf-8")

def write(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

def read(path):
    with open(path, "rb") as f:
        return f.read()

def unhex(h):
    return bytes.fromhex(h) if h else b""

def shared_secret(evs, kind):
    """s of the AKE: alice's AKE exponent, bob's AKE public value."""
    if kind == "libotr":
        priv = next(e for e in evs if e["event"] == "dh" and e["party"] == "alice" and e["keyid"] == 1)["priv"]
        pub = next(e for e in evs if e["event"] == "dh" and e["party"] == "bob" and e["keyid"] == 1)["pub"]
    else:
        priv = next(e for e in evs if e["event"] == "dh" and e["party"] == "alice" and e["origin"] == "ake")["priv"]
        pub = next(e for e in evs if e["event"] == "dh" and e["party"] == "bob" and e["origin"] == "ake")["pub"]
    s = pow(int(pub, 16), int(priv, 16), P)
    return s.to_bytes((s.bit_length() + 7) // 8, "big")

def aes_keys(evs):
    """The AES key of every libotr Data message, by wire seq."""
    keys = {}
    for e in evs:
        if e["event"] != "keys":
            continue
        if e["role"] == "send":
            keys[e["seq"]] = e["sendenc"]
    return keys

def potr_send_seqs(evs):
    """potr's keys events carry no seq: pair each send with the next wire event of that party."""
    keys, pending = {}, {}
    for e in evs:
        if e["event"] == "keys" and e["direction"] == "send":
            pending.setdefault(e["party"], []).append(e["aes"])
        elif e["event"] == "wire" and e["text"].startswith("?OTR:AAID") and pending.get(e["from"]):
            keys[e["seq"]] = pending[e["from"]].pop(0)
    return keys

def xml_escape(b):
    return b.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;").replace(b"'", b"&apos;")

def log_line(e, i, style):
    text = wire_bytes(e)
    frm = (e["from"] + "@example.org").encode()
    to = (e["to"] + "@example.org").encode()
    if style == "log":
        return b"[2026-11-30 12:%02d:%02d] <%s> %s" % (i // 60, i % 60, frm, text)
    if style == "xmpp":
        return b"<message from='%s' to='%s' type='chat'><body>%s</body></message>" % (frm, to, xml_escape(text))
    return text

def capture(evs, seqs, style, keylines):
    wires = [e for e in evs if e["event"] == "wire" and not e.get("empty") and (seqs is None or e["seq"] in seqs)]
    head = b"".join(b"#%s %s\n" % (k.encode(), v.encode()) for k, v in keylines[:6])
    return head + b"\n".join(log_line(e, i, style) for i, e in enumerate(wires)) + b"\n"

def plaintexts(evs):
    """Decrypted Data message plaintexts: text, NUL, TLVs (as libotr lays them out)."""
    out = []
    for e in evs:
        if e["event"] == "received" and e.get("encrypted"):
            b = unhex(e["text_hex"]) + b"\0"
            for t in e["tlvs"]:
                v = unhex(t["data"])
                b += t["type"].to_bytes(2, "big") + len(v).to_bytes(2, "big") + v
            out.append((e["seq"], b, e["tlvs"]))
    return out

conv = {n: events(n) for n in ["libotr-v3", "libotr-v2", "libotr-v2-frag", "libotr-v3-frag", "libotr-tags",
                               "potr", "potr-frag", "potr-tags"]}

# message: one armoured and one binary seed per message type and source.
for name in ["libotr-v3", "libotr-v2", "potr"]:
    seen = {}
    for e in conv[name]:
        if e["event"] != "wire" or not e["text"].startswith("?OTR:"):
            continue
        armoured = wire_bytes(e).strip()
        binary = base64.b64decode(armoured[5:armoured.index(b".")])
        mtype = binary[2]
        seen[mtype] = seen.get(mtype, 0) + 1
        if seen[mtype] > (2 if mtype == 3 else 1):
            continue
        write("message", "%s-%02d-type%02x.armoured" % (name, e["seq"], mtype), armoured)
        write("message", "%s-%02d-type%02x.bin" % (name, e["seq"], mtype), binary)
write("message", "libotr-alice.pubkey", unhex(read(os.path.join(work, "alice.pubkey")).decode().strip()))
write("message", "potr.key", read(os.path.join(work, "potr.key")))
write("message", "v1-data.bin", bytes.fromhex("000103") + b"\0" * 8)
write("message", "v4-identity.bin", bytes.fromhex("000435") + bytes.fromhex("00000100") * 2)

# capture: conversations as chat logs and XMPP stanzas, with the keys
# (AKE shared secret, AES keys) that open them.
v3, v2, pv = conv["libotr-v3"], conv["libotr-v2"], conv["potr"]
k3, k2 = aes_keys(v3), aes_keys(v2)
kp = potr_send_seqs(pv)
s3, s2, sp = shared_secret(v3, "libotr"), shared_secret(v2, "libotr"), shared_secret(pv, "potr")
later3 = sorted(k3)[1:4]
write("capture", "libotr-v3-ake.log", capture(v3, set(range(1, 10)), "log",
      [("s", s3.hex())] + [("aes", k3[q]) for q in later3]))
smp3 = sorted(k3)[4:8]
# With alice's SMP exponents (x2, x3), so the proofs of P and Q and the
# outcome are checked too.
smpx = next(e for e in v3 if e["event"] == "smp_exponents" and e["party"] == "alice")
write("capture", "libotr-v3-smp.log", capture(v3, set(smp3), "bare",
      [("aes", k3[q]) for q in smp3] + [("smp", smpx["x2"]), ("smp", smpx["x3"])]))
write("capture", "libotr-v2.xmpp", capture(v2, None, "xmpp", [("s", s2.hex())] + [("aes", k2[q]) for q in sorted(k2)[1:4]]))
write("capture", "libotr-v2-frag.log", capture(conv["libotr-v2-frag"], set(range(1, 40)), "log", []))
write("capture", "libotr-v3-frag.xmpp", capture(conv["libotr-v3-frag"], set(range(1, 30)), "xmpp", []))
write("capture", "libotr-tags.log", capture(conv["libotr-tags"], None, "log", []))
write("capture", "potr.log", capture(pv, None, "log", [("s", sp.hex())] + [("aes", kp[q]) for q in sorted(kp)[1:4]]))
write("capture", "potr-frag.log", capture(conv["potr-frag"], set(range(1, 30)), "bare", []))
for ex in ["capture.log", "offers.txt"]:
    write("capture", "examples-" + ex, read(os.path.join(root, "examples", ex)))

# fragment: the fragments of one message a line, and two streams interleaved.
def fragment_runs(evs):
    runs, current = [], []
    for e in evs:
        if e["event"] != "wire" or not (e["text"].startswith("?OTR,") or e["text"].startswith("?OTR|")):
            continue
        current.append(wire_bytes(e))
        t = e["text"]
        head = t.split(",")
        k, n = (head[1], head[2])
        if int(k) == int(n):
            runs.append(current)
            current = []
    return runs
for name, limit in [("libotr-v2-frag", 3), ("libotr-v3-frag", 3), ("potr-frag", 3)]:
    runs = fragment_runs(conv[name])
    # The shortest messages make the smallest seeds; keep one long one too.
    chosen = sorted(runs, key=lambda r: sum(map(len, r)))[:limit - 1] + [max(runs, key=len)]
    for i, run in enumerate(chosen):
        write("fragment", "%s-%d" % (name, i), b"\n".join(run) + b"\n")
a, b = fragment_runs(conv["libotr-v3-frag"])[:2]
mixed = [x for pair in zip(a, b) for x in pair] + a[len(b):] + b[len(a):]
write("fragment", "libotr-v3-interleaved", b"\n".join(mixed) + b"\n")

# plaintext: queries, whitespace-tagged text and error messages as sent.
for name in ["libotr-v3", "libotr-tags", "potr", "potr-tags"]:
    n = 0
    for e in conv[name]:
        if e["event"] != "wire" or e["text"].startswith("?OTR:") or e.get("empty"):
            continue
        n += 1
        write("plaintext", "%s-%02d" % (name, e["seq"]), wire_bytes(e))
for i, line in enumerate(read(os.path.join(root, "examples", "offers.txt")).split(b"\n")):
    if line:
        write("plaintext", "offers-%d" % i, line)

# tlv: decrypted plaintexts (text, NUL, TLVs), and each SMP TLV's value
# after its type byte (the target's second reading).
for name in ["libotr-v3", "potr"]:
    for seq, b, tlvs in plaintexts(conv[name]):
        write("tlv", "%s-%02d" % (name, seq), b)
        for t in tlvs:
            if 2 <= t["type"] <= 8:
                write("tlv", "%s-%02d-type%d.value" % (name, seq, t["type"]), bytes([t["type"]]) + unhex(t["data"]))

# keyfile, fingerprints, instags: the files libotr writes.
write("keyfile", "libotr-two-accounts.key", read(os.path.join(work, "libotr.key")))
write("keyfile", "libotr-one-account.key", read(os.path.join(work, "single.key")))
write("fingerprints", "libotr-written", read(os.path.join(work, "fingerprints.libotr")))
write("fingerprints", "hand-written", read(os.path.join(work, "fingerprints.in")))
write("instags", "libotr-written", read(os.path.join(work, "instags")))

# session: scripts for two parties (see Fuzz/Sources/FuzzSession): a
# whole conversation with SMP, fragments, version 2, a lost and a changed
# message, a replay, policies that start the AKE themselves, and real
# libotr and potr messages delivered as a stranger's bytes.
scripts = {
    "conversation": b"Q\n*\nThello bob\n*\ntHi alice\n*\nYfile.txt\n*\nE\n*\n",
    "smp-question": b"Q\n*\nSblue?favourite colour\n*\nablue\n*\nTafter SMP\n*\n",
    "smp-wrong": b"Q\n*\nsred\n*\nAblue\n*\nX\n*\n",
    "fragments": b"F90\nf120\nQ\n*\nT" + b"long " * 40 + b"\n*\n",
    "version2": b"K2\n*\nTv2 text\n*\n",
    "lost-and-changed": b"Q\nD\nd\nR\n*\nTone\nM\x30\x01\nD\nTtwo\nD\nC\n",
    "policies": b"P\x36\x36\nTtagged\n*\ntreply\n*\n",
    "require": b"P\x0e\x06\nTsecret first\n*\n",
    "rekey-while-encrypted": b"Q\n*\nk\n*\nTafter re-key\n*\nE\ntstill there?\n*\n",
}
for name, script in scripts.items():
    write("session", name, script)
for name in ["libotr-v3", "potr"]:
    armoured = [wire_bytes(e).strip() for e in conv[name] if e["event"] == "wire" and e["text"].startswith("?OTR:")]
    write("session", "%s-stranger" % name, b"Q\n*\n" + b"".join(b">" + m + b"\n" for m in armoured[:6]) + b"<" + armoured[-1] + b"\n")
PY

"$here/make-toolkit-corpus.sh"

du -sh "$corpus"
for d in "$corpus"/*; do
    printf '%-14s %3d files\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)"
done
