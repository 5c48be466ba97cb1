// A C interface to hnswlib (Debian's libhnswlib-dev, header-only) for the VectorIndex's
// `index: hnsw` (issue #13). C++ exceptions stop here and become error codes.
#include "CJinaHNSW.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <vector>

// hnswlib 0.6.2's SSE search loop prefetches from the link *after* the one it reads, so on a
// full neighbour list it reads 4 bytes past the list, and past the end of the allocation for
// the last list of a block (AddressSanitizer: heap-buffer-overflow in searchBaseLayer). The
// value only feeds a prefetch hint, but the read is out of bounds: every block the header
// allocates gets a little slack so that it stays inside memory we own.
namespace {
constexpr std::size_t kPrefetchSlack = 16;
void *slack_malloc(std::size_t size) { return std::malloc(size + kPrefetchSlack); }
void *slack_realloc(void *pointer, std::size_t size) { return std::realloc(pointer, size + kPrefetchSlack); }
}  // namespace
#define malloc(size) slack_malloc(size)
#define realloc(pointer, size) slack_realloc(pointer, size)
#include <hnswlib/hnswlib.h>
#undef malloc
#undef realloc

struct jina_hnsw {
    std::unique_ptr<hnswlib::SpaceInterface<float>> space;
    std::unique_ptr<hnswlib::HierarchicalNSW<float>> graph;
    std::mutex growth;
};

static void copy_error(char *error, const char *message) {
    if (error) {
        std::strncpy(error, message, 255);
        error[255] = 0;
    }
}

// 1 − q·v for inner products (vectors normalised by the caller for cosine), else squared L2.
static std::unique_ptr<hnswlib::SpaceInterface<float>> make_space(size_t dim, int inner_product) {
    if (inner_product) return std::make_unique<hnswlib::InnerProductSpace>(dim);
    return std::make_unique<hnswlib::L2Space>(dim);
}

extern "C" jina_hnsw *jina_hnsw_new(size_t dim, int inner_product, size_t capacity, size_t m, size_t ef_construction,
                                    uint64_t seed, char *error) {
    try {
        auto index = std::make_unique<jina_hnsw>();
        index->space = make_space(dim, inner_product);
        index->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(
            index->space.get(), std::max<size_t>(capacity, 16), m, ef_construction, seed);
        return index.release();
    } catch (const std::exception &exception) {
        copy_error(error, exception.what());
        return nullptr;
    }
}

extern "C" void jina_hnsw_free(jina_hnsw *index) { delete index; }

extern "C" jina_hnsw *jina_hnsw_load(const char *path, size_t dim, int inner_product, char *error) {
    try {
        auto index = std::make_unique<jina_hnsw>();
        index->space = make_space(dim, inner_product);
        std::ifstream probe(path, std::ios::binary);
        if (!probe) {
            copy_error(error, "the file cannot be opened");
            return nullptr;
        }
        probe.close();
        index->graph = std::make_unique<hnswlib::HierarchicalNSW<float>>(index->space.get(), std::string(path));
        auto &graph = *index->graph;
        if (graph.label_offset_ < graph.offsetData_ || graph.label_offset_ - graph.offsetData_ != index->space->get_data_size()) {
            copy_error(error, "the graph holds vectors of another dimension");
            return nullptr;
        }
        return index.release();
    } catch (const std::exception &exception) {
        copy_error(error, exception.what());
        return nullptr;
    }
}

extern "C" int jina_hnsw_save(jina_hnsw *index, const char *path, char *error) {
    try {
        index->graph->saveIndex(std::string(path));
        return 0;
    } catch (const std::exception &exception) {
        copy_error(error, exception.what());
        return -1;
    }
}

extern "C" int jina_hnsw_has(jina_hnsw *index, size_t label) {
    return index->graph->label_lookup_.count(label) > 0 ? 1 : 0;
}

extern "C" int jina_hnsw_add(jina_hnsw *index, const float *vector, size_t label, char *error) {
    try {
        {
            std::lock_guard<std::mutex> lock(index->growth);
            auto &graph = *index->graph;
            if (graph.cur_element_count >= graph.max_elements_) graph.resizeIndex(graph.max_elements_ * 2);
        }
        index->graph->addPoint(vector, label);
        return 0;
    } catch (const std::exception &exception) {
        copy_error(error, exception.what());
        return -1;
    }
}

extern "C" int jina_hnsw_delete(jina_hnsw *index, size_t label) {
    try {
        index->graph->markDelete(label);
        return 0;
    } catch (const std::exception &) {
        return -1;
    }
}

extern "C" int jina_hnsw_get(jina_hnsw *index, size_t label, float *out) {
    try {
        auto values = index->graph->getDataByLabel<float>(label);
        std::copy(values.begin(), values.end(), out);
        return 0;
    } catch (const std::exception &) {
        return -1;
    }
}

extern "C" size_t jina_hnsw_search(jina_hnsw *index, const float *query, size_t k, size_t ef, size_t *labels,
                                   float *distances) {
    try {
        index->graph->setEf(std::max(ef, k));
        auto found = index->graph->searchKnn(query, k);
        size_t count = found.size();
        // The queue pops the farthest first: fill from the back.
        for (size_t position = count; position > 0; position--) {
            labels[position - 1] = found.top().second;
            distances[position - 1] = found.top().first;
            found.pop();
        }
        return count;
    } catch (const std::exception &) {
        return 0;
    }
}
