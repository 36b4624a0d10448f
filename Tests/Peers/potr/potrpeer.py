#!/usr/bin/python3
"""potrpeer: an OTR version 2 test peer built on python-potr.

Run it with Debian's interpreter (/usr/bin/python3), which is the one that
sees the python3-potr and python3-pycryptodome packages.  See README.md next
to this file for the subcommands and their output.

python-potr 1.0.2 was written against PyCrypto; the Debian package runs it on
pycryptodome, where DSA key generation, DSA signing, DSA verification and
AES-CTR fail.  The shims below replace exactly those calls with pycryptodome
equivalents that compute the same values.  Everything else is potr's own code.
"""

import sys

try:
    import potr
    from potr import context as potr_context
    from potr import crypt as potr_crypt
    from potr import proto as potr_proto
    from potr import compatcrypto as potr_compat
    from potr.compatcrypto import pycrypto as potr_backend
    from potr.utils import bytes_to_long, long_to_bytes
    from Cryptodome.Cipher import AES
    from Cryptodome.PublicKey import DSA
except ImportError as import_error:
    sys.stderr.write("potrpeer: python3-potr is not installed "
                     "(apt-get install python3-potr)\n")
    sys.stderr.write("potrpeer: import failed: %s\n" % (import_error,))
    if sys.executable != "/usr/bin/python3":
        sys.stderr.write("potrpeer: note: this is %s; Debian's python3 "
                         "packages are only visible to /usr/bin/python3\n"
                         % (sys.executable,))
    sys.exit(3)

import argparse
import binascii
import collections
import json
import logging
import numbers
import os

EXIT_OK = 0
EXIT_BAD = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3

MAX_DELIVERIES = 100000


# ---------------------------------------------------------------------------
# Shims for python-potr on pycryptodome
# ---------------------------------------------------------------------------

def _shim_dsa_generate(cls):
    # potr reads privkey.key.y etc. (PyCrypto's inner key object); a
    # pycryptodome DsaKey has no .key attribute and exposes the components
    # directly.  Same key size (1024 bits), same tuple order (y, g, p, q, x).
    fresh = DSA.generate(1024)
    return cls((fresh.y, fresh.g, fresh.p, fresh.q, fresh.x), private=True)


def _shim_dsa_sign(self, data):
    # potr calls PyCrypto's DSA sign(M, K): M (the 32-byte SHA256-HMAC) is
    # taken as a big-endian integer and used directly in s = k^-1 (m + x r)
    # mod q, which equals using m mod q.  pycryptodome removed sign() (it
    # raises NotImplementedError); its raw primitive _sign(m, k) is the same
    # computation.  K is drawn exactly as potr draws it: 2 <= K < q.
    q = self.priv.q
    k = potr_backend.randrange(2, q)
    r, s = self.priv._sign(bytes_to_long(data) % q, k)
    return long_to_bytes(r, 20) + long_to_bytes(s, 20)


def _shim_dsa_verify(self, data, sig):
    # Counterpart of the signing shim: PyCrypto's verify(M, (r, s)) with M as
    # an integer, rejecting r or s outside (0, q).  pycryptodome's verify()
    # raises NotImplementedError; _verify(m, (r, s)) is the same check.
    r = bytes_to_long(sig[:20])
    s = bytes_to_long(sig[20:])
    q = self.pub.q
    return bool(self.pub._verify(bytes_to_long(data) % q, (r, s)))


def _shim_aesctr(key, counter=0):
    # potr passes its own callable Counter to AES.new(..., counter=...);
    # pycryptodome only accepts counters made by Cryptodome.Util.Counter and
    # fails with TypeError.  OTR's counter block is the 8-byte top half
    # (potr's prefix) followed by the 8-byte block number, incremented as one
    # 128-bit big-endian integer; that is pycryptodome's CTR mode with an
    # empty nonce and a 16-byte initial value.
    if isinstance(counter, numbers.Number):
        counter = potr_backend.Counter(counter)
    if not isinstance(counter, potr_backend.Counter):
        raise TypeError("AESCTR needs a number or a potr Counter")
    first_block = long_to_bytes(counter.prefix, 8) + long_to_bytes(counter.val, 8)
    if len(first_block) != 16:
        raise ValueError("counter prefix does not fit in 64 bits")
    return AES.new(key, AES.MODE_CTR, nonce=b"", initial_value=first_block)


def install_shims():
    dsa_class = potr_backend.DSAKey
    dsa_class.generate = classmethod(_shim_dsa_generate)
    dsa_class.sign = _shim_dsa_sign
    dsa_class.verify = _shim_dsa_verify
    # AESCTR is imported by name into several potr modules.
    for module in (potr_backend, potr_compat, potr_crypt):
        module.AESCTR = _shim_aesctr


install_shims()


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

class UsageError(Exception):
    pass


def hexstr(data):
    return binascii.hexlify(data).decode("ascii")


def int_hex(n):
    return hexstr(long_to_bytes(n))


def parse_hex(text, what):
    text = text.strip()
    if text in ("", "-"):
        return b""
    try:
        return binascii.unhexlify(text)
    except (binascii.Error, ValueError):
        raise UsageError("%s is not valid hex: %r" % (what, text))


def unescape(text):
    """Turn a script argument into bytes: UTF-8, with \\n \\t \\r \\\\ \\xHH."""
    out = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch != "\\":
            out += ch.encode("utf-8")
            i += 1
            continue
        if i + 1 >= len(text):
            raise UsageError("dangling backslash in %r" % (text,))
        esc = text[i + 1]
        if esc == "n":
            out += b"\n"
            i += 2
        elif esc == "t":
            out += b"\t"
            i += 2
        elif esc == "r":
            out += b"\r"
            i += 2
        elif esc == "\\":
            out += b"\\"
            i += 2
        elif esc == "x":
            digits = text[i + 2:i + 4]
            if len(digits) != 2 or any(c not in "0123456789abcdefABCDEF" for c in digits):
                raise UsageError("bad \\x escape in %r" % (text,))
            out.append(int(digits, 16))
            i += 4
        else:
            raise UsageError("unknown escape \\%s in %r" % (esc, text))
    return bytes(out)


def human_fingerprint(key):
    # potr's str(key) is the fingerprint as five groups of eight upper-case
    # hex digits.
    return str(key)


def read_private_key(path):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        raise UsageError("cannot read key file %s: %s" % (path, err))
    try:
        key, rest = potr_compat.PK.parsePrivateKey(data)
    except Exception as err:
        raise UsageError("%s is not a potr private key: %s: %s"
                         % (path, type(err).__name__, err))
    if rest:
        raise UsageError("%s has %d trailing bytes after the key" % (path, len(rest)))
    return key


def write_private_key(path, key):
    data = key.serializePrivateKey()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def check_fragment_size(value):
    if value is None:
        return 0
    if value != 0 and value < 20:
        # potr cuts pieces of (size - 19) characters.
        raise UsageError("--fragment must be 0 or at least 20")
    return value


class RawTLV(potr_proto.TLV):
    """A TLV of any type with an opaque payload, for sending only."""

    def __init__(self, typ, payload):
        super(RawTLV, self).__init__()
        self.typ = typ
        self.payload = payload

    def getPayload(self):
        return self.payload


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

class EventLog(object):
    def __init__(self, stream):
        self.stream = stream

    def emit(self, **fields):
        line = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        self.stream.write(line.encode("utf-8") + b"\n")
        self.stream.flush()


class WireReporter(object):
    """Numbers and reports every message a party puts on the wire."""

    def __init__(self, log, queue):
        self.log = log
        self.queue = queue
        self.seq = 0

    def __call__(self, frm, to, data):
        self.seq += 1
        text, text_hex = text_fields(data)
        fields = {"event": "wire", "from": frm, "to": to, "seq": self.seq,
                  "text": text}
        if text.encode("utf-8") != data:
            fields["text_hex"] = text_hex
        self.log.emit(**fields)
        if self.queue is not None:
            self.queue.append((to, data, self.seq))


def text_fields(data):
    """The "text" of a byte string, plus its exact hex."""
    return data.decode("utf-8", "replace"), hexstr(data)


# ---------------------------------------------------------------------------
# potr subclasses
# ---------------------------------------------------------------------------

SMP_PROGRESS_NAMES = {
    potr_crypt.SMPPROG_OK: "ok",
    potr_crypt.SMPPROG_FAILED: "failed",
    potr_crypt.SMPPROG_SUCCEEDED: "succeeded",
    potr_crypt.SMPPROG_CHEATED: "invalid",
}

STATE_NAMES = {
    potr_context.STATE_PLAINTEXT: "plaintext",
    potr_context.STATE_ENCRYPTED: "encrypted",
    potr_context.STATE_FINISHED: "finished",
}


class ObservedCryptEngine(potr_crypt.CryptEngine):
    """potr's CryptEngine, reporting keys as they are used or replaced."""

    def __init__(self, ctx):
        super(ObservedCryptEngine, self).__init__(ctx)
        self.reported_dh = set()

    # -- DH key pairs ------------------------------------------------------
    def report_dh(self):
        pairs = []
        if self.ake is not None and self.ake.dh is not None:
            pairs.append((self.ake.ourKeyid or 1, self.ake.dh, "ake"))
        if self.ourOldDHKey is not None:
            pairs.append((self.ourKeyid - 1, self.ourOldDHKey, "session"))
        if self.ourDHKey is not None:
            pairs.append((self.ourKeyid, self.ourDHKey, "session"))
        for keyid, dh, origin in pairs:
            marker = (keyid, dh.pub)
            if marker in self.reported_dh:
                continue
            self.reported_dh.add(marker)
            self.ctx.log.emit(event="dh", party=self.ctx.user.name,
                              keyid=keyid, priv=int_hex(dh.priv),
                              pub=int_hex(dh.pub), origin=origin)

    def startAKE(self, appdata=None):
        try:
            return super(ObservedCryptEngine, self).startAKE(appdata=appdata)
        finally:
            self.report_dh()

    def handleAKE(self, inMsg, appdata=None):
        try:
            return super(ObservedCryptEngine, self).handleAKE(inMsg, appdata=appdata)
        finally:
            self.report_dh()

    def rotateDHKeys(self):
        super(ObservedCryptEngine, self).rotateDHKeys()
        self.report_dh()

    # -- Data messages -----------------------------------------------------
    def createDataMessage(self, message, flags=0, tlvs=None):
        msg = super(ObservedCryptEngine, self).createDataMessage(message, flags, tlvs)
        session = self.sessionkeys[1][0]
        self.ctx.log.emit(event="keys", party=self.ctx.user.name,
                          direction="send", our_keyid=msg.skeyid,
                          their_keyid=msg.rkeyid, aes=hexstr(session.sendenc),
                          mac=hexstr(session.sendmac), ctr=hexstr(msg.ctr))
        return msg

    def handleDataMessage(self, msg):
        if self.saneKeyIds(msg):
            session = self.sessionkeys[self.ourKeyid - msg.rkeyid][self.theirKeyid - msg.skeyid]
            if session is not None:
                self.ctx.log.emit(event="keys", party=self.ctx.user.name,
                                  direction="receive", our_keyid=msg.rkeyid,
                                  their_keyid=msg.skeyid,
                                  aes=hexstr(session.rcvenc),
                                  mac=hexstr(session.rcvmac),
                                  ctr=hexstr(msg.ctr))
        plaintext, tlvs = super(ObservedCryptEngine, self).handleDataMessage(msg)
        self.ctx.report_received(plaintext, tlvs, encrypted=True)
        return plaintext, tlvs


class PeerContext(potr_context.Context):
    def __init__(self, account, peername):
        super(PeerContext, self).__init__(account, peername)
        self.log = account.log
        self.crypto = ObservedCryptEngine(self)
        self.current_seq = None

    def getPolicy(self, key):
        return self.user.policy.get(key, False)

    def inject(self, msg, appdata=None):
        self.user.wire(self.peer, bytes(msg))

    def maxMessageSize(self, appdata=None):
        return self.user.maxMessageSize

    def setState(self, newstate):
        old = self.state
        super(PeerContext, self).setState(newstate)
        if old != newstate:
            self.log.emit(event="state", party=self.user.name,
                          state=STATE_NAMES.get(newstate, str(newstate)))

    def _wentEncrypted(self):
        super(PeerContext, self)._wentEncrypted()
        crypto = self.crypto
        self.log.emit(event="secure", party=self.user.name, version=2,
                      ssid=hexstr(crypto.sessionId),
                      ssid_bold="second" if crypto.sessionIdHalf else "first",
                      their_fingerprint=human_fingerprint(crypto.theirPubkey),
                      our_fingerprint=human_fingerprint(self.user.getPrivkey()),
                      extra_key=hexstr(crypto.extraKey))

    def report_received(self, plaintext, tlvs, encrypted, **extra):
        text, text_hex = text_fields(plaintext or b"")
        fields = dict(event="received", by=self.user.name, text=text,
                      text_hex=text_hex,
                      tlvs=[{"type": t.typ, "data": hexstr(t.getPayload())} for t in tlvs],
                      encrypted=encrypted)
        if self.current_seq is not None:
            fields["seq"] = self.current_seq
        fields.update(extra)
        self.log.emit(**fields)

    def smp_event(self, status, **extra):
        trust = self.getCurrentTrust()
        self.log.emit(event="smp", party=self.user.name, status=status,
                      trust=trust, **extra)

    def processTLVs(self, tlvs, appdata=None):
        for tlv in tlvs:
            super(PeerContext, self).processTLVs([tlv], appdata=appdata)
            self.after_tlv(tlv)

    def after_tlv(self, tlv):
        if isinstance(tlv, potr_proto.DisconnectTLV):
            self.log.emit(event="finished", party=self.user.name)
            return
        if not isinstance(tlv, potr_proto.SMPTLV):
            return
        smp = self.crypto.smp
        progress = smp.prog if smp is not None else None
        if isinstance(tlv, potr_proto.SMPABORTTLV):
            self.smp_event("aborted")
        elif isinstance(tlv, (potr_proto.SMP1TLV, potr_proto.SMP1QTLV)):
            if progress == potr_crypt.SMPPROG_OK and smp.state == 0:
                extra = {}
                if isinstance(tlv, potr_proto.SMP1QTLV):
                    extra["question"] = tlv.msg.decode("utf-8", "replace")
                    extra["question_hex"] = hexstr(tlv.msg)
                self.smp_event("request", **extra)
                secret = self.user.smp_secret
                if secret is not None:
                    self.smpGotSecret(secret, appdata=None)
            else:
                self.smp_event("invalid", step=1)
        elif isinstance(tlv, potr_proto.SMP2TLV):
            if progress != potr_crypt.SMPPROG_OK:
                self.smp_event("invalid", step=2)
        elif isinstance(tlv, (potr_proto.SMP3TLV, potr_proto.SMP4TLV)):
            step = 3 if isinstance(tlv, potr_proto.SMP3TLV) else 4
            self.smp_event(SMP_PROGRESS_NAMES.get(progress, str(progress)), step=step)

    # -- actions driven by the script -----------------------------------------
    def send_text(self, data, tlvs=None):
        if tlvs and self.state != potr_context.STATE_ENCRYPTED:
            raise UsageError("a TLV can only be sent in an encrypted session")
        out = self.sendMessage(potr_context.FRAGMENT_SEND_ALL, data,
                               tlvs=tlvs or [])
        if out is not None:
            # potr returns plaintext (and query messages) for the caller to
            # send itself; it injects only OTR protocol messages.
            self.inject(out)

    def send_query(self):
        self.send_text(b"?OTRv2?")

    def smp_secret_command(self, secret, question=None):
        smp = self.crypto.smp
        if question is None and smp is not None and smp.state == 0 \
                and smp.prog == potr_crypt.SMPPROG_OK:
            # a request is waiting for our answer
            self.smpGotSecret(secret)
        else:
            self.smpInit(secret, question=question)


class PeerAccount(potr_context.Account):
    contextclass = PeerContext

    def __init__(self, name, peer, fragment, key, log, wire, tag=False,
                 smp_secret=None):
        super(PeerAccount, self).__init__(name, "xmpp", fragment)
        self.given_key = key
        self.log = log
        self.peer = peer
        self.smp_secret = smp_secret
        self.wire_sink = wire
        self.policy = {
            "ALLOW_V1": False,
            "ALLOW_V2": True,
            "REQUIRE_ENCRYPTION": False,
            "SEND_TAG": bool(tag),
        }
        self.ctx = self.getContext(peer)

    def loadPrivkey(self):
        # None makes potr generate a fresh key (through the shim).
        return self.given_key

    def savePrivkey(self):
        pass

    def saveTrusts(self):
        pass

    def wire(self, to, data):
        self.wire_sink(self.name, to, data)

    def announce(self):
        key = self.getPrivkey()
        self.log.emit(event="party", name=self.name,
                      fingerprint=human_fingerprint(key),
                      pubkey=hexstr(key.serializePublicKey()))


def deliver(ctx, data, seq=None):
    """Hand one wire message to a potr context and report what happened."""
    log = ctx.log
    ctx.current_seq = seq
    try:
        ctx.receiveMessage(data)
    except potr_context.NotOTRMessage as err:
        ctx.report_received(err.args[0], [], encrypted=False,
                            whitespace_tag=potr_proto.MESSAGE_TAG_BASE in data)
    except potr_context.UnencryptedMessage as err:
        ctx.report_received(err.args[0], [], encrypted=False,
                            whitespace_tag=potr_proto.MESSAGE_TAG_BASE in data,
                            warning="unencrypted message while not in plaintext state")
    except potr_context.ErrorReceived as err:
        text, text_hex = text_fields(err.args[0].error)
        fields = dict(event="otr_error", by=ctx.user.name, text=text, text_hex=text_hex)
        if seq is not None:
            fields["seq"] = seq
        log.emit(**fields)
    except Exception as err:  # potr raises many kinds; report them all
        fields = dict(event="error", party=ctx.user.name, kind=type(err).__name__,
                      detail=str(err), stage="receive")
        if seq is not None:
            fields["seq"] = seq
        log.emit(**fields)
    finally:
        ctx.current_seq = None


def run_action(ctx, action, argument):
    """Perform one script action for a party; potr errors become events."""
    try:
        if action == "text":
            ctx.send_text(unescape(argument))
        elif action == "start":
            ctx.send_query()
        elif action == "ake":
            ctx.authStartV2()
        elif action == "smp":
            ctx.smp_secret_command(unescape(argument))
        elif action == "smpq":
            if "|" not in argument:
                raise UsageError("/smpq needs QUESTION|SECRET")
            question, secret = argument.split("|", 1)
            ctx.smp_secret_command(unescape(secret), question=unescape(question))
        elif action == "smpabort":
            ctx.smpAbort()
        elif action == "end":
            ctx.disconnect()
        elif action == "raw":
            ctx.inject(unescape(argument))
        elif action == "tlv":
            parts = argument.split(" ", 2)
            if len(parts) < 2:
                raise UsageError("/tlv needs TYPE HEXDATA [TEXT]")
            try:
                typ = int(parts[0], 0)
            except ValueError:
                raise UsageError("bad TLV type %r" % (parts[0],))
            if not 0 <= typ <= 0xFFFF:
                raise UsageError("TLV type out of range: %d" % typ)
            payload = parse_hex(parts[1], "TLV data")
            text = unescape(parts[2]) if len(parts) > 2 else b""
            ctx.send_text(text, tlvs=[RawTLV(typ, payload)])
        else:
            raise UsageError("unknown command /%s" % action)
    except UsageError:
        raise
    except Exception as err:
        ctx.log.emit(event="error", party=ctx.user.name, kind=type(err).__name__,
                     detail=str(err), stage=action)


def split_command(body):
    """'TEXT' -> ('text', TEXT); '/cmd ARG' -> ('cmd', ARG)."""
    if body.startswith("/"):
        word, _, rest = body[1:].partition(" ")
        if word in ("start", "ake", "smp", "smpq", "smpabort", "end", "raw", "tlv"):
            return word, rest
        if word in ("send",):
            return "text", rest
    return "text", body


# ---------------------------------------------------------------------------
# Subcommands
# ---------------------------------------------------------------------------

def cmd_converse(args):
    fragment = check_fragment_size(args.fragment)
    if bool(args.alice_key) != bool(args.bob_key):
        raise UsageError("give both --alice-key and --bob-key, or neither")
    alice_key = read_private_key(args.alice_key) if args.alice_key else None
    bob_key = read_private_key(args.bob_key) if args.bob_key else None

    log = EventLog(sys.stdout.buffer)
    queue = collections.deque()
    wire = WireReporter(log, queue)

    alice = PeerAccount("alice", "bob", fragment, alice_key, log, wire,
                        tag=args.tag, smp_secret=None if args.alice_secret is None
                        else unescape(args.alice_secret))
    bob = PeerAccount("bob", "alice", fragment, bob_key, log, wire,
                      tag=args.tag, smp_secret=None if args.bob_secret is None
                      else unescape(args.bob_secret))
    parties = {"alice": alice, "bob": bob}
    alice.announce()
    bob.announce()

    def drain(lineno):
        deliveries = 0
        while queue:
            deliveries += 1
            if deliveries > MAX_DELIVERIES:
                sys.stderr.write("potrpeer: more than %d deliveries after script "
                                 "line %d; the parties are looping\n"
                                 % (MAX_DELIVERIES, lineno))
                return False
            to, data, seq = queue.popleft()
            deliver(parties[to].ctx, data, seq)
        return True

    # Transit faults, as the libotr peer has them: !hold stops delivering
    # after each line, !step delivers the next message in flight, !drop
    # loses it (a "dropped" event), !flush delivers everything and stops
    # holding.
    holding = False
    lineno = 0
    for lineno, raw in enumerate(sys.stdin.buffer, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("script line %d is not UTF-8" % lineno)
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("!"):
            control = line[1:].strip()
            if control == "hold":
                holding = True
            elif control == "flush":
                holding = False
                if not drain(lineno):
                    return EXIT_ENVIRONMENT
            elif control in ("step", "drop"):
                if not queue:
                    raise UsageError("script line %d: !%s with no message in flight" % (lineno, control))
                to, data, seq = queue.popleft()
                if control == "step":
                    deliver(parties[to].ctx, data, seq)
                else:
                    log.emit(event="dropped", seq=seq, to=to)
            else:
                raise UsageError("script line %d: unknown control %r (!hold !step !drop !flush)" % (lineno, line))
            continue
        name, sep, body = line.partition(":")
        name = name.strip()
        if not sep or name not in parties:
            raise UsageError("script line %d: expected 'alice: ...' or 'bob: ...': %r"
                             % (lineno, line))
        if body.startswith(" "):
            body = body[1:]
        action, argument = split_command(body)
        try:
            run_action(parties[name].ctx, action, argument)
        except UsageError as err:
            raise UsageError("script line %d: %s" % (lineno, err))

        if not holding and not drain(lineno):
            return EXIT_ENVIRONMENT
    if not holding and not drain(lineno):
        return EXIT_ENVIRONMENT
    return EXIT_OK


def receive_line(ctx, raw, lineno):
    """One input line of `receive`: a wire message, a JSON message or a command."""
    if raw.endswith(b"\n"):
        raw = raw[:-1]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if not raw.strip():
        return
    if raw.startswith(b"{"):
        try:
            obj = json.loads(raw.decode("utf-8"))
            if "text_hex" in obj:
                data = binascii.unhexlify(obj["text_hex"])
            else:
                data = obj["text"].encode("utf-8")
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise UsageError("input line %d: bad JSON message: %s" % (lineno, err))
        deliver(ctx, data)
        return
    if raw.startswith(b"/"):
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("input line %d: command is not UTF-8" % lineno)
        action, argument = split_command(body)
        if action != "text" or body.startswith("/send "):
            try:
                run_action(ctx, action, argument)
            except UsageError as err:
                raise UsageError("input line %d: %s" % (lineno, err))
            return
    deliver(ctx, raw)


def cmd_receive(args):
    fragment = check_fragment_size(args.fragment)
    key = read_private_key(args.key)
    log = EventLog(sys.stdout.buffer)
    wire = WireReporter(log, None)

    party = PeerAccount(args.name, args.peer, fragment, key, log, wire,
                        tag=args.tag, smp_secret=None if args.secret is None
                        else unescape(args.secret))
    party.announce()
    ctx = party.ctx

    stdin = sys.stdin.buffer
    lineno = 0
    while True:
        raw = stdin.readline()
        if not raw:
            break
        lineno += 1
        receive_line(ctx, raw, lineno)
        # A driver waits for this marker before it reads what the line caused.
        log.emit(event="done", line=lineno,
                 msgstate=STATE_NAMES.get(ctx.state, str(ctx.state)))
    return EXIT_OK


def cmd_keygen(args):
    key = potr_compat.generateDefaultKey()
    write_private_key(args.file, key)
    print(human_fingerprint(key))
    return EXIT_OK


def cmd_fingerprint(args):
    key = read_private_key(args.file)
    print(human_fingerprint(key))
    print(hexstr(key.serializePublicKey()))
    return EXIT_OK


def cmd_sign(args):
    key = read_private_key(args.file)
    data = parse_hex(args.hexdata, "HEXDATA")
    print(hexstr(key.sign(data)))
    return EXIT_OK


def cmd_verify(args):
    blob = parse_hex(args.pubkeyhex, "PUBKEYHEX")
    sig = parse_hex(args.sighex, "SIGHEX")
    data = parse_hex(args.hexdata, "HEXDATA")
    try:
        key, rest = potr_compat.PK.parsePublicKey(blob)
    except Exception as err:
        raise UsageError("PUBKEYHEX is not an OTR public key: %s: %s"
                         % (type(err).__name__, err))
    if rest:
        raise UsageError("PUBKEYHEX has %d trailing bytes" % len(rest))
    if len(sig) != 40:
        # potr's verify splits the signature at byte 20; an ill-sized one
        # can never be a valid DSA-1024 signature, so say so clearly.
        print("bad")
        return EXIT_BAD
    if key.verify(data, sig):
        print("ok")
        return EXIT_OK
    print("bad")
    return EXIT_BAD


def build_parser():
    parser = argparse.ArgumentParser(
        prog="potrpeer.py",
        description="OTR v2 test peer driving python-potr %s" % getattr(potr, "__version__", "?"))
    parser.add_argument("--verbose", action="store_true",
                        help="show potr's debug log on stderr")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND")
    sub.required = True

    p = sub.add_parser("converse", help="two potr parties run a script from stdin")
    p.add_argument("--fragment", type=int, metavar="N",
                   help="maximum message size (potr fragments longer messages)")
    p.add_argument("--alice-key", metavar="FILE")
    p.add_argument("--bob-key", metavar="FILE")
    p.add_argument("--alice-secret", metavar="SECRET",
                   help="Alice answers SMP requests with this secret")
    p.add_argument("--bob-secret", metavar="SECRET",
                   help="Bob answers SMP requests with this secret")
    p.add_argument("--tag", action="store_true",
                   help="both parties whitespace-tag plaintext (SEND_TAG policy)")
    p.set_defaults(func=cmd_converse)

    p = sub.add_parser("receive", help="one potr party fed wire messages on stdin")
    p.add_argument("--key", metavar="FILE", required=True)
    p.add_argument("--fragment", type=int, metavar="N")
    p.add_argument("--name", default="potr", help="this party's name in events")
    p.add_argument("--peer", default="peer", help="the other party's name")
    p.add_argument("--secret", metavar="SECRET",
                   help="answer SMP requests with this secret")
    p.add_argument("--tag", action="store_true",
                   help="whitespace-tag plaintext (SEND_TAG policy)")
    p.set_defaults(func=cmd_receive)

    p = sub.add_parser("keygen", help="generate a DSA key in potr's serialisation")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_keygen)

    p = sub.add_parser("fingerprint", help="fingerprint and public key of a key file")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_fingerprint)

    p = sub.add_parser("sign", help="DSA-sign HEXDATA the way potr signs in the AKE")
    p.add_argument("file", metavar="FILE")
    p.add_argument("hexdata", metavar="HEXDATA")
    p.set_defaults(func=cmd_sign)

    p = sub.add_parser("verify", help="verify a signature the way potr does")
    p.add_argument("pubkeyhex", metavar="PUBKEYHEX")
    p.add_argument("sighex", metavar="SIGHEX")
    p.add_argument("hexdata", metavar="HEXDATA")
    p.set_defaults(func=cmd_verify)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    # potr logs through the logging module; keep its messages on stderr.
    logging.basicConfig(stream=sys.stderr,
                        level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="potrpeer: potr %(levelname)s: %(message)s")
    try:
        return args.func(args)
    except UsageError as err:
        sys.stdout.flush()
        sys.stderr.write("potrpeer: %s\n" % (err,))
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
