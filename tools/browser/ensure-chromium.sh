#!/usr/bin/env bash
# The ops console's browser test drives Debian's chromium (playwright-core downloads no browser here):
# installs it when absent, with a CJK font so buyer and line names render. As root on Debian/Ubuntu;
# elsewhere, say what to do.
set -euo pipefail
command -v chromium >/dev/null && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "chromium is missing: install Debian's chromium package (or set CHROMIUM_PATH for the e2e test)" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
echo "chromium: $(chromium --version)"
