/*
 * otrpeer: byte buffers, JSON Lines output and small parsing helpers.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "otrpeer.h"

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die(2, "out of memory");
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

void die(int code, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("otrpeer: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

/* ---------- Buf ---------- */

static void buf_reserve(Buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) die(2, "out of memory");
    b->data = p;
    b->cap = cap;
}

void buf_put(Buf *b, const void *p, size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void buf_puts(Buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_printf(Buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) die(2, "formatting failed");
    buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_free(Buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_hex(Buf *b, const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    buf_reserve(b, 2 * n);
    for (size_t i = 0; i < n; i++) {
	b->data[b->len++] = digits[p[i] >> 4];
	b->data[b->len++] = digits[p[i] & 15];
    }
    b->data[b->len] = '\0';
}

/* Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0
 * if the bytes there are not well-formed UTF-8. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned int cp;

    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
	if ((s[i] & 0xc0) != 0x80) return 0;
	cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return 0;
    if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return 0;
    return len;
}

int buf_json_string(Buf *b, const unsigned char *s, size_t n)
{
    int valid = 1;
    buf_put(b, "\"", 1);
    size_t i = 0;
    while (i < n) {
	unsigned char c = s[i];
	if (c == '"') { buf_put(b, "\\\"", 2); i++; continue; }
	if (c == '\\') { buf_put(b, "\\\\", 2); i++; continue; }
	if (c < 0x20 || c == 0x7f) {
	    buf_printf(b, "\\u%04x", c);
	    i++;
	    continue;
	}
	size_t l = utf8_seq_len(s + i, n - i);
	if (l == 0) {
	    valid = 0;
	    buf_puts(b, "\\ufffd");
	    i++;
	    continue;
	}
	buf_put(b, s + i, l);
	i += l;
    }
    buf_put(b, "\"", 1);
    return valid;
}

/* ---------- events ---------- */

static void ev_key(Buf *ev, const char *key)
{
    buf_put(ev, ",", 1);
    buf_json_string(ev, (const unsigned char *)key, strlen(key));
    buf_put(ev, ":", 1);
}

void ev_begin(Buf *ev, const char *event)
{
    memset(ev, 0, sizeof(*ev));
    buf_puts(ev, "{\"event\":");
    buf_json_string(ev, (const unsigned char *)event, strlen(event));
}

void ev_str(Buf *ev, const char *key, const char *s)
{
    ev_key(ev, key);
    buf_json_string(ev, (const unsigned char *)s, strlen(s));
}

void ev_text(Buf *ev, const char *key, const unsigned char *s, size_t n,
	int always_hex)
{
    ev_key(ev, key);
    int valid = buf_json_string(ev, s, n);
    if (always_hex || !valid) {
	Buf k = {0};
	buf_printf(&k, "%s_hex", key);
	ev_hex(ev, k.data, s, n);
	buf_free(&k);
    }
}

void ev_hex(Buf *ev, const char *key, const unsigned char *p, size_t n)
{
    ev_key(ev, key);
    buf_put(ev, "\"", 1);
    buf_hex(ev, p, n);
    buf_put(ev, "\"", 1);
}

void ev_mpi(Buf *ev, const char *key, gcry_mpi_t m)
{
    if (!m) {
	ev_null(ev, key);
	return;
    }
    size_t n;
    unsigned char *p = mpi_bytes(m, &n);
    ev_hex(ev, key, p, n);
    free(p);
}

void ev_int(Buf *ev, const char *key, long long v)
{
    ev_key(ev, key);
    buf_printf(ev, "%lld", v);
}

void ev_bool(Buf *ev, const char *key, int v)
{
    ev_key(ev, key);
    buf_puts(ev, v ? "true" : "false");
}

void ev_null(Buf *ev, const char *key)
{
    ev_key(ev, key);
    buf_puts(ev, "null");
}

void ev_raw(Buf *ev, const char *key, const char *json)
{
    ev_key(ev, key);
    buf_puts(ev, json);
}

void ev_instag(Buf *ev, const char *key, unsigned int instag)
{
    ev_key(ev, key);
    buf_printf(ev, "\"%08x\"", instag);
}

void ev_emit(Buf *ev)
{
    buf_put(ev, "}\n", 2);
    if (fwrite(ev->data, 1, ev->len, stdout) != ev->len || fflush(stdout))
	die(2, "cannot write to stdout");
    buf_free(ev);
}

/* ---------- parsing ---------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int hex_decode(const char *hex, unsigned char **out, size_t *outlen)
{
    if (!strcmp(hex, "-")) hex = "";
    size_t n = strlen(hex);
    if (n % 2) return -1;
    unsigned char *p = xmalloc(n / 2);
    for (size_t i = 0; i < n / 2; i++) {
	int hi = hexval((unsigned char)hex[2 * i]);
	int lo = hexval((unsigned char)hex[2 * i + 1]);
	if (hi < 0 || lo < 0) {
	    free(p);
	    return -1;
	}
	p[i] = (unsigned char)(hi << 4 | lo);
    }
    *out = p;
    *outlen = n / 2;
    return 0;
}

char *unescape(const char *s, const char **err)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
	if (s[i] != '\\') {
	    out[o++] = s[i];
	    continue;
	}
	char c = s[++i];
	switch (c) {
	    case 'n': out[o++] = '\n'; break;
	    case 't': out[o++] = '\t'; break;
	    case 'r': out[o++] = '\r'; break;
	    case '\\': out[o++] = '\\'; break;
	    case 'x': {
		int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
		int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
		    *err = "\\x needs two hex digits";
		    free(out);
		    return NULL;
		}
		if (hi == 0 && lo == 0) {
		    *err = "\\x00 cannot be sent (libotr takes C strings)";
		    free(out);
		    return NULL;
		}
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
		break;
	    }
	    default:
		*err = "unknown escape (use \\n \\t \\r \\\\ \\xHH)";
		free(out);
		return NULL;
	}
    }
    out[o] = '\0';
    return out;
}

unsigned char *mpi_bytes(gcry_mpi_t m, size_t *n)
{
    size_t len = 0;
    gcry_mpi_print(GCRYMPI_FMT_USG, NULL, 0, &len, m);
    unsigned char *p = xmalloc(len);
    if (len) gcry_mpi_print(GCRYMPI_FMT_USG, p, len, &len, m);
    *n = len;
    return p;
}

const char *fingerprint_human(const unsigned char hash[20], char out[45])
{
    otrl_privkey_hash_to_human(out, hash);
    return out;
}
