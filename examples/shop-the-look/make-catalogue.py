#!/usr/bin/env python3
"""Makes the shop-the-look catalogue offline from Debian's dataset-fashion-mnist (labelled
product images, MIT): PNG files and JSON lines for `jina client post`. Standard library only.

    make-catalogue.py [--count 2000] [--queries 200] [--out DIR]

DIR (default: ./data next to this script) gets catalogue/*.png, queries/*.png, and
catalogue.jsonl / queries.jsonl, one document a line: {"id", "url": the picture as a `data:`
URI (so the index returns it and the playground page can show it; --file-urls writes
`file://…` instead, which the Flow's allowed_paths must cover), "text": a title made from the
class name and simple attributes, "tags": {"label", "category", …}}.
The catalogue comes from the training set, the queries from the test set (held out)."""
import argparse
import base64
import gzip
import json
import os
import struct
import zlib

SOURCE = "/usr/share/datasets/fashion-mnist"
CATEGORIES = ["T-shirt", "trousers", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]


def read_images(path):
    with gzip.open(path, "rb") as handle:
        magic, count, rows, cols = struct.unpack(">IIII", handle.read(16))
        assert magic == 2051, f"{path} is not an idx image file"
        data = handle.read(count * rows * cols)
    return [data[i * rows * cols:(i + 1) * rows * cols] for i in range(count)], rows, cols


def read_labels(path):
    with gzip.open(path, "rb") as handle:
        magic, count = struct.unpack(">II", handle.read(8))
        assert magic == 2049, f"{path} is not an idx label file"
        return list(handle.read(count))


def png(pixels, width, height):
    """An 8-bit greyscale PNG."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + pixels[row * width:(row + 1) * width] for row in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def title(pixels, label):
    """A product title from the class name and what the picture shows: how dark the item is (the
    images are white-on-black, so bright pixels are a light item) and how busy its pattern is."""
    ink = [p for p in pixels if p > 20] or [0]
    mean = sum(ink) / len(ink)
    spread = (sum((p - mean) ** 2 for p in ink) / len(ink)) ** 0.5
    shade = "light" if mean > 170 else "dark" if mean < 100 else "mid-grey"
    pattern = "patterned" if spread > 60 else "plain"
    return f"{shade} {pattern} {CATEGORIES[label]}", shade, pattern


def write(kind, images, labels, rows, cols, out, count, file_urls):
    folder = os.path.join(out, kind)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(out, f"{kind}.jsonl"), "w") as lines:
        for index in range(count):
            name = f"{'fm' if kind == 'catalogue' else 'q'}-{index:05d}"
            path = os.path.join(folder, name + ".png")
            picture = png(images[index], cols, rows)
            with open(path, "wb") as handle:
                handle.write(picture)
            url = "file://" + path if file_urls else "data:image/png;base64," + base64.b64encode(picture).decode()
            text, shade, pattern = title(images[index], labels[index])
            lines.write(json.dumps({"id": name, "url": url, "text": text,
                                    "tags": {"label": labels[index], "category": CATEGORIES[labels[index]],
                                             "shade": shade, "pattern": pattern}}) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--file-urls", action="store_true", help="file:// urls instead of data: URIs")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    args = parser.parse_args()
    if not os.path.exists(SOURCE):
        raise SystemExit(f"{SOURCE} is missing: apt-get install dataset-fashion-mnist")
    out = os.path.abspath(args.out)
    images, rows, cols = read_images(os.path.join(SOURCE, "train-images-idx3-ubyte.gz"))
    labels = read_labels(os.path.join(SOURCE, "train-labels-idx1-ubyte.gz"))
    write("catalogue", images, labels, rows, cols, out, min(args.count, len(images)), args.file_urls)
    images, rows, cols = read_images(os.path.join(SOURCE, "t10k-images-idx3-ubyte.gz"))
    labels = read_labels(os.path.join(SOURCE, "t10k-labels-idx1-ubyte.gz"))
    write("queries", images, labels, rows, cols, out, min(args.queries, len(images)), args.file_urls)
    print(out)


if __name__ == "__main__":
    main()
