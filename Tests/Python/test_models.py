"""The model executors end to end (issue #14): `jina flow` with TextEncoder and OnnxEncoder on
ONNX Runtime, answers compared with the same models run by Python's onnxruntime (the reference,
in the venv of scripts/models-venv.sh), through the real Jina client; and the one-line error of a
missing runtime. Needs scripts/install-models.sh (scripts/test.sh runs it)."""
import json
import os
import subprocess

import numpy as np
import pytest

from conftest import REPO, run_jina
from test_flow_e2e import flows, free_port  # noqa: F401

os.environ.setdefault("JINA_OPTOUT_TELEMETRY", "1")
from docarray import BaseDoc, DocList  # noqa: E402
from docarray.typing import NdArray  # noqa: E402
from jina import Client  # noqa: E402

MODELS = os.environ.get("JINA_MODELS") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "jina", "models")


class Item(BaseDoc):
    text: str | None = None
    tensor: NdArray | None = None
    embedding: NdArray | None = None


@pytest.fixture(scope="session")
def models_python() -> str:
    for path in ("minilm/model.onnx", "minilm/vocab.txt", "resnet50/model.onnx", "onnxruntime"):
        assert os.path.exists(os.path.join(MODELS, path)), f"{MODELS}/{path} is missing: run scripts/install-models.sh"
    result = subprocess.run([str(REPO / "scripts" / "models-venv.sh")], capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def reference(models_python, program, payload):
    """Runs `program` in the models venv with `payload` (JSON) on stdin; returns its JSON answer."""
    result = subprocess.run([models_python, "-c", program], input=json.dumps(payload), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


TEXT_REFERENCE = """
import json, sys
import numpy as np, onnxruntime as ort
from tokenizers import BertWordPieceTokenizer
payload = json.load(sys.stdin)
tokenizer = BertWordPieceTokenizer(payload["vocab"], lowercase=True)
tokenizer.enable_truncation(max_length=256)
session = ort.InferenceSession(payload["model"], providers=["CPUExecutionProvider"])
out = []
for text in payload["texts"]:
    ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
    mask = np.ones_like(ids)
    hidden = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    pooled = (hidden * mask[..., None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
    out.append((pooled / np.linalg.norm(pooled, axis=1, keepdims=True))[0].tolist())
print(json.dumps(out))
"""

TENSOR_REFERENCE = """
import json, sys
import numpy as np, onnxruntime as ort
payload = json.load(sys.stdin)
session = ort.InferenceSession(payload["model"], providers=["CPUExecutionProvider"])
batch = np.array(payload["tensors"], dtype=np.float32)
print(json.dumps(session.run([payload["output"]], {session.get_inputs()[0].name: batch})[0].tolist()))
"""


def encoder_flow(tmp_path, port, body):
    path = tmp_path / "flow.yml"
    path.write_text(f"jtype: Flow\ngateway:\n  port: {port}\nexecutors:\n{body}")
    return path


def test_text_encoder_matches_python_onnxruntime(flows, tmp_path, models_python):
    port = free_port()
    flow = flows(encoder_flow(tmp_path, port, "  - name: text\n    uses: TextEncoder\n    uses_with: {batch_size: 4}\n"))
    flow.wait_ready()
    texts = ["A red summer dress with white dots", "naïve café", "Black leather ankle boots, size 38!",
             "日本語 text", "a", "sneakers " * 200, "Hello, world!", "wool scarf", "denim jacket"]
    docs = DocList[Item]([Item(text=text) for text in texts] + [Item(tensor=np.zeros(3))])
    answers = Client(host=f"grpc://127.0.0.1:{port}").post("/index", docs, return_type=DocList[Item])
    expected = reference(models_python, TEXT_REFERENCE, {"model": f"{MODELS}/minilm/model.onnx",
                                                          "vocab": f"{MODELS}/minilm/vocab.txt", "texts": texts})
    for answer, want in zip(answers, expected):
        got = np.asarray(answer.embedding, dtype=np.float64)
        assert got.shape == (384,)
        assert np.max(np.abs(got - np.array(want))) <= 1e-4, answer.text
        assert abs(np.linalg.norm(got) - 1) < 1e-5
    assert answers[-1].embedding is None  # no text: left as it was
    assert flow.stop() == 0


def test_onnx_encoder_matches_python_onnxruntime(flows, tmp_path, models_python):
    port = free_port()
    flow = flows(encoder_flow(tmp_path, port, f"""  - name: resnet
    uses: OnnxEncoder
    uses_with: {{model: {MODELS}/resnet50/model.onnx, output: "Reshape:0", batch_size: 3, intra_op_threads: 2}}
"""))
    flow.wait_ready()
    rng = np.random.default_rng(3)
    tensors = rng.uniform(-120, 130, size=(5, 224, 224, 3))  # float64: converted to float32
    client = Client(host=f"grpc://127.0.0.1:{port}")
    answers = client.post("/", DocList[Item]([Item(tensor=t) for t in tensors]), return_type=DocList[Item])
    expected = reference(models_python, TENSOR_REFERENCE, {"model": f"{MODELS}/resnet50/model.onnx",
                                                            "output": "Reshape:0", "tensors": tensors.tolist()})
    for answer, want in zip(answers, expected):
        got = np.asarray(answer.embedding)
        assert got.shape == (1024,)
        assert np.max(np.abs(got - np.array(want))) <= 1e-4 * max(1.0, float(np.max(np.abs(want))))
    # A tensor of the wrong shape fails the request, naming the document and both shapes.
    errors = []
    client.post("/", DocList[Item]([Item(id="small", tensor=np.zeros((10, 10, 3)))]), on_error=errors.append)
    assert len(errors) == 1
    message = errors[0].header.status.description
    assert "document small" in message and "[10, 10, 3]" in message and "[224, 224, 3]" in message
    assert flow.stop() == 0


def test_a_missing_runtime_stops_the_flow_at_start_with_one_line(jina_bin, tmp_path):
    flow = encoder_flow(tmp_path, free_port(), "  - name: text\n    uses: TextEncoder\n    uses_with: {runtime: /nowhere/libonnxruntime.so.1.32.0}\n")
    result = run_jina(jina_bin, "flow", "--uses", str(flow), timeout=120)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stderr.splitlines() if "/nowhere/libonnxruntime.so.1.32.0" in line]
    assert lines and "scripts/install-models.sh" in lines[0], result.stderr
    assert "executor text" in result.stderr or "`text`" in result.stderr


def test_a_missing_model_is_named(jina_bin, tmp_path):
    flow = encoder_flow(tmp_path, free_port(), "  - name: enc\n    uses: OnnxEncoder\n    uses_with: {model: models/missing.onnx}\n")
    result = run_jina(jina_bin, "flow", "--uses", str(flow), timeout=120)
    assert result.returncode == 1
    # Relative model paths start at the Flow file's folder.
    assert f"no model file at {tmp_path}/models/missing.onnx" in result.stderr, result.stderr


IMAGE_REFERENCE = """
import io, json, sys, base64
import numpy as np, onnxruntime as ort
from PIL import Image
payload = json.load(sys.stdin)
session = ort.InferenceSession(payload["model"], providers=["CPUExecutionProvider"])
def prepare(image):
    # open_nsfw's preprocessing: 256x256 bilinear, centre 224, BGR, minus the mean.
    image = image.convert("RGB").resize((256, 256), resample=Image.Resampling.BILINEAR).crop((16, 16, 240, 240))
    return np.asarray(image, dtype=np.float32)[:, :, ::-1] - np.array([104, 117, 123], dtype=np.float32)
batch = []
for item in payload["images"]:
    if "file" in item:
        batch.append(prepare(Image.open(item["file"])))
    else:  # a 256x256 RGB tensor: only the crop and the normalisation
        array = np.array(item["tensor"], dtype=np.float32)[16:240, 16:240, :]
        batch.append(array[:, :, ::-1] - np.array([104, 117, 123], dtype=np.float32))
out = session.run(["Reshape:0"], {session.get_inputs()[0].name: np.ascontiguousarray(np.stack(batch))})[0]
print(json.dumps((out / np.linalg.norm(out, axis=1, keepdims=True)).tolist()))
"""

MAKE_IMAGES = """
import json, sys
import numpy as np
from PIL import Image
folder = sys.argv[1]
rng = np.random.default_rng(7)
names = []
for index, (size, kind) in enumerate([((640, 480), "JPEG"), ((300, 500), "PNG"), ((256, 256), "WEBP"), ((1024, 768), "JPEG")]):
    y, x = np.mgrid[0:size[1], 0:size[0]]
    centre = rng.uniform(0, 1, 2) * size
    picture = np.stack([np.sin(x / (20 + 10 * index)) * 120 + 128, np.cos(y / 35.0) * 100 + 128,
                        255 * np.exp(-((x - centre[0]) ** 2 + (y - centre[1]) ** 2) / 20000.0)], axis=-1)
    name = f"{folder}/photo{index}.{kind.lower()}"
    Image.fromarray(np.clip(picture, 0, 255).astype(np.uint8)).save(name, kind, **({"quality": 90} if kind == "JPEG" else {}))
    names.append(name)
print(json.dumps(names))
"""


def test_image_encoder_matches_python_onnxruntime_and_pil(flows, tmp_path, models_python):
    from docarray.documents import ImageDoc

    photos = tmp_path / "photos"
    photos.mkdir()
    files = json.loads(subprocess.run([models_python, "-c", MAKE_IMAGES, str(photos)], capture_output=True, text=True,
                                      check=True).stdout)
    port = free_port()
    flow = flows(encoder_flow(tmp_path, port, f"  - name: image\n    uses: ImageEncoder\n    uses_with: {{allowed_paths: [{photos}], batch_size: 2}}\n"))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    rng = np.random.default_rng(11)
    tensor = rng.integers(0, 256, size=(256, 256, 3)).astype(np.uint8)
    docs = DocList[ImageDoc]([ImageDoc(id="t", tensor=tensor)]
                             + [ImageDoc(id=f"b{i}", bytes_=open(name, "rb").read()) for i, name in enumerate(files)]
                             + [ImageDoc(id="u0", url=f"file://{files[0]}")])
    answers = client.post("/index", docs, return_type=DocList[ImageDoc])
    expected = reference(models_python, IMAGE_REFERENCE, {"model": f"{MODELS}/resnet50/model.onnx",
                                                           "images": [{"tensor": tensor.tolist()}] + [{"file": f} for f in files]})
    got = {answer.id: np.asarray(answer.embedding, dtype=np.float64) for answer in answers}
    # Identical input tensors: the same numbers as Python's onnxruntime.
    assert np.max(np.abs(got["t"] - np.array(expected[0]))) <= 1e-4
    # From the same files: our decoders and resizer against PIL's, cosine at least 0.99.
    cosines = [float(got[f"b{index}"] @ np.array(expected[index + 1])) for index in range(len(files))]
    print("FIGURE image_encoder_vs_pil cosines=" + ",".join(f"{c:.4f}" for c in cosines))
    for name, cosine in zip(files, cosines):
        assert cosine >= 0.99, (name, cosine)
    assert float(got["u0"] @ got["b0"]) > 0.99999
    assert flow.stop() == 0


def test_image_encoder_refuses_bad_images_naming_the_document(flows, tmp_path, models_python):
    from docarray.documents import ImageDoc

    port = free_port()
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG")
    flow = flows(encoder_flow(tmp_path, port, f"  - name: image\n    uses: ImageEncoder\n    uses_with: {{allowed_paths: [{tmp_path / 'photos'}]}}\n"))
    flow.wait_ready()
    client = Client(host=f"grpc://127.0.0.1:{port}")
    png_header = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (20000).to_bytes(4, "big") + (20000).to_bytes(4, "big")
                  + b"\x08\x02\x00\x00\x00\x00\x00\x00\x00")
    cases = {
        "corrupt-jpeg": (ImageDoc(id="corrupt-jpeg", bytes_=b"\xff\xd8\xff\xe0garbage"), "cannot be decoded"),
        "corrupt-png": (ImageDoc(id="corrupt-png", bytes_=b"\x89PNG\r\n\x1a\nbroken"), "cannot be decoded"),
        "empty": (ImageDoc(id="empty", bytes_=b""), "empty"),
        "bomb": (ImageDoc(id="bomb", bytes_=png_header), "20000×20000"),
        "outside": (ImageDoc(id="outside", url=f"file://{secret}"), "outside allowed_paths"),
        "scheme": (ImageDoc(id="scheme", url="ftp://example.com/a.png"), "`ftp:` is not supported"),
        "network": (ImageDoc(id="network", url="https://example.com/a.png"), "does not fetch from the network"),
    }
    for name, (doc, reason) in cases.items():
        errors = []
        client.post("/index", DocList[ImageDoc]([doc]), on_error=errors.append)
        assert len(errors) == 1, name
        message = errors[0].header.status.description
        assert f"document {name}" in message and reason in message, (name, message)
    # skip_failed: the others are answered; the bad one is tagged with the reason.
    fine = np.full((300, 300, 3), 120, dtype=np.uint8)

    class TaggedImage(ImageDoc):
        tags: dict = {}

    sent = DocList[TaggedImage]([TaggedImage(id="ok", tensor=fine), TaggedImage(id="corrupt-jpeg", bytes_=b"\xff\xd8\xff\xe0garbage")])
    answers = client.post("/index", sent, parameters={"skip_failed": True}, return_type=DocList[TaggedImage])
    by_id = {answer.id: answer for answer in answers}
    assert by_id["ok"].embedding is not None and by_id["corrupt-jpeg"].embedding is None
    assert "cannot be decoded" in by_id["corrupt-jpeg"].tags["image_error"]
    assert flow.stop() == 0
