/*
 * otrpeer: the `converse` and `receive` subcommands: options, party
 * setup and the script loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "party.h"

/* ---------- party setup ---------- */

static void set_secret(Party *p, const char *s)
{
    const char *err = NULL;
    free(p->secret);
    p->secret = unescape(s, &err);
    if (!p->secret) die(2, "secret: %s", err);
    p->secretlen = strlen(p->secret);
    p->have_secret = 1;
}

static void load_or_generate_key(Party *p, const char *keyfile, int may_gen)
{
    struct stat st;
    p->keyfile = xstrdup(keyfile);
    if (stat(keyfile, &st) == 0) {
	gcry_error_t err = otrl_privkey_read(p->us, keyfile);
	if (err) die(2, "cannot read private keys from %s: %s", keyfile,
		gcry_strerror(err));
    } else if (!may_gen) {
	die(2, "cannot read %s: %s", keyfile, strerror(errno));
    }
    if (otrl_privkey_find(p->us, p->account, p->protocol)) return;
    if (!may_gen) {
	die(2, "%s has no key for %s/%s", keyfile, p->account, p->protocol);
    }
    gcry_error_t err = otrl_privkey_generate(p->us, keyfile, p->account,
	    p->protocol);
    if (err) die(2, "key generation failed: %s", gcry_strerror(err));
    p->key_generated = 1;
}

static void set_instag(Party *p, const char *hex)
{
    if (!hex) {
	cb_create_instag(p, p->account, p->protocol);
	return;
    }
    char *end;
    unsigned long v = strtoul(hex, &end, 16);
    if (!*hex || *end || v < OTRL_MIN_VALID_INSTAG || v > 0xffffffffUL)
	die(2, "instance tag %s is not hex >= 0x100", hex);
    Buf line = {0};
    buf_printf(&line, "%s\t%s\t%08lx\n", p->account, p->protocol, v);
    FILE *f = fmemopen(line.data, line.len, "r");
    if (!f) die(2, "fmemopen: %s", strerror(errno));
    gcry_error_t err = otrl_instag_read_FILEp(p->us, f);
    fclose(f);
    buf_free(&line);
    if (err) die(2, "cannot set instance tag: %s", gcry_strerror(err));
}

static void party_init(Party *p, const char *name, const char *account,
	const char *protocol, const char *peer, const char *peer_label,
	OtrlPolicy policy, int mms)
{
    memset(p, 0, sizeof(*p));
    p->name = name;
    p->account = xstrdup(account);
    p->protocol = xstrdup(protocol);
    p->peer = xstrdup(peer);
    p->peer_label = peer_label;
    p->policy = policy;
    p->mms = mms;
    p->us = otrl_userstate_create();
    p->obs_us = otrl_userstate_create();
    p->obs_out = otrl_context_find(p->obs_us, "out", "observer", "observer",
	    OTRL_INSTAG_MASTER, 1, NULL, NULL, NULL);
    p->obs_in = otrl_context_find(p->obs_us, "in", "observer", "observer",
	    OTRL_INSTAG_MASTER, 1, NULL, NULL, NULL);
}

static void party_free(Party *p)
{
    otrl_userstate_free(p->us);
    otrl_userstate_free(p->obs_us);
    free(p->account);
    free(p->protocol);
    free(p->peer);
    free(p->keyfile);
    if (p->secret) memset(p->secret, 0, p->secretlen);
    free(p->secret);
    free(p->seen);
    free(p->states);
}

static void emit_party(Party *p)
{
    OtrlPrivKey *k = otrl_privkey_find(p->us, p->account, p->protocol);
    OtrlInsTag *t = otrl_instag_find(p->us, p->account, p->protocol);
    char human[45];
    unsigned char hash[20];
    gcry_md_hash_buffer(GCRY_MD_SHA1, hash, k->pubkey_data, k->pubkey_datalen);
    size_t n = 2 + k->pubkey_datalen;
    unsigned char *pub = xmalloc(n);
    pub[0] = (unsigned char)(k->pubkey_type >> 8);
    pub[1] = (unsigned char)k->pubkey_type;
    memcpy(pub + 2, k->pubkey_data, k->pubkey_datalen);

    Buf ev;
    ev_begin(&ev, "party");
    ev_str(&ev, "name", p->name);
    ev_str(&ev, "account", p->account);
    ev_str(&ev, "protocol", p->protocol);
    ev_str(&ev, "peer", p->peer);
    ev_str(&ev, "fingerprint", fingerprint_human(hash, human));
    ev_hex(&ev, "pubkey", pub, n);
    ev_str(&ev, "keyfile", p->keyfile);
    ev_bool(&ev, "key_generated", p->key_generated);
    ev_instag(&ev, "instance", t ? t->instag : 0);
    ev_int(&ev, "policy", p->policy);
    ev_int(&ev, "max_message_size", p->mms);
    ev_emit(&ev);
    free(pub);
}


/* ---------- option parsing ---------- */

typedef struct {
    int version;
    long policy;		/* -1: from version */
    int mms;
    const char *script;
    int raw;
    long long clock_start;	/* -1: the real clock */
} CommonOpts;

static OtrlPolicy policy_of(const CommonOpts *o)
{
    if (o->policy >= 0) return (OtrlPolicy)o->policy;
    return o->version == 2 ? OTRL_POLICY_ALLOW_V2
	: (OTRL_POLICY_ALLOW_V2 | OTRL_POLICY_ALLOW_V3);
}

static long parse_num(const char *opt, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 0);
    if (!*s || *end || errno || v < lo || v > hi)
	die(2, "%s: bad value %s", opt, s);
    return v;
}

static long long parse_wide(const char *opt, const char *s, long long lo,
	long long hi)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || v < lo || v > hi)
	die(2, "%s: bad value %s (a whole number from %lld to %lld)", opt, s,
		lo, hi);
    return v;
}

/* Handle the options both subcommands share; returns 1 if consumed. */
static int common_opt(CommonOpts *o, const char *opt, const char *val)
{
    if (!strcmp(opt, "--version")) {
	o->version = (int)parse_num(opt, val, 2, 3);
    } else if (!strcmp(opt, "--policy")) {
	o->policy = parse_num(opt, val, 0, 0xffff);
    } else if (!strcmp(opt, "--fragment")) {
	o->mms = (int)parse_num(opt, val, 0, 1 << 30);
	/* libotr puts up to 37 header characters (v3) in each fragment and
	 * divides by (N - header length), so smaller sizes break it. */
	if (o->mms != 0 && o->mms < 38)
	    die(2, "--fragment must be 0 or at least 38 (libotr needs room "
		    "for its fragment header)");
    } else if (!strcmp(opt, "--script")) {
	o->script = val;
    } else if (!strcmp(opt, "--virtual-clock")) {
	o->clock_start = parse_wide(opt, val, 0, CLOCK_MAX);
	clock_set_virtual(o->clock_start);
    } else {
	return 0;
    }
    return 1;
}

static FILE *open_script(const CommonOpts *o)
{
    if (!o->script || !strcmp(o->script, "-")) return stdin;
    FILE *f = fopen(o->script, "r");
    if (!f) die(2, "cannot open %s: %s", o->script, strerror(errno));
    return f;
}

static void chomp(char *line)
{
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
	line[--n] = '\0';
}

/* Is line the `wait` command spelt `word` ("!wait" or "wait:")? */
static int is_wait(const char *line, const char *word)
{
    size_t n = strlen(word);
    return !strncmp(line, word, n) && (line[n] == ' ' || line[n] == '\0');
}

static const char *wait_arg(const char *line, const char *word)
{
    const char *arg = line + strlen(word);
    while (*arg == ' ') arg++;
    return arg;
}

static const char *state_of(Party *p)
{
    ConnContext *ctx = best_context(p);
    return msgstate_name(ctx ? ctx->msgstate : OTRL_MSGSTATE_PLAINTEXT);
}


/* ---------- converse ---------- */

static char *workdir;
static int workdir_temp;

static const char *ensure_workdir(void)
{
    if (workdir) return workdir;
    const char *tmp = getenv("TMPDIR");
    Buf b = {0};
    buf_printf(&b, "%s/otrpeer.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(b.data)) die(2, "mkdtemp: %s", strerror(errno));
    workdir = b.data;
    workdir_temp = 1;
    return workdir;
}

static char *work_path(const char *file)
{
    Buf b = {0};
    buf_printf(&b, "%s/%s", ensure_workdir(), file);
    return b.data;
}

int cmd_converse(int argc, char **argv)
{
    CommonOpts o = { .version = 3, .policy = -1, .mms = 0,
	.clock_start = -1 };
    const char *akey = NULL, *bkey = NULL, *asecret = NULL, *bsecret = NULL;
    const char *aacct = "alice@example.org", *bacct = "bob@example.org";
    const char *protocol = "prpl-jabber";
    const char *ainst = NULL, *binst = NULL;

    for (int i = 2; i < argc; i += 2) {
	const char *opt = argv[i];
	if (i + 1 >= argc) die(2, "%s needs a value", opt);
	const char *val = argv[i + 1];
	if (common_opt(&o, opt, val)) continue;
	if (!strcmp(opt, "--alice-key")) akey = val;
	else if (!strcmp(opt, "--bob-key")) bkey = val;
	else if (!strcmp(opt, "--alice-secret")) asecret = val;
	else if (!strcmp(opt, "--bob-secret")) bsecret = val;
	else if (!strcmp(opt, "--alice-account")) aacct = val;
	else if (!strcmp(opt, "--bob-account")) bacct = val;
	else if (!strcmp(opt, "--protocol")) protocol = val;
	else if (!strcmp(opt, "--alice-instag")) ainst = val;
	else if (!strcmp(opt, "--bob-instag")) binst = val;
	else if (!strcmp(opt, "--workdir")) {
	    if (mkdir(val, 0700) && errno != EEXIST)
		die(2, "cannot create %s: %s", val, strerror(errno));
	    free(workdir);
	    workdir = xstrdup(val);
	} else if (!strcmp(opt, "--max-deliveries")) {
	    max_deliveries = (unsigned long)parse_num(opt, val, 1, 100000000);
	} else {
	    die(2, "converse: unknown option %s", opt);
	}
    }

    OtrlPolicy policy = policy_of(&o);
    Party alice, bob;
    party_init(&alice, "alice", aacct, protocol, bacct, "bob", policy, o.mms);
    party_init(&bob, "bob", bacct, protocol, aacct, "alice", policy, o.mms);
    alice.other = &bob;
    bob.other = &alice;

    char *apath = akey ? xstrdup(akey) : work_path("alice.key");
    char *bpath = bkey ? xstrdup(bkey) : work_path("bob.key");
    load_or_generate_key(&alice, apath, akey == NULL);
    load_or_generate_key(&bob, bpath, bkey == NULL);
    free(apath);
    free(bpath);
    set_instag(&alice, ainst);
    set_instag(&bob, binst);
    if (asecret) set_secret(&alice, asecret);
    if (bsecret) set_secret(&bob, bsecret);

    Buf ev;
    ev_begin(&ev, "config");
    ev_str(&ev, "libotr", otrl_version());
    ev_int(&ev, "version", o.version);
    ev_int(&ev, "policy", policy);
    ev_int(&ev, "fragment", o.mms);
    if (o.clock_start >= 0) ev_int(&ev, "virtual_clock", o.clock_start);
    ev_emit(&ev);
    emit_party(&alice);
    emit_party(&bob);

    Party *const both[2] = { &alice, &bob };
    FILE *in = open_script(&o);
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    int hold = 0;
    while (getline(&line, &cap, in) != -1) {
	lineno++;
	chomp(line);
	if (!line[0] || line[0] == '#') continue;

	ev_begin(&ev, "command");
	ev_int(&ev, "line", (long long)lineno);
	if (line[0] == '!') {
	    ev_str(&ev, "control", line + 1);
	    ev_emit(&ev);
	    Queued m;
	    if (!strcmp(line, "!hold")) {
		hold = 1;
	    } else if (!strcmp(line, "!flush")) {
		hold = 0;
		drain();
	    } else if (!strcmp(line, "!step")) {
		if (dequeue(&m)) {
		    deliver(m.to, m.from->name, m.from->account, m.seq, m.text);
		    free(m.text);
		}
	    } else if (is_wait(line, "!wait")) {
		clock_wait(both, 2, wait_arg(line, "!wait"), lineno);
	    } else if (!strcmp(line, "!drop")) {
		if (dequeue(&m)) {
		    ev_begin(&ev, "dropped");
		    ev_int(&ev, "seq", (long long)m.seq);
		    ev_str(&ev, "to", m.to->name);
		    ev_emit(&ev);
		    free(m.text);
		}
	    } else {
		die(2, "line %lu: unknown control %s", lineno, line);
	    }
	    continue;
	}

	char *colon = strchr(line, ':');
	if (!colon) die(2, "line %lu: expected 'alice: ...' or 'bob: ...'",
		lineno);
	*colon = '\0';
	Party *p = !strcmp(line, "alice") ? &alice
	    : !strcmp(line, "bob") ? &bob : NULL;
	if (!p) die(2, "line %lu: unknown party %s", lineno, line);
	const char *rest = colon + 1;
	if (*rest == ' ') rest++;
	ev_str(&ev, "party", p->name);
	ev_text(&ev, "text", (const unsigned char *)rest, strlen(rest), 0);
	ev_emit(&ev);

	exec_party_command(p, rest, lineno);
	poll_all(p);
	if (!hold) drain();
    }
    free(line);
    if (in != stdin) fclose(in);
    if (!hold) drain();
    poll_all(&alice);

    ev_begin(&ev, "end");
    ev_int(&ev, "deliveries", (long long)deliveries);
    ev_int(&ev, "undelivered", (long long)queue_pending());
    ev_str(&ev, "alice", state_of(&alice));
    ev_str(&ev, "bob", state_of(&bob));
    ev_emit(&ev);

    queue_clear();
    party_free(&alice);
    party_free(&bob);
    if (workdir && workdir_temp) {
	char *a = work_path("alice.key"), *b = work_path("bob.key");
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	rmdir(workdir);
    }
    free(workdir);
    return 0;
}


/* ---------- receive ---------- */

int cmd_receive(int argc, char **argv)
{
    CommonOpts o = { .version = 3, .policy = -1, .mms = 0,
	.clock_start = -1 };
    const char *key = NULL, *account = "bob@example.org";
    const char *protocol = "prpl-jabber", *peer = "alice@example.org";
    const char *name = "local", *secret = NULL, *inst = NULL;

    for (int i = 2; i < argc; i++) {
	const char *opt = argv[i];
	if (!strcmp(opt, "--raw")) {
	    o.raw = 1;
	    continue;
	}
	if (i + 1 >= argc) die(2, "%s needs a value", opt);
	const char *val = argv[++i];
	if (common_opt(&o, opt, val)) continue;
	if (!strcmp(opt, "--key")) key = val;
	else if (!strcmp(opt, "--account")) account = val;
	else if (!strcmp(opt, "--protocol")) protocol = val;
	else if (!strcmp(opt, "--peer")) peer = val;
	else if (!strcmp(opt, "--name")) name = val;
	else if (!strcmp(opt, "--secret")) secret = val;
	else if (!strcmp(opt, "--instag")) inst = val;
	else die(2, "receive: unknown option %s", opt);
    }
    if (!key) die(2, "receive: --key FILE is required");

    Party p;
    party_init(&p, name, account, protocol, peer, peer, policy_of(&o), o.mms);
    load_or_generate_key(&p, key, 1);
    set_instag(&p, inst);
    if (secret) set_secret(&p, secret);

    Buf ev;
    ev_begin(&ev, "config");
    ev_str(&ev, "libotr", otrl_version());
    ev_int(&ev, "version", o.version);
    ev_int(&ev, "policy", p.policy);
    ev_int(&ev, "fragment", o.mms);
    if (o.clock_start >= 0) ev_int(&ev, "virtual_clock", o.clock_start);
    ev_emit(&ev);
    emit_party(&p);

    FILE *in = open_script(&o);
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    while (getline(&line, &cap, in) != -1) {
	lineno++;
	chomp(line);
	if (!line[0] || line[0] == '#') continue;
	if (!strncmp(line, "out: ", 5)) {
	    exec_party_command(&p, line + 5, lineno);
	    poll_party(&p);
	} else if (is_wait(line, "wait:") || is_wait(line, "!wait")) {
	    Party *const self[1] = { &p };
	    clock_wait(self, 1, wait_arg(line, line[0] == '!' ? "!wait" :
			"wait:"), lineno);
	} else {
	    const char *wire = !strncmp(line, "in: ", 4) ? line + 4 : line;
	    char *msg = o.raw ? xstrdup(wire) : must_unescape(wire, lineno);
	    deliver(&p, peer, peer, ++wire_seq, msg);
	    free(msg);
	}
	ev_begin(&ev, "done");
	ev_int(&ev, "line", (long long)lineno);
	ev_str(&ev, "msgstate", state_of(&p));
	ev_emit(&ev);
    }
    free(line);
    if (in != stdin) fclose(in);

    ev_begin(&ev, "end");
    ev_int(&ev, "deliveries", (long long)deliveries);
    ev_str(&ev, "msgstate", state_of(&p));
    ev_emit(&ev);
    party_free(&p);
    return 0;
}

