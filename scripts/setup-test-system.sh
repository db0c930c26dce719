#!/usr/bin/env bash
# Installs the Debian packages the browser tests need, only when they are missing.
#   chromium           the browser Playwright drives (/usr/bin/chromium); Playwright's own
#                      browser download is never used (`playwright install` needs the internet)
#   fonts-liberation   metric-compatible fonts so screenshots look like a real desktop
#   npm                vendor-assets.sh installs axe-core and Chart.js with `npm ci` (skipped
#                      when an npm is already on the PATH, e.g. from NodeSource)
set -euo pipefail

need=()
for package in chromium fonts-liberation; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    need+=("$package")
done
command -v npm >/dev/null || need+=(npm)

if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

/usr/bin/chromium --version >/dev/null 2>&1 || {
  echo "/usr/bin/chromium does not start; the browser tests need it" >&2
  exit 1
}
