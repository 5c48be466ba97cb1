"""The reference side of benchmarks/vector/run.sh: faiss-cpu IndexFlatIP (1 and 2 threads) and
numpy (X @ q + argpartition) on the same N x D random L2-normalised float32 vectors as
`vector-benchmark`, k = 10: single-query latency median/p99, batched queries/s. Not a test."""
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
d = int(sys.argv[2]) if len(sys.argv) > 2 else 128
k = int(sys.argv[3]) if len(sys.argv) > 3 else 10
queries = int(sys.argv[4]) if len(sys.argv) > 4 else 200
batch = int(sys.argv[5]) if len(sys.argv) > 5 else 100

rng = np.random.default_rng(42)
x = rng.uniform(-1, 1, size=(n, d)).astype(np.float32)
x /= np.linalg.norm(x, axis=1, keepdims=True)
q = rng.uniform(-1, 1, size=(queries, d)).astype(np.float32)
q /= np.linalg.norm(q, axis=1, keepdims=True)


def report(name, single, rate):
    single = sorted(single)
    median = single[len(single) // 2]
    p99 = single[min(len(single) - 1, int(len(single) * 0.99))]
    print(f"FIGURE {name}_single n={n} d={d} k={k} median_ms={median:.2f} p99_ms={p99:.2f}")
    print(f"FIGURE {name}_batched n={n} d={d} k={k} batch={batch} queries_per_s={rate:.0f}")


def numpy_search(block):
    scores = block @ x.T
    top = np.argpartition(-scores, k, axis=1)[:, :k]
    return top


def timed(function, block):
    start = time.perf_counter()
    function(block)
    return (time.perf_counter() - start) * 1000


numpy_search(q[:1])
single = [timed(numpy_search, q[i:i + 1]) for i in range(queries)]
rates = sorted(batch / (timed(numpy_search, q[:batch]) / 1000) for _ in range(3))
report("numpy", single, rates[1])

try:
    import faiss
except ImportError:
    print("NOTE faiss-cpu is not installed; pip install faiss-cpu")
    sys.exit(0)
index = faiss.IndexFlatIP(d)
index.add(x)
for threads in (1, 2):
    faiss.omp_set_num_threads(threads)
    index.search(q[:1], k)
    single = [timed(lambda block: index.search(block, k), q[i:i + 1]) for i in range(queries)]
    rates = sorted(batch / (timed(lambda block: index.search(block, k), q[:batch]) / 1000) for _ in range(3))
    report(f"faiss_flat_{threads}t", single, rates[1])
# The memory floor: one pass over the stored vectors.
passes = sorted(timed(lambda _: x.sum(), None) for _ in range(5))
print(f"FIGURE memory_pass n={n} d={d} median_ms={passes[2]:.2f}")
