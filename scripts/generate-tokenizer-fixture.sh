#!/usr/bin/env bash
# Regenerates Tests/JinaModelsTests/Fixtures/wordpiece-reference.json: token ids of tricky
# strings from the reference tokenizer (Hugging Face `tokenizers`, BertWordPiece, lower-case,
# with the installed all-MiniLM-L6-v2 vocab.txt). WordPieceTokenizerTests compares jina's ids
# with these. Needs scripts/install-models.sh and scripts/models-venv.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="$("$ROOT/scripts/models-venv.sh" | tail -n 1)"
VOCAB="${JINA_MODELS:-${XDG_CACHE_HOME:-$HOME/.cache}/jina/models}/minilm/vocab.txt"
"$PYTHON" - "$VOCAB" "$ROOT/Tests/JinaModelsTests/Fixtures/wordpiece-reference.json" <<'PY'
import json, sys
from tokenizers import BertWordPieceTokenizer
tokenizer = BertWordPieceTokenizer(sys.argv[1], lowercase=True, strip_accents=None, clean_text=True,
                                   handle_chinese_chars=True)
texts = [
    "Hello, world!", "A red summer dress with white dots", "UNAFFABLE", "naïve café résumé",
    "Ünïcödé Åccents ÀÉÎÕÜ", "don't stop-believing... (really?)", "e-mail: someone@example.com",
    "price: $19.99 / 2 = 9.995%", "日本語のテキスト and 中文", "한국어 텍스트", "Ελληνικά κείμενα",
    "emoji 👗👠 and symbols ©®™", "tabs\tand\nnew\r\nlines", "zero\u200bwidth\u00a0space",
    "control\u0007chars\u0000here", "supercalifragilisticexpialidocious", "x" * 120,
    "    leading and trailing    ", "", "ﬁancé ligature", "İstanbul", "straße STRASSE",
    "1,234,567.89", "#hashtag @mention", "C++ and C# are languages", "«quotes» „German“ ‘single’",
    "Mixed123Numbers456", "a" + "b" * 50, "Ǆ ǅ ǆ", "math ∑∫√ and arrows →←",
]
out = [{"text": text, "ids": tokenizer.encode(text, add_special_tokens=True).ids} for text in texts]
with open(sys.argv[2], "w") as handle:
    handle.write("[\n" + ",\n".join(json.dumps(entry, ensure_ascii=False) for entry in out) + "\n]\n")
PY
echo "wrote Tests/JinaModelsTests/Fixtures/wordpiece-reference.json" >&2
