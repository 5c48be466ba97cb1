"""The Python Jina side of the dynamic-batching benchmark: the same device model as
Examples/BatchExecutor — a fixed cost per call plus a little per document (FIXED_MS, PER_DOC_MS;
20 and 0.5 by default). Python Jina's worker runs one call at a time (its executor lock). Each
document's text becomes `HANDLER_MS;BATCH_SIZE`."""
import os
import time

from docarray import DocList
from docarray.documents import TextDoc
from jina import Executor, requests

FIXED_MS = float(os.environ.get('FIXED_MS', '20'))
PER_DOC_MS = float(os.environ.get('PER_DOC_MS', '0.5'))


class BatchFriendly(Executor):
    @requests(on='/work')
    def work(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        started = time.perf_counter()
        time.sleep((FIXED_MS + PER_DOC_MS * len(docs)) / 1000)
        elapsed = (time.perf_counter() - started) * 1000
        for doc in docs:
            doc.text = f'{elapsed};{len(docs)}'
        return docs
