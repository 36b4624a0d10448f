/*
 * otrpeer: the clock libotr reads, and the timers it drives.
 *
 * libotr 4.1.1 times its heartbeats, re-sends and the expiry of a v3
 * D-H Commit with time(2).  This program defines time() itself: the
 * executable's definition comes first in the dynamic linker's search
 * order, so libotr.so's calls land here (build.sh exports the symbol).
 * Without --virtual-clock the real time is returned; with it, the
 * virtual time, which only `!wait` moves.
 *
 * Nothing in this file calls time(): glibc declares it a leaf function,
 * so a caller in the same unit could be assumed not to read the state
 * below.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "party.h"

static int virtual_on;
static long long virtual_now;

time_t time(time_t *out)
{
    time_t now;
    if (virtual_on) {
	now = (time_t)virtual_now;
    } else {
	struct timespec ts;
	/* clock_gettime cannot fail for CLOCK_REALTIME with a valid
	 * pointer; time(2) has no error result to pass on anyway. */
	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts.tv_sec;
    }
    if (out) *out = now;
    return now;
}

void clock_set_virtual(long long start)
{
    virtual_on = 1;
    virtual_now = start;
}

/* The master contexts otrl_message_poll may expire: waiting for a D-H
 * Key after sending a v3 D-H Commit. */
static int commit_pending(const ConnContext *c)
{
    return c->m_context == c &&
	c->auth.authstate == OTRL_AUTHSTATE_AWAITING_DHKEY &&
	c->auth.protocol_version == 3 && c->auth.commit_sent_time > 0;
}

/* Run libotr's poll for one party, as a client's timer would, and report
 * each D-H Commit it gave up on (libotr raises no callback for that). */
static void poll_timers(Party *p)
{
    size_t n = 0;
    for (ConnContext *c = p->us->context_root; c; c = c->next) n++;
    ConnContext **pending = xmalloc(n * sizeof(*pending));
    time_t *sent = xmalloc(n * sizeof(*sent));
    size_t npending = 0;
    for (ConnContext *c = p->us->context_root; c; c = c->next) {
	if (!commit_pending(c)) continue;
	pending[npending] = c;
	sent[npending++] = c->auth.commit_sent_time;
    }

    otrl_message_poll(p->us, &peer_ops, p);

    for (size_t i = 0; i < npending; i++) {
	ConnContext *c = pending[i];
	if (commit_pending(c)) continue;
	Buf ev;
	ev_begin(&ev, "ake_expired");
	ev_str(&ev, "party", p->name);
	ev_int(&ev, "commit_sent_time", (long long)sent[i]);
	ev_context(&ev, c);
	ev_emit(&ev);
    }
    free(pending);
    free(sent);
    poll_party(p);
}

void clock_wait(Party *const *parties, size_t nparties, const char *arg,
	unsigned long line)
{
    if (!virtual_on)
	die(2, "line %lu: wait needs --virtual-clock", line);
    if (!*arg) die(2, "line %lu: wait needs SECONDS", line);
    char *end;
    errno = 0;
    long long secs = strtoll(arg, &end, 10);
    if (*end || errno || secs < 0 || secs > WAIT_MAX)
	die(2, "line %lu: wait SECONDS: %s is not a whole number from 0 to "
		"%lld", line, arg, WAIT_MAX);
    if (virtual_now > CLOCK_MAX - secs)
	die(2, "line %lu: wait: the virtual clock would pass %lld", line,
		CLOCK_MAX);
    virtual_now += secs;

    Buf ev;
    ev_begin(&ev, "clock");
    ev_int(&ev, "now", virtual_now);
    ev_emit(&ev);

    for (size_t i = 0; i < nparties; i++) poll_timers(parties[i]);
}
