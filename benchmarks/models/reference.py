"""The encoders' pipelines in Python, as a user writes them with the same models (issue #14's
encoder benchmark): onnxruntime, Hugging Face `tokenizers` for the texts, PIL for the images
(open_nsfw's preprocessing). Same files and batch sizes as `model-benchmark`; the time outside
the model per item is reported apart from `session.run`. Not a test.
    python reference.py DATA_DIR MODELS_DIR"""
import io
import os
import sys
import time

import numpy as np
import onnxruntime as ort
from PIL import Image
from tokenizers import BertWordPieceTokenizer

folder, models = sys.argv[1], sys.argv[2]
options = ort.SessionOptions()
options.intra_op_num_threads = 1
options.inter_op_num_threads = 1

texts = open(os.path.join(folder, "texts.txt")).read().splitlines()
tokenizer = BertWordPieceTokenizer(os.path.join(models, "minilm/vocab.txt"), lowercase=True)
tokenizer.enable_truncation(max_length=256)
tokenizer.enable_padding()
text_session = ort.InferenceSession(os.path.join(models, "minilm/model.onnx"), options, providers=["CPUExecutionProvider"])
for batch in (1, 32):
    outside = inside = 0.0
    items = 0
    for start in range(0, len(texts) - batch + 1, batch):
        began = time.perf_counter()
        encoded = tokenizer.encode_batch(texts[start:start + batch])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        middle = time.perf_counter()
        hidden = text_session.run(None, feeds)[0]
        after = time.perf_counter()
        pooled = (hidden * mask[..., None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
        done = time.perf_counter()
        outside += (middle - began) + (done - after)
        inside += after - middle
        items += batch
    print(f"FIGURE python_text batch={batch} items_per_s={items / (outside + inside):.1f} "
          f"outside_ms_per_item={outside * 1000 / items:.3f} model_ms_per_item={inside * 1000 / items:.3f}")

files = sorted(f for f in os.listdir(os.path.join(folder, "images")) if f.endswith(".jpg"))
images = [open(os.path.join(folder, "images", f), "rb").read() for f in files]
image_session = ort.InferenceSession(os.path.join(models, "resnet50/model.onnx"), options, providers=["CPUExecutionProvider"])
mean = np.array([104, 117, 123], dtype=np.float32)
name = image_session.get_inputs()[0].name
for batch in (1, 32):
    outside = inside = 0.0
    items = 0
    warmed = False
    for start in range(0, len(images) - batch + 1, batch):
        began = time.perf_counter()
        rows = []
        for data in images[start:start + batch]:
            picture = Image.open(io.BytesIO(data)).convert("RGB").resize((256, 256), Image.Resampling.BILINEAR)
            rows.append(np.asarray(picture.crop((16, 16, 240, 240)), dtype=np.float32)[:, :, ::-1] - mean)
        stacked = np.ascontiguousarray(np.stack(rows))
        middle = time.perf_counter()
        out = image_session.run(["Reshape:0"], {name: stacked})[0]
        after = time.perf_counter()
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        done = time.perf_counter()
        if warmed:
            outside += (middle - began) + (done - after)
            inside += after - middle
            items += batch
        warmed = True
    print(f"FIGURE python_image batch={batch} items_per_s={items / (outside + inside):.1f} "
          f"outside_ms_per_item={outside * 1000 / items:.3f} model_ms_per_item={inside * 1000 / items:.3f}")
