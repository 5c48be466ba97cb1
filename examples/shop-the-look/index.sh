#!/usr/bin/env bash
# Makes the Fashion-MNIST catalogue (make-catalogue.py) and indexes it into a running
# flows/shop-the-look.yml with `jina client post`, then searches with one held-out photo and one
# title. Offline: the images come from Debian's dataset-fashion-mnist.
#   examples/shop-the-look/index.sh [COUNT=2000]
# Environment: JINA (the jina binary, default: jina on PATH), JINA_PORT (12345), SHOP_DATA
# (default: examples/shop-the-look/data, which the Flow allows).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JINA="${JINA:-jina}"
HOST="grpc://127.0.0.1:${JINA_PORT:-12345}"
DATA="${SHOP_DATA:-$HERE/data}"
python3 "$HERE/make-catalogue.py" --count "${1:-2000}" --queries 200 --out "$DATA" >/dev/null
"$JINA" client post --host "$HOST" --endpoint /index --input "$DATA/catalogue.jsonl" --request-size 50 >/dev/null
echo "indexed $(wc -l <"$DATA/catalogue.jsonl") products from $DATA" >&2
echo "== a held-out photo: $(head -n 1 "$DATA/queries.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"])')" >&2
head -n 1 "$DATA/queries.jsonl" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"url": d["url"]}))' |
  "$JINA" client post --host "$HOST" --endpoint /search --parameters '{"top_k": 5}' |
  python3 "$HERE/show-matches.py"
echo "== words: dark patterned dress" >&2
echo '{"text": "dark patterned dress"}' |
  "$JINA" client post --host "$HOST" --endpoint /search_text --parameters '{"top_k": 5}' |
  python3 "$HERE/show-matches.py"
