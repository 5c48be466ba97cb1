#!/usr/bin/env bash
# Installs the Debian packages that building and testing jina need, when they are missing.
# Idempotent and quiet when everything is present. Needs root (or sudo) only to install.
set -euo pipefail

need=()
dpkg -s libyaml-dev >/dev/null 2>&1 || need+=(libyaml-dev)
# hnswlib's headers (header-only, compiled into jina for VectorIndex `index: hnsw`).
[ -f /usr/include/hnswlib/hnswlib.h ] || need+=(libhnswlib-dev)
# stb_image (header-only JPEG/PNG decoding and resizing, compiled into jina for ImageEncoder).
[ -f /usr/include/stb/stb_image.h ] || need+=(libstb-dev)
# libjpeg-turbo's TurboJPEG library: ImageEncoder opens it with dlopen for fast, DCT-scaled JPEG
# decoding (without it, stb_image decodes JPEGs). libwebp for WebP, the same way.
[ -e /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 ] || [ -e /usr/lib/aarch64-linux-gnu/libturbojpeg.so.0 ] || need+=(libturbojpeg0)
dpkg -s libwebp7 >/dev/null 2>&1 || need+=(libwebp7)
# Fashion-MNIST, the offline catalogue of the shop-the-look example and its test.
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
command -v curl >/dev/null 2>&1 || need+=(curl)         # HTTP gateway tests
command -v openssl >/dev/null 2>&1 || need+=(openssl)   # TLS tests make a throwaway CA
for extra in "$@"; do
  dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra")
done

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}" >&2
  $sudo apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q "${need[@]}" >/dev/null
  }
fi
