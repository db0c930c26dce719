#!/usr/bin/env bash
# Vendor the front-end assets from npm into the app (the app serves them itself; no CDN).
# Chart.js draws the progress charts; axe-core is only for the accessibility tests.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --silent
vendor=src/backstride/web/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/chart.js"
cp node_modules/chart.js/dist/chart.umd.min.js "$vendor/chart.js/"
cp node_modules/chart.js/LICENSE.md "$vendor/chart.js/"
