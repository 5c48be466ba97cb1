"""HNSW side of benchmarks/vector/run.sh: writes embedding-like data (clustered topics, L2-
normalised float32) and its exact top-10 to DIR for `vector-benchmark hnsw DIR`, then measures
faiss IndexHNSWFlat (inner product) with the same M and ef: build time, recall@10, latency."""
import sys
import time

import faiss
import numpy as np

out, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
m, ef_construction, ef_searches = 16, 200, (64, 128)
rng = np.random.default_rng(7)
topics = rng.normal(size=(1000, d)).astype(np.float32)
base = topics[rng.integers(0, 1000, n)] + 0.6 * rng.normal(size=(n, d)).astype(np.float32)
base /= np.linalg.norm(base, axis=1, keepdims=True)
queries = topics[rng.integers(0, 1000, 1000)] + 0.6 * rng.normal(size=(1000, d)).astype(np.float32)
queries /= np.linalg.norm(queries, axis=1, keepdims=True)
flat = faiss.IndexFlatIP(d)
flat.add(base)
_, truth = flat.search(queries, 10)
base.astype("<f4").tofile(f"{out}/base.f32")
queries.astype("<f4").tofile(f"{out}/queries.f32")
truth.astype("<i4").tofile(f"{out}/truth.i32")

faiss.omp_set_num_threads(1)
index = faiss.IndexHNSWFlat(d, m, faiss.METRIC_INNER_PRODUCT)
index.hnsw.efConstruction = ef_construction
start = time.perf_counter()
index.add(base)
print(f"FIGURE faiss_hnsw_build n={n} d={d} m={m} ef_construction={ef_construction} seconds={time.perf_counter() - start:.2f}")
for ef in ef_searches:
    index.hnsw.efSearch = ef
    latencies, hits = [], 0
    for i in range(len(queries)):
        start = time.perf_counter()
        _, found = index.search(queries[i:i + 1], 10)
        latencies.append((time.perf_counter() - start) * 1000)
        hits += len(set(found[0]) & set(truth[i]))
    latencies.sort()
    print(f"FIGURE faiss_hnsw_search n={n} ef_search={ef} recall_at_10={hits / (10 * len(queries)):.4f} "
          f"median_ms={latencies[len(latencies) // 2]:.3f} p99_ms={latencies[int(len(latencies) * 0.99)]:.3f}")
