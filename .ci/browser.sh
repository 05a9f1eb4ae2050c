#!/usr/bin/env bash
# What the web page's tests need: Debian's Chromium (Playwright drives it headless, on the page served on 127.0.0.1, and
# closes it after each test), Node.js and npm, and onnxruntime-web installed from pipeline/web/package-lock.json.
set -euo pipefail
if ! command -v chromium > /dev/null || ! command -v npm > /dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium nodejs npm > /dev/null
fi
(cd pipeline/web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
