#!/usr/bin/env bash
# Lays out the Python shim as a Lambda layer wants it, in lib/python-layer/python/bedrock_hub_access/
# (Lambda puts a layer's python/ folder on sys.path): the package's sources and py.typed only, no
# tests, caches or compiled files. The constructs build the layer asset from this folder
# (src/private/python-layer.ts), which the npm package and the jsii wheels carry inside lib/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=lib/python-layer
rm -rf "$out"
mkdir -p "$out/python"
tar -C python/src --exclude='__pycache__' --exclude='*.pyc' --exclude='*.pyo' -cf - bedrock_hub_access \
  | tar -C "$out/python" -xf -
