/*
 * otrpeer: a small libotr-based peer used by the otrtool test suite.
 *
 * Shared declarations for the output helpers (JSON Lines), byte helpers,
 * the key-material cross-checks and the session runner.
 */
#ifndef OTRPEER_H
#define OTRPEER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <gcrypt.h>
#include <libotr/proto.h>
#include <libotr/userstate.h>
#include <libotr/context.h>
#include <libotr/context_priv.h>
#include <libotr/privkey.h>
#include <libotr/instag.h>
#include <libotr/message.h>
#include <libotr/tlv.h>

/* ---------- growable byte buffer ---------- */

typedef struct {
    char *data;
    size_t len;
    size_t cap;
} Buf;

void buf_put(Buf *b, const void *p, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_free(Buf *b);

/* Append s (n bytes) as a JSON string literal, quotes included.  Valid
 * UTF-8 passes through; bytes that are not valid UTF-8 become U+FFFD.
 * Returns 1 if the input was valid UTF-8, 0 if not. */
int buf_json_string(Buf *b, const unsigned char *s, size_t n);
void buf_hex(Buf *b, const unsigned char *p, size_t n);

/* ---------- JSON Lines events ---------- */

/* An event is a Buf holding an unterminated JSON object. */
void ev_begin(Buf *ev, const char *event);
void ev_str(Buf *ev, const char *key, const char *s);
/* A text field: the string, and (always, or only when the bytes are not
 * valid UTF-8) a companion KEY_hex field with the exact bytes. */
void ev_text(Buf *ev, const char *key, const unsigned char *s, size_t n,
	int always_hex);
void ev_hex(Buf *ev, const char *key, const unsigned char *p, size_t n);
void ev_mpi(Buf *ev, const char *key, gcry_mpi_t m);
void ev_int(Buf *ev, const char *key, long long v);
void ev_bool(Buf *ev, const char *key, int v);
void ev_null(Buf *ev, const char *key);
void ev_raw(Buf *ev, const char *key, const char *json);
void ev_instag(Buf *ev, const char *key, unsigned int instag);
/* Close the object, write it as one line to stdout, flush, free. */
void ev_emit(Buf *ev);

/* ---------- misc helpers ---------- */

void die(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
void *xmalloc(size_t n);
char *xstrdup(const char *s);
/* Parse hex ("" or "-" = empty).  Returns 0 on success. */
int hex_decode(const char *hex, unsigned char **out, size_t *outlen);
/* Unescape \n \t \r \\ \xHH.  Returns NULL (and sets *err) on a bad
 * escape or an embedded NUL. */
char *unescape(const char *s, const char **err);
/* Big-endian minimal bytes of an MPI (malloc'd; *n may be 0). */
unsigned char *mpi_bytes(gcry_mpi_t m, size_t *n);
const char *fingerprint_human(const unsigned char hash[20], char out[45]);

/* ---------- key material ---------- */

/* Keys derived from one pair of D-H keys, as otrl_dh_session does. */
typedef struct {
    unsigned char sendenc[16], rcvenc[16];
    unsigned char sendmac[20], rcvmac[20];
    unsigned char extrakey[32];
} DerivedKeys;

void keys_init(void);
void keys_done(void);
void derive_keys(gcry_mpi_t our_priv, gcry_mpi_t our_pub, gcry_mpi_t their_y,
	DerivedKeys *out);

/* A copy of the key state of one ConnContext. */
typedef struct {
    ConnContext *ctx;
    OtrlMessageState msgstate;
    unsigned int version;
    otrl_instag_t their_instance;
    unsigned int our_keyid, their_keyid;
    gcry_mpi_t our_priv, our_pub, old_priv, old_pub, their_y, their_old_y;
    int present[2][2];
    unsigned char sendmackey[2][2][20], rcvmackey[2][2][20];
    unsigned char sendctr[2][2][8], rcvctr[2][2][8];
    unsigned char extrakey[2][2][32];
} CtxSnap;

void snap_take(ConnContext *ctx, CtxSnap *s);
void snap_free(CtxSnap *s);

/* The parts of a Data Message header we report. */
typedef struct {
    int version;
    unsigned int sender_instance, recipient_instance;
    unsigned int flags;
    unsigned int sender_keyid, recipient_keyid;
    unsigned char ctr[8];
} DataHeader;

/* Parse a complete (unfragmented) Data Message.  Returns 0 on success. */
int parse_data_header(const char *msg, DataHeader *h);

/* Emit a "keys" event for the key pair (our_keyid, their_keyid) of the
 * snapshot `used`, with the full current state taken from `now` (may be
 * NULL).  role is "send" or "recv".  Exits with code 4 if the derived
 * keys do not match what libotr stored. */
void emit_keys_event(const char *party, const char *role, unsigned long seq,
	const CtxSnap *used, unsigned int our_keyid, unsigned int their_keyid,
	const DataHeader *h, const CtxSnap *now);

/* ---------- subcommands ---------- */

int cmd_converse(int argc, char **argv);
int cmd_receive(int argc, char **argv);

#endif
