#ifndef OTRTOOL_CGMP_SHIM_H
#define OTRTOOL_CGMP_SHIM_H

#include <stddef.h>
#include <string.h>
#include <stdlib.h>
#include <gmp.h>

/* GMP names its API with macros (mpz_init -> __gmpz_init), which Swift
 * does not import; these wrappers give the few calls we use real names. */

static inline void otr_mpz_init(mpz_ptr z) { mpz_init(z); }
static inline void otr_mpz_clear(mpz_ptr z) { mpz_clear(z); }
static inline void otr_mpz_set(mpz_ptr r, mpz_srcptr a) { mpz_set(r, a); }
static inline void otr_mpz_set_ui(mpz_ptr r, unsigned long v) { mpz_set_ui(r, v); }
static inline int otr_mpz_cmp(mpz_srcptr a, mpz_srcptr b) { return mpz_cmp(a, b); }
static inline int otr_mpz_cmp_ui(mpz_srcptr a, unsigned long b) { return mpz_cmp_ui(a, b); }
static inline int otr_mpz_sgn(mpz_srcptr a) { return mpz_sgn(a); }
static inline int otr_mpz_odd_p(mpz_srcptr a) { return mpz_odd_p(a); }
static inline size_t otr_mpz_sizeinbase2(mpz_srcptr a) { return mpz_sgn(a) == 0 ? 0 : mpz_sizeinbase(a, 2); }
static inline void otr_mpz_add(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_add(r, a, b); }
static inline void otr_mpz_sub(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_sub(r, a, b); }
static inline void otr_mpz_sub_ui(mpz_ptr r, mpz_srcptr a, unsigned long b) { mpz_sub_ui(r, a, b); }
static inline void otr_mpz_mul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_mul(r, a, b); }
static inline void otr_mpz_mod(mpz_ptr r, mpz_srcptr a, mpz_srcptr m) { mpz_mod(r, a, m); }
static inline int otr_mpz_invert(mpz_ptr r, mpz_srcptr a, mpz_srcptr m) { return mpz_invert(r, a, m); }
static inline void otr_mpz_powm(mpz_ptr r, mpz_srcptr b, mpz_srcptr e, mpz_srcptr m) { mpz_powm(r, b, e, m); }
/* Constant-time in the exponent; for secret exponents (needs odd m, e > 0). */
static inline void otr_mpz_powm_sec(mpz_ptr r, mpz_srcptr b, mpz_srcptr e, mpz_srcptr m) { mpz_powm_sec(r, b, e, m); }
static inline int otr_mpz_probab_prime_p(mpz_srcptr a, int reps) { return mpz_probab_prime_p(a, reps); }
static inline void otr_mpz_import_be(mpz_ptr r, const void *bytes, size_t count) {
    mpz_import(r, count, 1, 1, 1, 0, bytes);
}
/* Writes the minimal big-endian form into out (at least sizeinbase(256)
 * bytes); returns the number of bytes written, 0 for zero. */
static inline size_t otr_mpz_export_be(void *out, mpz_srcptr a) {
    size_t count = 0;
    if (mpz_sgn(a) == 0) return 0;
    mpz_export(out, &count, 1, 1, 1, 0, a);
    return count;
}
static inline size_t otr_mpz_size_bytes(mpz_srcptr a) { return mpz_sgn(a) == 0 ? 0 : (mpz_sizeinbase(a, 2) + 7) / 8; }

/* GMP reallocates and frees limbs behind our back; these hooks wipe every
 * block before it is released so no secret limb survives in free memory. */
static void *otr_gmp_alloc(size_t n) {
    void *p = malloc(n);
    if (p == NULL) abort();
    return p;
}
static void otr_gmp_wipe(void *p, size_t n) {
    volatile unsigned char *v = (volatile unsigned char *)p;
    while (n--) *v++ = 0;
}
static void *otr_gmp_realloc(void *old, size_t oldsize, size_t newsize) {
    void *p = otr_gmp_alloc(newsize);
    memcpy(p, old, oldsize < newsize ? oldsize : newsize);
    otr_gmp_wipe(old, oldsize);
    free(old);
    return p;
}
static void otr_gmp_free(void *p, size_t n) {
    if (p == NULL) return;
    otr_gmp_wipe(p, n);
    free(p);
}
static inline void otr_gmp_install_wiping_allocator(void) {
    mp_set_memory_functions(otr_gmp_alloc, otr_gmp_realloc, otr_gmp_free);
}

/* memset that the optimiser may not remove, for wiping secrets. */
static inline void otr_secure_wipe(void *p, size_t n) { otr_gmp_wipe(p, n); }

#endif
