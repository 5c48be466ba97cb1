"""Python Jina executors for the tests of Python executors inside `jina flow` (issue #12).

docarray v2 schemas: text, numpy tensors and embeddings in float32 and float64, a custom
`BaseDoc`, several endpoints, one that returns a dict, one that raises, one that streams.
"""
import asyncio
import os
import time
from typing import Optional

import numpy as np
from docarray import BaseDoc, DocList
from docarray.documents import TextDoc
from docarray.typing import NdArray
from jina import Executor, requests


class Product(BaseDoc):
    """A custom document: a title, a float64 tensor, a float32 embedding."""
    title: str = ''
    price: float = 0.0
    tensor: Optional[NdArray] = None
    embedding: Optional[NdArray] = None


class Tagger(Executor):
    """Appends `suffix` to texts; embeds products; reports; fails on request."""

    def __init__(self, suffix: str = '', **kwargs):
        super().__init__(**kwargs)
        self.suffix = suffix
        # Written from inside the executor, so a test can see each replica's environment.
        report = os.environ.get('JINA_TEST_REPORT_DIR')
        if report:
            with open(os.path.join(report, str(os.getpid())), 'w') as handle:
                handle.write(os.environ.get('CUDA_VISIBLE_DEVICES', '-'))

    @requests(on='/text')
    def text(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        for doc in docs:
            doc.text = (doc.text or '') + self.suffix
        return docs

    @requests(on='/embed')
    def embed(self, docs: DocList[Product], **kwargs) -> DocList[Product]:
        for doc in docs:
            doc.embedding = np.arange(3, dtype=np.float32) + len(doc.title)
            doc.tensor = np.full((2, 2), doc.price, dtype=np.float64)
            doc.title = doc.title + self.suffix
        return docs

    @requests(on='/stats')
    def stats(self, docs: DocList[TextDoc], parameters: dict, **kwargs):
        return {'count': len(docs), 'suffix': self.suffix, 'echo': parameters.get('echo')}

    @requests(on='/pid')
    def pid(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        for doc in docs:
            doc.text = f'{os.getpid()} {self.runtime_args.shard_id}'
        return docs

    @requests(on='/batch')
    def batch(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        # How many documents this call got: with dynamic batching, the batch's size.
        for doc in docs:
            doc.text = f'{doc.text}|{len(docs)}'
        return docs

    @requests(on='/words')
    async def words(self, doc: TextDoc, **kwargs) -> TextDoc:
        # A generator endpoint (stream_doc): one document per word, 200 ms apart, each
        # stamped with the time it was yielded.
        for index, word in enumerate((doc.text or '').split()):
            if index:
                await asyncio.sleep(0.2)
            yield TextDoc(text=f'{word}{self.suffix}@{time.time()}')

    @requests(on='/fail')
    def fail(self, docs: DocList[TextDoc], **kwargs) -> DocList[TextDoc]:
        raise ValueError(f'cannot handle {docs[0].text!r}')


class Merger(Executor):
    """A `uses_after` head: one document per shard reply, its texts joined (docs_matrix)."""

    @requests
    def merge(self, docs_matrix: Optional[list] = None, **kwargs) -> DocList[TextDoc]:
        lists = docs_matrix or []
        return DocList[TextDoc]([TextDoc(text=f'{len(lists)} shards: ' + ' + '.join(
            ','.join(doc.text for doc in docs) for docs in lists))])


class Broken(Executor):
    """Cannot start: its constructor raises."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        raise RuntimeError('the model file is missing')
