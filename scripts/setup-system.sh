#!/usr/bin/env bash
# Installs the Debian packages Backstride needs, only when they are missing.
#   python3-venv            make .venv
#   libpango-1.0-0,         WeasyPrint (PDF handouts) renders text with Pango
#   libpangoft2-1.0-0
#   fonts-dejavu-core       a font for the handouts
#   npm                     vendors the web app's front-end assets (scripts/vendor-assets.sh);
#                           skipped when an npm is already on the PATH
#   postgresql              the tests run the storage layer on a real PostgreSQL server
#                           (pg_virtualenv, from postgresql-common, makes a throwaway one)
set -euo pipefail

need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v npm >/dev/null || need+=(npm)
for package in libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql postgresql-common; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    need+=("$package")
done

if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
