/*
 * otrpeer: the libotr parties shared by `converse` and `receive`.
 */
#ifndef OTRPEER_PARTY_H
#define OTRPEER_PARTY_H

#include "otrpeer.h"

typedef struct {
    ConnContext *ctx;
    char kind;			/* 'o' our D-H key, 't' their D-H key */
    unsigned int keyid;
    unsigned char hash[20];
} Seen;

typedef struct {
    ConnContext *ctx;
    OtrlMessageState state;
} CtxState;

typedef struct Party {
    const char *name;		/* label used in events */
    char *account, *protocol;
    char *peer;			/* the correspondent's username */
    const char *peer_label;
    OtrlUserState us;
    OtrlPolicy policy;
    int mms;
    char *keyfile;
    int key_generated;
    char *secret;
    size_t secretlen;
    int have_secret;
    struct Party *other;	/* NULL for the single `receive` party */
    /* Fragment reassembly for observing complete messages, kept apart
     * from libotr's own so it never disturbs the real parties. */
    OtrlUserState obs_us;
    ConnContext *obs_out, *obs_in;
    /* SMP step to take once the current receive call has returned */
    ConnContext *smp_ctx;
    int smp_action;		/* 0 none, 1 respond, 2 abort */
    Seen *seen;
    size_t nseen, capseen;
    CtxState *states;
    size_t nstates, capstates;
    int in_delivery, delivery_error;
} Party;

typedef struct {
    Party *from, *to;
    unsigned long seq;
    char *text;
} Queued;

/* callbacks.c */
extern OtrlMessageAppOps peer_ops;
void ev_context(Buf *ev, ConnContext *ctx);
const char *msgstate_name(OtrlMessageState s);
void emit_error(Party *p, const char *where, const char *message,
	gcry_error_t err);
void cb_create_instag(void *opdata, const char *accountname,
	const char *protocol);
void poll_party(Party *p);
void poll_all(Party *p);

/* session.c */
extern unsigned long wire_seq;
extern unsigned long deliveries;
extern unsigned long max_deliveries;
int dequeue(Queued *out);
size_t queue_pending(void);
void queue_clear(void);
void send_wire(Party *p, const char *message, const char *origin);
void deliver(Party *to, const char *from_label, const char *from_account,
	unsigned long seq, const char *text);
void drain(void);
ConnContext *best_context(Party *p);
char *must_unescape(const char *s, unsigned long line);
void exec_party_command(Party *p, const char *rest_in, unsigned long line);

/* clock.c */
/* Bounds of the virtual clock: the last second of year 9999, and one
 * `wait` step of about 31 years. */
#define CLOCK_MAX 253402300799LL
#define WAIT_MAX 1000000000LL
void clock_set_virtual(long long start);
/* `wait SECONDS` of script line `line`: advance the virtual clock, emit
 * a "clock" event, then poll libotr for each party.  Exits 2 without a
 * virtual clock or with a bad SECONDS. */
void clock_wait(Party *const *parties, size_t nparties, const char *arg,
	unsigned long line);

#endif
