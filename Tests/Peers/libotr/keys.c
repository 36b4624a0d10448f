/*
 * otrpeer: session key material.
 *
 * libotr keeps the AES keys of a session only inside gcrypt cipher
 * handles, so the AES keys are recomputed here from the D-H values the
 * context holds (the same rule as the protocol's data-message keys), and
 * every recomputation is checked against the MAC keys and extra key that
 * libotr stored as bytes.  A mismatch is fatal (exit code 4).
 */
#include <stdlib.h>
#include <string.h>

#include <libotr/b64.h>

#include "otrpeer.h"

/* The 1536-bit MODP group of RFC 3526, used by OTR for all D-H. */
static const char *MODULUS_HEX =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D"
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";

static gcry_mpi_t modulus;

void keys_init(void)
{
    if (gcry_mpi_scan(&modulus, GCRYMPI_FMT_HEX, MODULUS_HEX, 0, NULL))
	die(2, "cannot load the D-H modulus");
}

void keys_done(void)
{
    gcry_mpi_release(modulus);
    modulus = NULL;
}

void derive_keys(gcry_mpi_t our_priv, gcry_mpi_t our_pub, gcry_mpi_t their_y,
	DerivedKeys *out)
{
    gcry_mpi_t s = gcry_mpi_new(1536);
    gcry_mpi_powm(s, their_y, our_priv, modulus);

    /* secbytes: the shared secret as an OTR MPI (4-byte length, then the
     * big-endian bytes), preceded by one selector byte. */
    size_t slen;
    unsigned char *sbytes = mpi_bytes(s, &slen);
    gcry_mpi_release(s);
    unsigned char *buf = xmalloc(slen + 5);
    buf[1] = (unsigned char)(slen >> 24);
    buf[2] = (unsigned char)(slen >> 16);
    buf[3] = (unsigned char)(slen >> 8);
    buf[4] = (unsigned char)slen;
    memcpy(buf + 5, sbytes, slen);
    free(sbytes);

    /* The side with the larger public key uses selector 0x01 to send. */
    unsigned char sendbyte, rcvbyte;
    if (gcry_mpi_cmp(our_pub, their_y) > 0) {
	sendbyte = 0x01;
	rcvbyte = 0x02;
    } else {
	sendbyte = 0x02;
	rcvbyte = 0x01;
    }

    unsigned char h[32];
    buf[0] = sendbyte;
    gcry_md_hash_buffer(GCRY_MD_SHA1, h, buf, slen + 5);
    memcpy(out->sendenc, h, 16);
    gcry_md_hash_buffer(GCRY_MD_SHA1, out->sendmac, out->sendenc, 16);

    buf[0] = rcvbyte;
    gcry_md_hash_buffer(GCRY_MD_SHA1, h, buf, slen + 5);
    memcpy(out->rcvenc, h, 16);
    gcry_md_hash_buffer(GCRY_MD_SHA1, out->rcvmac, out->rcvenc, 16);

    buf[0] = 0xff;
    gcry_md_hash_buffer(GCRY_MD_SHA256, out->extrakey, buf, slen + 5);

    memset(buf, 0, slen + 5);
    free(buf);
}

/* ---------- snapshots ---------- */

static gcry_mpi_t copy_or_null(gcry_mpi_t m)
{
    return m ? gcry_mpi_copy(m) : NULL;
}

void snap_take(ConnContext *ctx, CtxSnap *s)
{
    ConnContextPriv *p = ctx->context_priv;
    memset(s, 0, sizeof(*s));
    s->ctx = ctx;
    s->msgstate = ctx->msgstate;
    s->version = ctx->protocol_version;
    s->their_instance = ctx->their_instance;
    s->our_keyid = p->our_keyid;
    s->their_keyid = p->their_keyid;
    s->our_priv = copy_or_null(p->our_dh_key.priv);
    s->our_pub = copy_or_null(p->our_dh_key.pub);
    s->old_priv = copy_or_null(p->our_old_dh_key.priv);
    s->old_pub = copy_or_null(p->our_old_dh_key.pub);
    s->their_y = copy_or_null(p->their_y);
    s->their_old_y = copy_or_null(p->their_old_y);
    for (int i = 0; i < 2; i++) {
	for (int j = 0; j < 2; j++) {
	    DH_sesskeys *k = &p->sesskeys[i][j];
	    s->present[i][j] = k->sendenc != NULL;
	    memcpy(s->sendmackey[i][j], k->sendmackey, 20);
	    memcpy(s->rcvmackey[i][j], k->rcvmackey, 20);
	    memcpy(s->sendctr[i][j], k->sendctr, 8);
	    memcpy(s->rcvctr[i][j], k->rcvctr, 8);
	    memcpy(s->extrakey[i][j], k->extrakey, 32);
	}
    }
}

void snap_free(CtxSnap *s)
{
    gcry_mpi_release(s->our_priv);
    gcry_mpi_release(s->our_pub);
    gcry_mpi_release(s->old_priv);
    gcry_mpi_release(s->old_pub);
    gcry_mpi_release(s->their_y);
    gcry_mpi_release(s->their_old_y);
    memset(s, 0, sizeof(*s));
}

/* Select the D-H values of the snapshot for a pair of key ids.  Returns
 * 0 and sets the slot indices on success. */
static int snap_pair(const CtxSnap *s, unsigned int our_keyid,
	unsigned int their_keyid, gcry_mpi_t *priv, gcry_mpi_t *pub,
	gcry_mpi_t *y, int *slot_i, int *slot_j)
{
    if (our_keyid == 0 || their_keyid == 0) return -1;
    if (our_keyid == s->our_keyid) {
	*priv = s->our_priv;
	*pub = s->our_pub;
	*slot_i = 0;
    } else if (our_keyid + 1 == s->our_keyid) {
	*priv = s->old_priv;
	*pub = s->old_pub;
	*slot_i = 1;
    } else {
	return -1;
    }
    if (their_keyid == s->their_keyid) {
	*y = s->their_y;
	*slot_j = 0;
    } else if (their_keyid + 1 == s->their_keyid) {
	*y = s->their_old_y;
	*slot_j = 1;
    } else {
	return -1;
    }
    if (!*priv || !*pub || !*y) return -1;
    return 0;
}

/* Derive and check against libotr's stored bytes; fatal on mismatch. */
static void derive_checked(const char *party, const CtxSnap *s, gcry_mpi_t priv,
	gcry_mpi_t pub, gcry_mpi_t y, int i, int j, DerivedKeys *k)
{
    derive_keys(priv, pub, y, k);
    if (!s->present[i][j]) {
	die(4, "%s: libotr has no session keys in slot [%d][%d] for key ids "
		"(%u, %u)", party, i, j, s->our_keyid - i, s->their_keyid - j);
    }
    if (memcmp(k->sendmac, s->sendmackey[i][j], 20) ||
	    memcmp(k->rcvmac, s->rcvmackey[i][j], 20) ||
	    memcmp(k->extrakey, s->extrakey[i][j], 32)) {
	die(4, "%s: recomputed session keys of slot [%d][%d] do not match "
		"the MAC keys libotr stored (key derivation differs)",
		party, i, j);
    }
}

static void put_keys(Buf *b, const DerivedKeys *k)
{
    ev_hex(b, "sendenc", k->sendenc, 16);
    ev_hex(b, "sendmac", k->sendmac, 20);
    ev_hex(b, "rcvenc", k->rcvenc, 16);
    ev_hex(b, "rcvmac", k->rcvmac, 20);
    ev_hex(b, "extrakey", k->extrakey, 32);
}

/* JSON array with every slot [i][j] of the snapshot that has keys. */
static void all_slots(const char *party, const CtxSnap *s, Buf *out)
{
    int first = 1;
    buf_puts(out, "[");
    for (int i = 0; i < 2; i++) {
	for (int j = 0; j < 2; j++) {
	    gcry_mpi_t priv, pub, y;
	    int si, sj;
	    if (s->our_keyid < (unsigned)i + 1 ||
		    s->their_keyid < (unsigned)j + 1)
		continue;
	    if (snap_pair(s, s->our_keyid - i, s->their_keyid - j, &priv,
			&pub, &y, &si, &sj))
		continue;
	    if (!s->present[i][j]) continue;
	    DerivedKeys k;
	    derive_checked(party, s, priv, pub, y, i, j, &k);
	    if (!first) buf_puts(out, ",");
	    first = 0;
	    buf_printf(out, "{\"slot\":\"%d%d\"", i, j);
	    ev_int(out, "our_keyid", s->our_keyid - i);
	    ev_int(out, "their_keyid", s->their_keyid - j);
	    put_keys(out, &k);
	    ev_hex(out, "sendctr", s->sendctr[i][j], 8);
	    ev_hex(out, "rcvctr", s->rcvctr[i][j], 8);
	    buf_puts(out, "}");
	    memset(&k, 0, sizeof(k));
	}
    }
    buf_puts(out, "]");
}

void emit_keys_event(const char *party, const char *role, unsigned long seq,
	const CtxSnap *used, unsigned int our_keyid, unsigned int their_keyid,
	const DataHeader *h, const CtxSnap *now)
{
    gcry_mpi_t priv, pub, y;
    int i, j;
    Buf ev;

    if (snap_pair(used, our_keyid, their_keyid, &priv, &pub, &y, &i, &j)) {
	ev_begin(&ev, "error");
	ev_str(&ev, "party", party);
	ev_str(&ev, "where", "keys");
	ev_int(&ev, "seq", (long long)seq);
	ev_str(&ev, "message", "the key ids of this Data Message do not name "
		"keys the context holds");
	ev_int(&ev, "our_keyid", our_keyid);
	ev_int(&ev, "their_keyid", their_keyid);
	ev_emit(&ev);
	return;
    }
    DerivedKeys k;
    derive_checked(party, used, priv, pub, y, i, j, &k);

    ev_begin(&ev, "keys");
    ev_str(&ev, "party", party);
    ev_str(&ev, "role", role);
    ev_int(&ev, "seq", (long long)seq);
    ev_int(&ev, "version", h->version);
    ev_instag(&ev, "instance", used->their_instance);
    ev_int(&ev, "flags", h->flags);
    ev_int(&ev, "our_keyid", our_keyid);
    ev_int(&ev, "their_keyid", their_keyid);
    buf_printf(&ev, ",\"slot\":\"%d%d\"", i, j);
    ev_mpi(&ev, "our_pub", pub);
    ev_mpi(&ev, "their_y", y);
    put_keys(&ev, &k);
    ev_hex(&ev, "ctr", h->ctr, 8);
    if (!strcmp(role, "send")) {
	ev_hex(&ev, "sendctr", used->sendctr[i][j], 8);
	ev_hex(&ev, "rcvctr", used->rcvctr[i][j], 8);
    } else {
	ev_hex(&ev, "sendctr", used->sendctr[i][j], 8);
	ev_hex(&ev, "rcvctr", h->ctr, 8);
    }
    Buf all = {0};
    if (now && now->msgstate == OTRL_MSGSTATE_ENCRYPTED) {
	all_slots(party, now, &all);
    } else {
	buf_puts(&all, "[]");
    }
    ev_raw(&ev, "all", all.data);
    buf_free(&all);
    ev_emit(&ev);
    memset(&k, 0, sizeof(k));
}

/* ---------- Data Message header ---------- */

static unsigned int get32(const unsigned char *p)
{
    return (unsigned int)p[0] << 24 | (unsigned int)p[1] << 16 |
	(unsigned int)p[2] << 8 | p[3];
}

int parse_data_header(const char *msg, DataHeader *h)
{
    const char *start = strstr(msg, "?OTR:");
    if (!start) return -1;
    start += 5;
    const char *end = strchr(start, '.');
    size_t b64len = end ? (size_t)(end - start) : strlen(start);
    unsigned char *raw = xmalloc(OTRL_B64_MAX_DECODED_SIZE(b64len));
    size_t n = otrl_base64_decode(raw, start, b64len);
    const unsigned char *p = raw;
    int rc = -1;

    memset(h, 0, sizeof(*h));
    if (n < 3 || p[0] != 0 || p[2] != 0x03) goto out;
    h->version = p[1];
    if (h->version != 2 && h->version != 3) goto out;
    p += 3; n -= 3;
    if (h->version == 3) {
	if (n < 8) goto out;
	h->sender_instance = get32(p);
	h->recipient_instance = get32(p + 4);
	p += 8; n -= 8;
    }
    if (n < 1 + 4 + 4 + 4) goto out;
    h->flags = p[0];
    h->sender_keyid = get32(p + 1);
    h->recipient_keyid = get32(p + 5);
    p += 9; n -= 9;
    size_t ylen = get32(p);
    p += 4; n -= 4;
    if (n < ylen + 8) goto out;
    p += ylen; n -= ylen;
    memcpy(h->ctr, p, 8);
    rc = 0;
out:
    free(raw);
    return rc;
}
