#ifndef CJINA_HNSW_H
#define CJINA_HNSW_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An HNSW graph (hnswlib, header-only, compiled in) over float32 vectors, by integer label.
typedef struct jina_hnsw jina_hnsw;

/// `inner_product` 1: distances are 1 − q·v (vectors normalised by the caller for cosine);
/// 0: squared Euclidean distances. NULL when hnswlib refused (message in `error`, 256 bytes).
jina_hnsw *jina_hnsw_new(size_t dim, int inner_product, size_t capacity, size_t m, size_t ef_construction,
                         uint64_t seed, char *error);
void jina_hnsw_free(jina_hnsw *index);
/// Opens a graph `jina_hnsw_save` wrote (same `dim` and space). NULL with a message in `error`
/// when the file cannot be read or holds vectors of another size.
jina_hnsw *jina_hnsw_load(const char *path, size_t dim, int inner_product, char *error);
/// Saves the graph (with its deleted marks) to `path`. 0, or -1 with a message in `error`.
int jina_hnsw_save(jina_hnsw *index, const char *path, char *error);
/// 1 when the graph holds `label` (deleted or not), else 0.
int jina_hnsw_has(jina_hnsw *index, size_t label);
/// Adds or replaces the vector of `label` (a deleted label comes back); grows as needed.
/// 0 on success, else -1 with a message in `error`.
int jina_hnsw_add(jina_hnsw *index, const float *vector, size_t label, char *error);
/// Marks `label` deleted (searches skip it). 0 on success, -1 when it is not there.
int jina_hnsw_delete(jina_hnsw *index, size_t label);
/// Copies the stored vector of `label` into `out` (`dim` floats). 0, or -1 when it is not there.
int jina_hnsw_get(jina_hnsw *index, size_t label, float *out);
/// Up to `k` nearest labels with their distances, nearest first; returns how many.
size_t jina_hnsw_search(jina_hnsw *index, const float *query, size_t k, size_t ef, size_t *labels, float *distances);

#ifdef __cplusplus
}
#endif
#endif
