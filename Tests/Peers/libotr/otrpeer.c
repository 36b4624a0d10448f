/*
 * otrpeer: a libotr 4.1.1 test peer for otrtool.
 *
 * Subcommands working on key, instance-tag and fingerprint files live
 * here; `converse` and `receive` are in runner.c (with session.c for the
 * wire, callbacks.c for libotr's callbacks and clock.c for the clock
 * libotr reads).  See README.md for the exact output formats.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "otrpeer.h"

static void usage(void)
{
    fputs(
"usage: otrpeer SUBCOMMAND ...\n"
"  keygen KEYFILE ACCOUNT PROTOCOL\n"
"  fingerprints KEYFILE\n"
"  pubkey KEYFILE ACCOUNT PROTOCOL\n"
"  sign KEYFILE ACCOUNT PROTOCOL HEXDATA\n"
"  verify PUBKEYHEX SIGHEX HEXDATA\n"
"  instag-gen FILE ACCOUNT PROTOCOL\n"
"  instags FILE\n"
"  read-fingerprints FILE\n"
"  write-fingerprints IN OUT\n"
"  converse [options] < SCRIPT\n"
"  receive --key FILE [options] < WIRE-LINES\n"
"See Tests/Peers/libotr/README.md.\n", stderr);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static OtrlUserState load_keys(const char *keyfile)
{
    OtrlUserState us = otrl_userstate_create();
    gcry_error_t err = otrl_privkey_read(us, keyfile);
    if (err) {
	otrl_userstate_free(us);
	die(2, "cannot read private keys from %s: %s", keyfile,
		gcry_strerror(err));
    }
    return us;
}

static OtrlPrivKey *need_key(OtrlUserState us, const char *keyfile,
	const char *account, const char *protocol)
{
    OtrlPrivKey *k = otrl_privkey_find(us, account, protocol);
    if (!k) die(2, "%s has no key for %s/%s", keyfile, account, protocol);
    return k;
}

static void print_fingerprint_line(OtrlPrivKey *k)
{
    unsigned char hash[20];
    char human[OTRL_PRIVKEY_FPRINT_HUMAN_LEN];
    gcry_md_hash_buffer(GCRY_MD_SHA1, hash, k->pubkey_data, k->pubkey_datalen);
    printf("%s\t%s\t%s\n", k->accountname, k->protocol,
	    fingerprint_human(hash, human));
}

static int cmd_keygen(int argc, char **argv)
{
    if (argc != 5) { usage(); return 2; }
    const char *file = argv[2], *account = argv[3], *protocol = argv[4];
    OtrlUserState us = otrl_userstate_create();
    if (file_exists(file)) {
	gcry_error_t err = otrl_privkey_read(us, file);
	if (err) die(2, "cannot read existing %s: %s", file, gcry_strerror(err));
    }
    gcry_error_t err = otrl_privkey_generate(us, file, account, protocol);
    if (err) die(2, "key generation failed: %s", gcry_strerror(err));
    print_fingerprint_line(need_key(us, file, account, protocol));
    otrl_userstate_free(us);
    return 0;
}

static int cmd_fingerprints(int argc, char **argv)
{
    if (argc != 3) { usage(); return 2; }
    OtrlUserState us = load_keys(argv[2]);
    /* libotr prepends each key it reads; print in file order. */
    size_t n = 0;
    for (OtrlPrivKey *k = us->privkey_root; k; k = k->next) n++;
    OtrlPrivKey **all = xmalloc(n * sizeof(*all));
    size_t i = 0;
    for (OtrlPrivKey *k = us->privkey_root; k; k = k->next) all[i++] = k;
    while (i > 0) print_fingerprint_line(all[--i]);
    free(all);
    otrl_userstate_free(us);
    return 0;
}

static void print_hex_line(const unsigned char *p, size_t n)
{
    Buf b = {0};
    buf_hex(&b, p, n);
    printf("%s\n", b.data ? b.data : "");
    buf_free(&b);
}

static int cmd_pubkey(int argc, char **argv)
{
    if (argc != 5) { usage(); return 2; }
    OtrlUserState us = load_keys(argv[2]);
    OtrlPrivKey *k = need_key(us, argv[2], argv[3], argv[4]);
    /* libotr's pubkey_data is the four MPIs only; the PUBKEY encoding
     * puts the 2-byte key type in front. */
    size_t n = 2 + k->pubkey_datalen;
    unsigned char *p = xmalloc(n);
    p[0] = (unsigned char)(k->pubkey_type >> 8);
    p[1] = (unsigned char)k->pubkey_type;
    memcpy(p + 2, k->pubkey_data, k->pubkey_datalen);
    print_hex_line(p, n);
    free(p);
    otrl_userstate_free(us);
    return 0;
}

static int cmd_sign(int argc, char **argv)
{
    if (argc != 6) { usage(); return 2; }
    unsigned char *data;
    size_t datalen;
    if (hex_decode(argv[5], &data, &datalen)) die(2, "HEXDATA is not hex");
    OtrlUserState us = load_keys(argv[2]);
    OtrlPrivKey *k = need_key(us, argv[2], argv[3], argv[4]);
    unsigned char *sig = NULL;
    size_t siglen = 0;
    gcry_error_t err = otrl_privkey_sign(&sig, &siglen, k, data, datalen);
    if (err) die(2, "signing failed: %s", gcry_strerror(err));
    print_hex_line(sig, siglen);
    free(sig);
    free(data);
    otrl_userstate_free(us);
    return 0;
}

/* Read four OTR MPIs (p, q, g, y) filling exactly n bytes.  libotr 4.1.1
 * exports no public-key parser (its AKE reads the key inline), so this
 * follows the same layout: 4-byte big-endian length, then the bytes. */
static int read_dsa_mpis(const unsigned char *b, size_t n, gcry_sexp_t *out)
{
    gcry_mpi_t m[4] = {0};
    size_t off = 0;
    int rc = -1;
    for (int i = 0; i < 4; i++) {
	if (n - off < 4) goto out;
	size_t len = (size_t)b[off] << 24 | (size_t)b[off + 1] << 16 |
	    (size_t)b[off + 2] << 8 | b[off + 3];
	off += 4;
	if (n - off < len) goto out;
	if (gcry_mpi_scan(&m[i], GCRYMPI_FMT_USG, b + off, len, NULL))
	    goto out;
	off += len;
    }
    if (off != n) goto out;
    if (gcry_sexp_build(out, NULL,
		"(public-key (dsa (p %m)(q %m)(g %m)(y %m)))",
		m[0], m[1], m[2], m[3]))
	goto out;
    rc = 0;
out:
    for (int i = 0; i < 4; i++) gcry_mpi_release(m[i]);
    return rc;
}

static int cmd_verify(int argc, char **argv)
{
    if (argc != 5) { usage(); return 2; }
    unsigned char *pub, *sig, *data;
    size_t publen, siglen, datalen;
    if (hex_decode(argv[2], &pub, &publen)) die(2, "PUBKEYHEX is not hex");
    if (hex_decode(argv[3], &sig, &siglen)) die(2, "SIGHEX is not hex");
    if (hex_decode(argv[4], &data, &datalen)) die(2, "HEXDATA is not hex");

    /* Accept the PUBKEY encoding (type 0x0000 first) and, failing that,
     * the bare MPIs that libotr keeps as pubkey_data. */
    gcry_sexp_t pubs = NULL;
    if (!(publen >= 2 && pub[0] == 0 && pub[1] == 0 &&
		read_dsa_mpis(pub + 2, publen - 2, &pubs) == 0) &&
	    read_dsa_mpis(pub, publen, &pubs) != 0) {
	die(2, "PUBKEYHEX is not an OTR DSA public key");
    }
    gcry_error_t err = otrl_privkey_verify(sig, siglen, OTRL_PUBKEY_TYPE_DSA,
	    pubs, data, datalen);
    gcry_sexp_release(pubs);
    free(pub);
    free(sig);
    free(data);
    if (err) {
	printf("bad\n");
	fprintf(stderr, "otrpeer: verify: %s\n", gcry_strerror(err));
	return 1;
    }
    printf("ok\n");
    return 0;
}

static int cmd_instag_gen(int argc, char **argv)
{
    if (argc != 5) { usage(); return 2; }
    const char *file = argv[2], *account = argv[3], *protocol = argv[4];
    OtrlUserState us = otrl_userstate_create();
    if (file_exists(file)) {
	gcry_error_t err = otrl_instag_read(us, file);
	if (err) die(2, "cannot read %s: %s", file, gcry_strerror(err));
	OtrlInsTag *old;
	while ((old = otrl_instag_find(us, account, protocol)) != NULL)
	    otrl_instag_forget(old);
    }
    gcry_error_t err = otrl_instag_generate(us, file, account, protocol);
    if (err) die(2, "cannot write %s: %s", file, gcry_strerror(err));
    OtrlInsTag *t = otrl_instag_find(us, account, protocol);
    if (!t) die(2, "libotr did not record the new instance tag");
    printf("%s\t%s\t%08x\n", t->accountname, t->protocol, t->instag);
    otrl_userstate_free(us);
    return 0;
}

static int cmd_instags(int argc, char **argv)
{
    if (argc != 3) { usage(); return 2; }
    OtrlUserState us = otrl_userstate_create();
    gcry_error_t err = otrl_instag_read(us, argv[2]);
    if (err) die(2, "cannot read %s: %s", argv[2], gcry_strerror(err));
    size_t n = 0;
    for (OtrlInsTag *t = us->instag_root; t; t = t->next) n++;
    OtrlInsTag **all = xmalloc(n * sizeof(*all));
    size_t i = 0;
    for (OtrlInsTag *t = us->instag_root; t; t = t->next) all[i++] = t;
    while (i > 0) {
	OtrlInsTag *t = all[--i];
	printf("%s\t%s\t%08x\n", t->accountname, t->protocol, t->instag);
    }
    free(all);
    otrl_userstate_free(us);
    return 0;
}

static int cmd_read_fingerprints(int argc, char **argv)
{
    if (argc != 3) { usage(); return 2; }
    OtrlUserState us = otrl_userstate_create();
    gcry_error_t err = otrl_privkey_read_fingerprints(us, argv[2], NULL, NULL);
    if (err) die(2, "cannot read %s: %s", argv[2], gcry_strerror(err));
    for (ConnContext *c = us->context_root; c; c = c->next) {
	for (Fingerprint *f = c->fingerprint_root.next; f; f = f->next) {
	    Buf hex = {0};
	    buf_hex(&hex, f->fingerprint, 20);
	    printf("%s\t%s\t%s\t%s\t%s\n", c->accountname, c->protocol,
		    c->username, hex.data, f->trust ? f->trust : "");
	    buf_free(&hex);
	}
    }
    otrl_userstate_free(us);
    return 0;
}

static int cmd_write_fingerprints(int argc, char **argv)
{
    if (argc != 4) { usage(); return 2; }
    OtrlUserState us = otrl_userstate_create();
    gcry_error_t err = otrl_privkey_read_fingerprints(us, argv[2], NULL, NULL);
    if (err) die(2, "cannot read %s: %s", argv[2], gcry_strerror(err));
    err = otrl_privkey_write_fingerprints(us, argv[3]);
    if (err) die(2, "cannot write %s: %s", argv[3], gcry_strerror(err));
    otrl_userstate_free(us);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(); return 2; }
    if (otrl_init(OTRL_VERSION_MAJOR, OTRL_VERSION_MINOR, OTRL_VERSION_SUB))
	die(2, "otrl_init failed");
    keys_init();

    const char *cmd = argv[1];
    int rc;
    if (!strcmp(cmd, "keygen")) rc = cmd_keygen(argc, argv);
    else if (!strcmp(cmd, "fingerprints")) rc = cmd_fingerprints(argc, argv);
    else if (!strcmp(cmd, "pubkey")) rc = cmd_pubkey(argc, argv);
    else if (!strcmp(cmd, "sign")) rc = cmd_sign(argc, argv);
    else if (!strcmp(cmd, "verify")) rc = cmd_verify(argc, argv);
    else if (!strcmp(cmd, "instag-gen")) rc = cmd_instag_gen(argc, argv);
    else if (!strcmp(cmd, "instags")) rc = cmd_instags(argc, argv);
    else if (!strcmp(cmd, "read-fingerprints"))
	rc = cmd_read_fingerprints(argc, argv);
    else if (!strcmp(cmd, "write-fingerprints"))
	rc = cmd_write_fingerprints(argc, argv);
    else if (!strcmp(cmd, "converse")) rc = cmd_converse(argc, argv);
    else if (!strcmp(cmd, "receive")) rc = cmd_receive(argc, argv);
    else if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
	usage();
	rc = 0;
    } else {
	fprintf(stderr, "otrpeer: unknown subcommand %s\n", cmd);
	usage();
	rc = 2;
    }
    keys_done();
    if (fflush(stdout)) die(2, "cannot write to stdout");
    return rc;
}
