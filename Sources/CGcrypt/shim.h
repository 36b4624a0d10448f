#ifndef OTRTOOL_CGCRYPT_SHIM_H
#define OTRTOOL_CGCRYPT_SHIM_H

#include <gcrypt.h>

/* gcry_control and gcry_sexp_build are variadic, which Swift cannot call:
 * each use the library needs gets a fixed-arity wrapper here. */

static inline const char *otr_gcry_init(void) {
    const char *version = gcry_check_version(GCRYPT_VERSION);
    if (version == NULL) return NULL;
    /* Secure memory for secret MPIs; expand on demand rather than fail
     * when many keys are alive, and stay quiet when mlock is refused. */
    gcry_control(GCRYCTL_DISABLE_SECMEM_WARN);
    gcry_control(GCRYCTL_INIT_SECMEM, 1 << 16, 0);
    gcry_control(GCRYCTL_AUTO_EXPAND_SECMEM, 1 << 16, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return version;
}

/* Build an S-expression holding up to five MPIs. */
static inline gcry_error_t otr_gcry_sexp_build_mpi1(gcry_sexp_t *out, const char *fmt, gcry_mpi_t a) {
    return gcry_sexp_build(out, NULL, fmt, a);
}
static inline gcry_error_t otr_gcry_sexp_build_mpi2(gcry_sexp_t *out, const char *fmt, gcry_mpi_t a, gcry_mpi_t b) {
    return gcry_sexp_build(out, NULL, fmt, a, b);
}
static inline gcry_error_t otr_gcry_sexp_build_mpi4(gcry_sexp_t *out, const char *fmt,
    gcry_mpi_t a, gcry_mpi_t b, gcry_mpi_t c, gcry_mpi_t d) {
    return gcry_sexp_build(out, NULL, fmt, a, b, c, d);
}
static inline gcry_error_t otr_gcry_sexp_build_mpi5(gcry_sexp_t *out, const char *fmt,
    gcry_mpi_t a, gcry_mpi_t b, gcry_mpi_t c, gcry_mpi_t d, gcry_mpi_t e) {
    return gcry_sexp_build(out, NULL, fmt, a, b, c, d, e);
}
static inline gcry_error_t otr_gcry_sexp_build_buffer(gcry_sexp_t *out, const char *fmt, int length, const void *bytes) {
    return gcry_sexp_build(out, NULL, fmt, length, bytes);
}

#endif
