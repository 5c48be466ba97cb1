// Exact-search kernels of the VectorIndex (issue #13), compiled into the binary: one version per
// instruction set, picked at run time with __builtin_cpu_supports, so the binary runs on any
// x86-64 (other architectures get the generic loop). The loops are plain C that the compiler
// vectorises: the 16 lanes of a tile are 16 rows, so the inner loop is one vector FMA (or two
// on AVX2) per dimension with no horizontal sum; four queries share each load of a tile column.

#include "CJinaVectorKernels.h"
#include <string.h>

#define T JINA_TILE_ROWS

#define KERNEL_BODY                                                                        \
    size_t nrows = ntiles * T;                                                              \
    for (size_t t = 0; t < ntiles; t++) {                                                   \
        const float *tile = tiles + t * T * dim;                                            \
        size_t q = 0;                                                                       \
        for (; q + 4 <= nq; q += 4) {                                                       \
            const float *q0 = queries + q * dim, *q1 = q0 + dim, *q2 = q1 + dim, *q3 = q2 + dim; \
            float a0[T] = {0}, a1[T] = {0}, a2[T] = {0}, a3[T] = {0};                       \
            for (size_t i = 0; i < dim; i++) {                                              \
                const float *column = tile + i * T;                                         \
                float x0 = q0[i], x1 = q1[i], x2 = q2[i], x3 = q3[i];                        \
                for (size_t j = 0; j < T; j++) {                                            \
                    a0[j] += x0 * column[j];                                                \
                    a1[j] += x1 * column[j];                                                \
                    a2[j] += x2 * column[j];                                                \
                    a3[j] += x3 * column[j];                                                \
                }                                                                           \
            }                                                                               \
            memcpy(out + (q + 0) * nrows + t * T, a0, sizeof a0);                           \
            memcpy(out + (q + 1) * nrows + t * T, a1, sizeof a1);                           \
            memcpy(out + (q + 2) * nrows + t * T, a2, sizeof a2);                           \
            memcpy(out + (q + 3) * nrows + t * T, a3, sizeof a3);                           \
        }                                                                                   \
        for (; q < nq; q++) {                                                               \
            const float *query = queries + q * dim;                                         \
            float a0[T] = {0}, a1[T] = {0}, a2[T] = {0}, a3[T] = {0};                       \
            size_t i = 0;                                                                   \
            for (; i + 4 <= dim; i += 4) {                                                  \
                const float *c0 = tile + i * T, *c1 = c0 + T, *c2 = c1 + T, *c3 = c2 + T;   \
                float x0 = query[i], x1 = query[i + 1], x2 = query[i + 2], x3 = query[i + 3]; \
                for (size_t j = 0; j < T; j++) {                                            \
                    a0[j] += x0 * c0[j];                                                    \
                    a1[j] += x1 * c1[j];                                                    \
                    a2[j] += x2 * c2[j];                                                    \
                    a3[j] += x3 * c3[j];                                                    \
                }                                                                           \
            }                                                                               \
            for (; i < dim; i++) {                                                          \
                float x = query[i];                                                         \
                for (size_t j = 0; j < T; j++) a0[j] += x * tile[i * T + j];                \
            }                                                                               \
            for (size_t j = 0; j < T; j++)                                                  \
                out[q * nrows + t * T + j] = (a0[j] + a1[j]) + (a2[j] + a3[j]);             \
        }                                                                                   \
    }

static void tiles_generic(const float *queries, size_t nq, const float *tiles, size_t ntiles, size_t dim, float *out) {
    KERNEL_BODY
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
static void tiles_avx2(const float *queries, size_t nq, const float *tiles, size_t ntiles, size_t dim, float *out) {
    KERNEL_BODY
}

__attribute__((target("avx512f,avx512vl,fma")))
static void tiles_avx512(const float *queries, size_t nq, const float *tiles, size_t ntiles, size_t dim, float *out) {
    KERNEL_BODY
}
#endif

typedef void (*tile_kernel)(const float *, size_t, const float *, size_t, size_t, float *);

static tile_kernel chosen;
static const char *chosen_name;

static void choose(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma")) {
        chosen = tiles_avx512;
        chosen_name = "avx512";
        return;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        chosen = tiles_avx2;
        chosen_name = "avx2";
        return;
    }
#endif
    chosen = tiles_generic;
    chosen_name = "generic";
}

void jina_tile_scores(const float *queries, size_t nq, const float *tiles, size_t ntiles, size_t dim, float *out) {
    // A benign race: every thread that gets here first computes the same answer.
    if (!chosen) choose();
    chosen(queries, nq, tiles, ntiles, dim, out);
}

const char *jina_dot_kernel_name(void) {
    if (!chosen) choose();
    return chosen_name;
}
