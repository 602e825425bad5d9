#!/usr/bin/env bash
# Opens the report in headless Chromium (Debian package; installed when missing), saves a PNG
# screenshot, and fails if Chromium fails, logs a page error, or the page is blank.
# Usage: .ci/report-screenshot.sh out/report.html out/report.png
set -euo pipefail
html="$1"; png="$2"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package)"
  (apt-get install -y chromium >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1; })
fi
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
log=$(mktemp)
timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 \
  --window-size=1280,2400 --screenshot="$png" "$url" 2>"$log" || { cat "$log"; echo "chromium failed"; exit 1; }
if grep -E "CONSOLE|Uncaught|Failed to load resource|net::ERR" "$log"; then echo "the page logged an error"; exit 1; fi
test -s "$png" || { echo "no screenshot written"; exit 1; }
size=$(wc -c < "$png")
echo "screenshot: $png ($size bytes)"
# A blank 1280x2400 page compresses to a few kB; the report's first screen (tables, a chart) is far larger.
test "$size" -gt 60000 || { echo "the screenshot looks blank ($size bytes)"; exit 1; }
# The DOM as Chromium parsed it holds every section.
dom=$(timeout 180 chromium --headless --no-sandbox --disable-gpu --dump-dom "$url" 2>/dev/null)
for id in summary trends maps deprivation risk bias manifest; do
  grep -q "<section id=\"$id\">" <<<"$dom" || { echo "section $id missing in the rendered DOM"; exit 1; }
done
echo "report renders: every section present"
