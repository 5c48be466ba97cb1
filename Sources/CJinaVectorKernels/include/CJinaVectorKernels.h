#ifndef CJINA_VECTOR_KERNELS_H
#define CJINA_VECTOR_KERNELS_H
#include <stddef.h>

/// Rows per tile of the tiled layout.
#define JINA_TILE_ROWS 16

/// Dot products of `nq` queries (row-major, `dim` floats each) with the rows of `ntiles` tiles.
/// A tile holds JINA_TILE_ROWS rows dimension-major: the value of row j, dimension i is at
/// tile[i * JINA_TILE_ROWS + j]. out[q * ntiles * JINA_TILE_ROWS + t * JINA_TILE_ROWS + j] is
/// query q · row j of tile t. No horizontal sums: each lane of a vector register is one row.
/// Uses AVX-512 or AVX2+FMA when the CPU has them (chosen once), plain C otherwise.
void jina_tile_scores(const float *queries, size_t nq, const float *tiles, size_t ntiles, size_t dim, float *out);

/// Which kernel `jina_tile_scores` uses: "avx512", "avx2" or "generic".
const char *jina_dot_kernel_name(void);

#endif
