/*
 * otrpeer: the libotr callbacks (OtrlMessageAppOps) of a party, and the
 * polling that reports D-H key and message-state changes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "party.h"

/* ---------- small event helpers ---------- */

void ev_context(Buf *ev, ConnContext *ctx)
{
    if (!ctx) return;
    ev_instag(ev, "our_instance", ctx->our_instance);
    ev_instag(ev, "their_instance", ctx->their_instance);
}

const char *msgstate_name(OtrlMessageState s)
{
    switch (s) {
	case OTRL_MSGSTATE_PLAINTEXT: return "plaintext";
	case OTRL_MSGSTATE_ENCRYPTED: return "encrypted";
	case OTRL_MSGSTATE_FINISHED: return "finished";
    }
    return "unknown";
}

void emit_error(Party *p, const char *where, const char *message,
	gcry_error_t err)
{
    Buf ev;
    ev_begin(&ev, "error");
    ev_str(&ev, "party", p->name);
    ev_str(&ev, "where", where);
    if (message) ev_str(&ev, "message", message);
    if (err) ev_str(&ev, "gcry", gcry_strerror(err));
    ev_emit(&ev);
}

static void fingerprint_of(const unsigned char *fp, char human[45])
{
    if (fp) fingerprint_human(fp, human);
    else strcpy(human, "");
}


/* ---------- libotr callbacks ---------- */

static OtrlPolicy cb_policy(void *opdata, ConnContext *context)
{
    (void)context;
    return ((Party *)opdata)->policy;
}

static void cb_create_privkey(void *opdata, const char *accountname,
	const char *protocol)
{
    Party *p = opdata;
    gcry_error_t err = otrl_privkey_generate(p->us, p->keyfile, accountname,
	    protocol);
    Buf ev;
    ev_begin(&ev, "keygen");
    ev_str(&ev, "party", p->name);
    ev_str(&ev, "account", accountname);
    ev_str(&ev, "keyfile", p->keyfile);
    if (err) ev_str(&ev, "gcry", gcry_strerror(err));
    ev_emit(&ev);
}

static int cb_is_logged_in(void *opdata, const char *accountname,
	const char *protocol, const char *recipient)
{
    (void)opdata; (void)accountname; (void)protocol; (void)recipient;
    return 1;
}

static void cb_inject(void *opdata, const char *accountname,
	const char *protocol, const char *recipient, const char *message)
{
    (void)accountname; (void)protocol; (void)recipient;
    send_wire((Party *)opdata, message, "libotr");
}

static void cb_new_fingerprint(void *opdata, OtrlUserState us,
	const char *accountname, const char *protocol, const char *username,
	unsigned char fingerprint[20])
{
    (void)us; (void)accountname; (void)protocol;
    char human[45];
    Buf ev;
    ev_begin(&ev, "new_fingerprint");
    ev_str(&ev, "party", ((Party *)opdata)->name);
    ev_str(&ev, "username", username);
    ev_str(&ev, "fingerprint", fingerprint_human(fingerprint, human));
    ev_emit(&ev);
}

static void secure_fields(Buf *ev, Party *p, ConnContext *ctx)
{
    char ours[45], theirs[45];
    ev_str(ev, "party", p->name);
    ev_int(ev, "version", ctx->protocol_version);
    ev_hex(ev, "ssid", ctx->sessionid, ctx->sessionid_len);
    ev_int(ev, "ssid_bold_half",
	    ctx->sessionid_half == OTRL_SESSIONID_SECOND_HALF_BOLD);
    fingerprint_of(ctx->active_fingerprint ?
	    ctx->active_fingerprint->fingerprint : NULL, theirs);
    ev_str(ev, "their_fingerprint", theirs);
    if (!otrl_privkey_fingerprint(p->us, ours, p->account, p->protocol))
	strcpy(ours, "");
    ev_str(ev, "our_fingerprint", ours);
    ev_context(ev, ctx);
}

static void cb_gone_secure(void *opdata, ConnContext *context)
{
    Buf ev;
    ev_begin(&ev, "secure");
    secure_fields(&ev, opdata, context);
    ev_emit(&ev);
}

static void cb_gone_insecure(void *opdata, ConnContext *context)
{
    Buf ev;
    ev_begin(&ev, "insecure");
    ev_str(&ev, "party", ((Party *)opdata)->name);
    ev_context(&ev, context);
    ev_emit(&ev);
}

static void cb_still_secure(void *opdata, ConnContext *context, int is_reply)
{
    Buf ev;
    ev_begin(&ev, "still_secure");
    secure_fields(&ev, opdata, context);
    ev_bool(&ev, "is_reply", is_reply);
    ev_emit(&ev);
}

static int cb_max_message_size(void *opdata, ConnContext *context)
{
    (void)context;
    return ((Party *)opdata)->mms;
}

static void cb_received_symkey(void *opdata, ConnContext *context,
	unsigned int use, const unsigned char *usedata, size_t usedatalen,
	const unsigned char *symkey)
{
    Buf ev;
    ev_begin(&ev, "symkey");
    ev_str(&ev, "party", ((Party *)opdata)->name);
    ev_str(&ev, "role", "received");
    ev_int(&ev, "use", use);
    ev_hex(&ev, "usedata", usedata, usedatalen);
    ev_hex(&ev, "key", symkey, OTRL_EXTRAKEY_BYTES);
    ev_context(&ev, context);
    ev_emit(&ev);
}

static const char *cb_otr_error_message(void *opdata, ConnContext *context,
	OtrlErrorCode code)
{
    (void)opdata; (void)context;
    switch (code) {
	case OTRL_ERRCODE_ENCRYPTION_ERROR:
	    return "The message could not be encrypted.";
	case OTRL_ERRCODE_MSG_NOT_IN_PRIVATE:
	    return "You sent encrypted data, but no private conversation "
		"was set up.";
	case OTRL_ERRCODE_MSG_UNREADABLE:
	    return "You transmitted an unreadable encrypted message.";
	case OTRL_ERRCODE_MSG_MALFORMED:
	    return "You transmitted a malformed data message.";
	default:
	    return "Unknown error.";
    }
}

static void cb_otr_error_message_free(void *opdata, const char *msg)
{
    (void)opdata; (void)msg;	/* static strings */
}

static const char *smp_event_name(OtrlSMPEvent e)
{
    switch (e) {
	case OTRL_SMPEVENT_NONE: return "none";
	case OTRL_SMPEVENT_ERROR: return "error";
	case OTRL_SMPEVENT_ABORT: return "abort";
	case OTRL_SMPEVENT_CHEATED: return "cheated";
	case OTRL_SMPEVENT_ASK_FOR_ANSWER: return "ask_for_answer";
	case OTRL_SMPEVENT_ASK_FOR_SECRET: return "ask_for_secret";
	case OTRL_SMPEVENT_IN_PROGRESS: return "in_progress";
	case OTRL_SMPEVENT_SUCCESS: return "success";
	case OTRL_SMPEVENT_FAILURE: return "failure";
    }
    return "unknown";
}

static void cb_handle_smp_event(void *opdata, OtrlSMPEvent smp_event,
	ConnContext *context, unsigned short progress, char *question)
{
    Party *p = opdata;
    Buf ev;
    ev_begin(&ev, "smp");
    ev_str(&ev, "party", p->name);
    ev_str(&ev, "type", smp_event_name(smp_event));
    ev_int(&ev, "progress", progress);
    if (question) {
	ev_text(&ev, "question", (const unsigned char *)question,
		strlen(question), 0);
    }
    if (smp_event == OTRL_SMPEVENT_SUCCESS ||
	    smp_event == OTRL_SMPEVENT_FAILURE) {
	const char *trust = context->active_fingerprint &&
	    context->active_fingerprint->trust ?
	    context->active_fingerprint->trust : "";
	ev_str(&ev, "trust", trust);
    }
    ev_context(&ev, context);
    ev_emit(&ev);

    /* Answering from inside the callback would interleave our reply with
     * libotr's own processing; remember it for after the receive call. */
    switch (smp_event) {
	case OTRL_SMPEVENT_ASK_FOR_SECRET:
	case OTRL_SMPEVENT_ASK_FOR_ANSWER:
	    p->smp_ctx = context;
	    p->smp_action = p->have_secret ? 1 : 2;
	    break;
	case OTRL_SMPEVENT_CHEATED:
	case OTRL_SMPEVENT_ERROR:
	    p->smp_ctx = context;
	    p->smp_action = 2;
	    break;
	default:
	    break;
    }
}

static const char *msg_event_name(OtrlMessageEvent e, int *is_error)
{
    *is_error = 1;
    switch (e) {
	case OTRL_MSGEVENT_ENCRYPTION_ERROR: return "ENCRYPTION_ERROR";
	case OTRL_MSGEVENT_CONNECTION_ENDED: return "CONNECTION_ENDED";
	case OTRL_MSGEVENT_SETUP_ERROR: return "SETUP_ERROR";
	case OTRL_MSGEVENT_MSG_REFLECTED: return "MSG_REFLECTED";
	case OTRL_MSGEVENT_RCVDMSG_NOT_IN_PRIVATE: return "RCVDMSG_NOT_IN_PRIVATE";
	case OTRL_MSGEVENT_RCVDMSG_UNREADABLE: return "RCVDMSG_UNREADABLE";
	case OTRL_MSGEVENT_RCVDMSG_MALFORMED: return "RCVDMSG_MALFORMED";
	case OTRL_MSGEVENT_RCVDMSG_GENERAL_ERR: return "RCVDMSG_GENERAL_ERR";
	case OTRL_MSGEVENT_RCVDMSG_UNRECOGNIZED: return "RCVDMSG_UNRECOGNIZED";
	case OTRL_MSGEVENT_RCVDMSG_FOR_OTHER_INSTANCE:
	    return "RCVDMSG_FOR_OTHER_INSTANCE";
	default: break;
    }
    *is_error = 0;
    switch (e) {
	case OTRL_MSGEVENT_NONE: return "NONE";
	case OTRL_MSGEVENT_ENCRYPTION_REQUIRED: return "ENCRYPTION_REQUIRED";
	case OTRL_MSGEVENT_MSG_RESENT: return "MSG_RESENT";
	case OTRL_MSGEVENT_LOG_HEARTBEAT_RCVD: return "LOG_HEARTBEAT_RCVD";
	case OTRL_MSGEVENT_LOG_HEARTBEAT_SENT: return "LOG_HEARTBEAT_SENT";
	case OTRL_MSGEVENT_RCVDMSG_UNENCRYPTED: return "RCVDMSG_UNENCRYPTED";
	default: return "UNKNOWN";
    }
}

static void cb_handle_msg_event(void *opdata, OtrlMessageEvent msg_event,
	ConnContext *context, const char *message, gcry_error_t err)
{
    Party *p = opdata;
    int is_error;
    const char *name = msg_event_name(msg_event, &is_error);
    Buf ev;
    ev_begin(&ev, is_error ? "error" : "msg_event");
    ev_str(&ev, "party", p->name);
    ev_str(&ev, "msg_event", name);
    if (message) {
	ev_text(&ev, "message", (const unsigned char *)message,
		strlen(message), 0);
    }
    if (err) ev_str(&ev, "gcry", gcry_strerror(err));
    ev_context(&ev, context);
    ev_emit(&ev);
    if (is_error && p->in_delivery) p->delivery_error = 1;
}

void cb_create_instag(void *opdata, const char *accountname,
	const char *protocol)
{
    Party *p = opdata;
    FILE *f = tmpfile();
    if (!f) die(2, "tmpfile: %s", strerror(errno));
    gcry_error_t err = otrl_instag_generate_FILEp(p->us, f, accountname,
	    protocol);
    fclose(f);
    if (err) die(2, "instance tag generation failed: %s", gcry_strerror(err));
}

OtrlMessageAppOps peer_ops = {
    .policy = cb_policy,
    .create_privkey = cb_create_privkey,
    .is_logged_in = cb_is_logged_in,
    .inject_message = cb_inject,
    .update_context_list = NULL,
    .new_fingerprint = cb_new_fingerprint,
    .write_fingerprints = NULL,
    .gone_secure = cb_gone_secure,
    .gone_insecure = cb_gone_insecure,
    .still_secure = cb_still_secure,
    .max_message_size = cb_max_message_size,
    .account_name = NULL,
    .account_name_free = NULL,
    .received_symkey = cb_received_symkey,
    .otr_error_message = cb_otr_error_message,
    .otr_error_message_free = cb_otr_error_message_free,
    .resent_msg_prefix = NULL,
    .resent_msg_prefix_free = NULL,
    .handle_smp_event = cb_handle_smp_event,
    .handle_msg_event = cb_handle_msg_event,
    .create_instag = cb_create_instag,
    .convert_msg = NULL,
    .convert_free = NULL,
    /* No timer of libotr's choosing: otrl_message_poll runs after each
     * `wait` of the virtual clock (clock.c); a run on the real clock is
     * over long before a D-H Commit could expire. */
    .timer_control = NULL,
};


/* ---------- polling key and state changes ---------- */

static int seen_before(Party *p, ConnContext *ctx, char kind,
	unsigned int keyid, gcry_mpi_t pub)
{
    size_t n;
    unsigned char *bytes = mpi_bytes(pub, &n);
    unsigned char hash[20];
    gcry_md_hash_buffer(GCRY_MD_SHA1, hash, bytes, n);
    free(bytes);
    for (size_t i = 0; i < p->nseen; i++) {
	Seen *s = &p->seen[i];
	if (s->ctx == ctx && s->kind == kind && s->keyid == keyid &&
		!memcmp(s->hash, hash, 20))
	    return 1;
    }
    if (p->nseen == p->capseen) {
	p->capseen = p->capseen ? 2 * p->capseen : 16;
	p->seen = realloc(p->seen, p->capseen * sizeof(*p->seen));
	if (!p->seen) die(2, "out of memory");
    }
    Seen *s = &p->seen[p->nseen++];
    s->ctx = ctx;
    s->kind = kind;
    s->keyid = keyid;
    memcpy(s->hash, hash, 20);
    return 0;
}

static void check_our_key(Party *p, ConnContext *ctx, unsigned int keyid,
	DH_keypair *kp)
{
    if (!kp->pub || !kp->priv || keyid == 0) return;
    if (seen_before(p, ctx, 'o', keyid, kp->pub)) return;
    Buf ev;
    ev_begin(&ev, "dh");
    ev_str(&ev, "party", p->name);
    ev_instag(&ev, "instance", ctx->their_instance);
    ev_int(&ev, "keyid", keyid);
    ev_mpi(&ev, "priv", kp->priv);
    ev_mpi(&ev, "pub", kp->pub);
    ev_emit(&ev);
}

static void check_their_key(Party *p, ConnContext *ctx, unsigned int keyid,
	gcry_mpi_t y)
{
    if (!y || keyid == 0) return;
    if (seen_before(p, ctx, 't', keyid, y)) return;
    Buf ev;
    ev_begin(&ev, "their_y");
    ev_str(&ev, "party", p->name);
    ev_instag(&ev, "instance", ctx->their_instance);
    ev_int(&ev, "keyid", keyid);
    ev_mpi(&ev, "y", y);
    ev_emit(&ev);
}

static void check_state(Party *p, ConnContext *ctx)
{
    CtxState *st = NULL;
    for (size_t i = 0; i < p->nstates; i++) {
	if (p->states[i].ctx == ctx) st = &p->states[i];
    }
    if (!st) {
	if (p->nstates == p->capstates) {
	    p->capstates = p->capstates ? 2 * p->capstates : 8;
	    p->states = realloc(p->states, p->capstates * sizeof(*p->states));
	    if (!p->states) die(2, "out of memory");
	}
	st = &p->states[p->nstates++];
	st->ctx = ctx;
	st->state = OTRL_MSGSTATE_PLAINTEXT;
    }
    if (st->state == ctx->msgstate) return;
    st->state = ctx->msgstate;
    Buf ev;
    ev_begin(&ev, "state");
    ev_str(&ev, "party", p->name);
    ev_str(&ev, "msgstate", msgstate_name(ctx->msgstate));
    ev_context(&ev, ctx);
    ev_emit(&ev);
    if (ctx->msgstate == OTRL_MSGSTATE_FINISHED) {
	ev_begin(&ev, "finished");
	ev_str(&ev, "party", p->name);
	ev_context(&ev, ctx);
	ev_emit(&ev);
    }
}

/* The party's secret SMP exponents (x2, x3 of libotr's OtrlSMState: a2
 * and a3 for the party that began the exchange, b2 and b3 for the other),
 * once each pair, when set: what lets an observer of the capture check
 * the proofs that need g2 and g3, and the exchange's outcome. */
static void check_smp(Party *p, ConnContext *ctx)
{
    OtrlSMState *sm = ctx->smstate;
    if (!sm || !sm->x2 || !sm->x3) return;
    if (!gcry_mpi_cmp_ui(sm->x2, 0) || !gcry_mpi_cmp_ui(sm->x3, 0)) return;
    int seen2 = seen_before(p, ctx, 's', 0, sm->x2);
    int seen3 = seen_before(p, ctx, 'S', 0, sm->x3);
    if (seen2 && seen3) return;
    Buf ev;
    ev_begin(&ev, "smp_exponents");
    ev_str(&ev, "party", p->name);
    ev_instag(&ev, "instance", ctx->their_instance);
    ev_mpi(&ev, "x2", sm->x2);
    ev_mpi(&ev, "x3", sm->x3);
    ev_emit(&ev);
}

void poll_party(Party *p)
{
    for (ConnContext *c = p->us->context_root; c; c = c->next) {
	ConnContextPriv *cp = c->context_priv;
	check_state(p, c);
	check_smp(p, c);
	if (cp->our_keyid > 1)
	    check_our_key(p, c, cp->our_keyid - 1, &cp->our_old_dh_key);
	check_our_key(p, c, cp->our_keyid, &cp->our_dh_key);
	if (cp->their_keyid > 1)
	    check_their_key(p, c, cp->their_keyid - 1, cp->their_old_y);
	check_their_key(p, c, cp->their_keyid, cp->their_y);
    }
}

void poll_all(Party *p)
{
    poll_party(p);
    if (p->other) poll_party(p->other);
}
