#!/usr/bin/env bash
# What the web page's tests need: Debian's Chromium (Playwright drives it headless, on the page served on 127.0.0.1, and
# closes it after each test), Node.js and npm, and onnxruntime-web installed from pipeline/web/package-lock.json.
set -euo pipefail
# Only what is missing: Debian's npm conflicts with a Node.js that brings its own (NodeSource's), and apt then refuses all.
need=()
command -v chromium > /dev/null || need+=(chromium)
command -v npm > /dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
fi
(cd pipeline/web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
