/*
 * otrpeer: the wire between libotr parties.
 *
 * Whatever libotr hands to inject_message is logged as a "wire" event and,
 * in `converse`, queued for the other party; queued messages are delivered
 * with otrl_message_receiving.  Script commands of a party are carried out
 * here too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "party.h"

static Queued *queue;
static size_t q_head, q_len, q_cap;
unsigned long wire_seq;
unsigned long deliveries;
unsigned long max_deliveries = 100000;

/* ---------- queue ---------- */

static void enqueue(Party *from, Party *to, unsigned long seq, const char *t)
{
    if (q_len == q_cap) {
	q_cap = q_cap ? 2 * q_cap : 64;
	queue = realloc(queue, q_cap * sizeof(*queue));
	if (!queue) die(2, "out of memory");
    }
    queue[q_len].from = from;
    queue[q_len].to = to;
    queue[q_len].seq = seq;
    queue[q_len].text = xstrdup(t);
    q_len++;
}

int dequeue(Queued *out)
{
    if (q_head == q_len) return 0;
    *out = queue[q_head++];
    if (q_head == q_len) q_head = q_len = 0;
    return 1;
}


size_t queue_pending(void)
{
    return q_len - q_head;
}

void queue_clear(void)
{
    Queued m;
    while (dequeue(&m)) free(m.text);
    free(queue);
    queue = NULL;
    q_head = q_len = q_cap = 0;
}

/* ---------- observing complete messages ---------- */

/* Feed a wire message to an observer context; returns the complete
 * message (malloc'd) once one is available, else NULL.  Only messages
 * containing "?OTR" reach libotr's fragment code, as in libotr. */
static char *observe(ConnContext *obs, const char *msg)
{
    char *whole = NULL;
    if (!strstr(msg, "?OTR")) return NULL;
    switch (otrl_proto_fragment_accumulate(&whole, obs, msg)) {
	case OTRL_FRAGMENT_UNFRAGMENTED: return xstrdup(msg);
	case OTRL_FRAGMENT_COMPLETE: return whole;
	default: return NULL;
    }
}

static int is_data_message(const char *msg)
{
    return otrl_proto_message_type(msg) == OTRL_MSGTYPE_DATA;
}


/* ---------- the wire ---------- */

static void note_sent_data(Party *p, const char *whole, unsigned long seq)
{
    DataHeader h;
    if (parse_data_header(whole, &h)) {
	emit_error(p, "keys", "cannot parse the Data Message libotr sent", 0);
	return;
    }
    otrl_instag_t inst = h.version == 3 ? h.recipient_instance
	: OTRL_INSTAG_MASTER;
    ConnContext *ctx = otrl_context_find(p->us, p->peer, p->account,
	    p->protocol, inst, 0, NULL, NULL, NULL);
    if (!ctx) {
	emit_error(p, "keys", "no context for the Data Message libotr sent", 0);
	return;
    }
    CtxSnap s;
    snap_take(ctx, &s);
    emit_keys_event(p->name, "send", seq, &s, h.sender_keyid,
	    h.recipient_keyid, &h, &s);
    snap_free(&s);
}

void send_wire(Party *p, const char *message, const char *origin)
{
    unsigned long seq = ++wire_seq;
    Buf ev;
    ev_begin(&ev, "wire");
    ev_str(&ev, "from", p->name);
    ev_str(&ev, "to", p->peer_label);
    ev_int(&ev, "seq", (long long)seq);
    ev_text(&ev, "text", (const unsigned char *)message, strlen(message), 0);
    ev_str(&ev, "origin", origin);
    if (!*message) ev_bool(&ev, "empty", 1);
    ev_emit(&ev);

    /* An empty message is what libotr hands back when nothing may be
     * sent (FINISHED state); an IM client does not transmit it. */
    if (p->other && *message) enqueue(p, p->other, seq, message);

    if (!strcmp(origin, "libotr")) {
	char *whole = observe(p->obs_out, message);
	if (whole && is_data_message(whole)) note_sent_data(p, whole, seq);
	free(whole);
    }
}


/* ---------- receiving ---------- */

static CtxSnap *snap_all(Party *p, size_t *n)
{
    size_t count = 0;
    for (ConnContext *c = p->us->context_root; c; c = c->next) count++;
    CtxSnap *s = xmalloc(count * sizeof(*s));
    size_t i = 0;
    for (ConnContext *c = p->us->context_root; c; c = c->next)
	snap_take(c, &s[i++]);
    *n = count;
    return s;
}

static void run_smp_action(Party *p)
{
    ConnContext *ctx = p->smp_ctx;
    int action = p->smp_action;
    p->smp_ctx = NULL;
    p->smp_action = 0;
    if (!action || !ctx) return;
    Buf ev;
    ev_begin(&ev, "smp");
    ev_str(&ev, "party", p->name);
    ev_str(&ev, "type", action == 1 ? "responding" : "aborting");
    ev_context(&ev, ctx);
    ev_emit(&ev);
    if (action == 1) {
	otrl_message_respond_smp(p->us, &peer_ops, p, ctx,
		(const unsigned char *)p->secret, p->secretlen);
    } else {
	otrl_message_abort_smp(p->us, &peer_ops, p, ctx);
    }
}

static void tlvs_json(OtrlTLV *tlvs, Buf *out)
{
    buf_puts(out, "[");
    for (OtrlTLV *t = tlvs; t; t = t->next) {
	buf_printf(out, "%s{\"type\":%u", t == tlvs ? "" : ",", t->type);
	ev_hex(out, "data", t->data, t->len);
	buf_puts(out, "}");
    }
    buf_puts(out, "]");
}

/* Did libotr accept this Data Message?  After a successful receive the
 * keys used always sit in slot [1][1] (libotr rotates a key the message
 * acknowledged into the "old" place) with the message counter stored. */
static int data_accepted(ConnContext *ctx, const DataHeader *h)
{
    ConnContextPriv *cp = ctx->context_priv;
    if (ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED) return 0;
    if (cp->our_keyid != h->recipient_keyid + 1 ||
	    cp->their_keyid != h->sender_keyid + 1)
	return 0;
    return !memcmp(cp->sesskeys[1][1].rcvctr, h->ctr, 8);
}

void deliver(Party *to, const char *from_label,
	const char *from_account, unsigned long seq, const char *text)
{
    size_t nsnap;
    CtxSnap *snaps = snap_all(to, &nsnap);
    char *newmsg = NULL;
    OtrlTLV *tlvs = NULL;
    ConnContext *ctx = NULL;

    deliveries++;
    to->in_delivery = 1;
    to->delivery_error = 0;
    int ret = otrl_message_receiving(to->us, &peer_ops, to, to->account,
	    to->protocol, from_account, text, &newmsg, &tlvs, &ctx, NULL, NULL);
    to->in_delivery = 0;

    CtxSnap *pre = NULL;
    for (size_t i = 0; ctx && i < nsnap; i++) {
	if (snaps[i].ctx == ctx) pre = &snaps[i];
    }

    Buf ev;
    ev_begin(&ev, "delivered");
    ev_str(&ev, "to", to->name);
    ev_str(&ev, "from", from_label);
    ev_int(&ev, "seq", (long long)seq);
    ev_int(&ev, "ret", ret);
    ev_emit(&ev);

    if (ret == 0 || tlvs) {
	const char *shown = newmsg ? newmsg : (ret == 0 ? text : "");
	ev_begin(&ev, "received");
	ev_str(&ev, "by", to->name);
	ev_str(&ev, "from", from_label);
	ev_int(&ev, "seq", (long long)seq);
	ev_text(&ev, "text", (const unsigned char *)shown, strlen(shown), 1);
	Buf tj = {0};
	tlvs_json(tlvs, &tj);
	ev_raw(&ev, "tlvs", tj.data);
	buf_free(&tj);
	ev_bool(&ev, "encrypted",
		pre && pre->msgstate == OTRL_MSGSTATE_ENCRYPTED);
	ev_bool(&ev, "ignored", ret != 0);
	ev_context(&ev, ctx);
	ev_emit(&ev);
    }

    char *whole = observe(to->obs_in, text);
    if (whole && is_data_message(whole) && ctx && pre &&
	    pre->msgstate == OTRL_MSGSTATE_ENCRYPTED && !to->delivery_error) {
	DataHeader h;
	if (parse_data_header(whole, &h) == 0 &&
		(newmsg || tlvs || data_accepted(ctx, &h))) {
	    CtxSnap now;
	    snap_take(ctx, &now);
	    emit_keys_event(to->name, "recv", seq, pre, h.recipient_keyid,
		    h.sender_keyid, &h, &now);
	    snap_free(&now);
	}
    }
    free(whole);

    otrl_message_free(newmsg);
    otrl_tlv_free(tlvs);
    for (size_t i = 0; i < nsnap; i++) snap_free(&snaps[i]);
    free(snaps);

    run_smp_action(to);
    poll_all(to);
}

void drain(void)
{
    Queued m;
    while (dequeue(&m)) {
	if (deliveries >= max_deliveries) {
	    die(3, "more than %lu deliveries; the parties seem to loop",
		    max_deliveries);
	}
	deliver(m.to, m.from->name, m.from->account, m.seq, m.text);
	free(m.text);
    }
}


/* ---------- sending and script commands ---------- */

ConnContext *best_context(Party *p)
{
    return otrl_context_find(p->us, p->peer, p->account, p->protocol,
	    OTRL_INSTAG_BEST, 0, NULL, NULL, NULL);
}

static void do_send(Party *p, const char *text, OtrlTLV *tlvs)
{
    char *newmsg = NULL;
    ConnContext *ctx = NULL;
    gcry_error_t err = otrl_message_sending(p->us, &peer_ops, p, p->account,
	    p->protocol, p->peer, OTRL_INSTAG_BEST, text, tlvs, &newmsg,
	    OTRL_FRAGMENT_SEND_ALL, &ctx, NULL, NULL);
    if (err) {
	emit_error(p, "otrl_message_sending", NULL, err);
    } else if (!newmsg) {
	/* libotr had nothing to change (plaintext, no whitespace tag):
	 * the application sends the message as it is. */
	send_wire(p, text, "app");
    }
    /* With OTRL_FRAGMENT_SEND_ALL libotr has already injected every
     * fragment of newmsg itself; it is only handed back for reference. */
    otrl_message_free(newmsg);
}

static ConnContext *need_encrypted(Party *p, const char *what)
{
    ConnContext *ctx = best_context(p);
    if (!ctx || ctx->msgstate != OTRL_MSGSTATE_ENCRYPTED) {
	emit_error(p, what, "no encrypted session", 0);
	return NULL;
    }
    return ctx;
}

char *must_unescape(const char *s, unsigned long line)
{
    const char *err = NULL;
    char *out = unescape(s, &err);
    if (!out) die(2, "line %lu: %s", line, err);
    return out;
}

/* Split off the next space-separated word of *s. */
static char *next_word(char **s)
{
    char *w = *s;
    char *sp = strchr(w, ' ');
    if (sp) {
	*sp = '\0';
	*s = sp + 1;
    } else {
	*s = w + strlen(w);
    }
    return w;
}

void exec_party_command(Party *p, const char *rest_in,
	unsigned long line)
{
    if (rest_in[0] != '/' || rest_in[1] == '/') {
	const char *text = rest_in[0] == '/' ? rest_in + 1 : rest_in;
	char *t = must_unescape(text, line);
	do_send(p, t, NULL);
	free(t);
	return;
    }

    char *copy = xstrdup(rest_in);
    char *rest = copy;
    char *cmd = next_word(&rest);

    if (!strcmp(cmd, "/start")) {
	char *query = otrl_proto_default_query_msg(p->account, p->policy);
	if (!query) die(2, "otrl_proto_default_query_msg failed");
	do_send(p, query, NULL);
	free(query);
    } else if (!strcmp(cmd, "/smp") || !strcmp(cmd, "/smpq")) {
	char *arg = must_unescape(rest, line);
	ConnContext *ctx = need_encrypted(p, cmd + 1);
	if (ctx && !strcmp(cmd, "/smp")) {
	    otrl_message_initiate_smp(p->us, &peer_ops, p, ctx,
		    (const unsigned char *)arg, strlen(arg));
	} else if (ctx) {
	    char *bar = strchr(arg, '|');
	    if (!bar) die(2, "line %lu: /smpq needs QUESTION|SECRET", line);
	    *bar = '\0';
	    otrl_message_initiate_smp_q(p->us, &peer_ops, p, ctx, arg,
		    (const unsigned char *)bar + 1, strlen(bar + 1));
	}
	free(arg);
    } else if (!strcmp(cmd, "/symkey")) {
	char *use_s = next_word(&rest);
	char *end;
	unsigned char *usedata;
	size_t usedatalen;
	unsigned long use = strtoul(use_s, &end, 0);
	if (!*use_s || *end || use > 0xffffffffUL)
	    die(2, "line %lu: /symkey USE [HEXUSEDATA]", line);
	if (hex_decode(rest, &usedata, &usedatalen))
	    die(2, "line %lu: /symkey use data is not hex", line);
	ConnContext *ctx = need_encrypted(p, "symkey");
	if (ctx) {
	    unsigned char key[OTRL_EXTRAKEY_BYTES];
	    gcry_error_t err = otrl_message_symkey(p->us, &peer_ops, p, ctx,
		    (unsigned int)use, usedata, usedatalen, key);
	    if (err) {
		emit_error(p, "otrl_message_symkey", NULL, err);
	    } else {
		Buf ev;
		ev_begin(&ev, "symkey");
		ev_str(&ev, "party", p->name);
		ev_str(&ev, "role", "sent");
		ev_int(&ev, "use", (long long)use);
		ev_hex(&ev, "usedata", usedata, usedatalen);
		ev_hex(&ev, "key", key, sizeof(key));
		ev_context(&ev, ctx);
		ev_emit(&ev);
	    }
	}
	free(usedata);
    } else if (!strcmp(cmd, "/tlv")) {
	/* otrl_message_sending takes a TLV chain directly, so the TLV rides
	 * on an ordinary message (it is dropped in plaintext state). */
	char *type_s = next_word(&rest);
	char *hex = next_word(&rest);
	char *end;
	unsigned char *data;
	size_t len;
	unsigned long type = strtoul(type_s, &end, 0);
	if (!*type_s || *end || type > 0xffff)
	    die(2, "line %lu: /tlv TYPE HEXDATA [TEXT]", line);
	if (hex_decode(hex, &data, &len) || len > 0xffff)
	    die(2, "line %lu: /tlv data is not hex (or too long)", line);
	char *text = must_unescape(rest, line);
	OtrlTLV *tlv = otrl_tlv_new((unsigned short)type, (unsigned short)len,
		data);
	do_send(p, text, tlv);
	otrl_tlv_free(tlv);
	free(text);
	free(data);
    } else if (!strcmp(cmd, "/end")) {
	ConnContext *ctx = best_context(p);
	otrl_message_disconnect(p->us, &peer_ops, p, p->account, p->protocol,
		p->peer, ctx ? ctx->their_instance : OTRL_INSTAG_BEST);
    } else if (!strcmp(cmd, "/inject")) {
	char *wire = must_unescape(rest, line);
	send_wire(p, wire, "script");
	free(wire);
    } else {
	die(2, "line %lu: unknown command %s", line, cmd);
    }
    free(copy);
}

