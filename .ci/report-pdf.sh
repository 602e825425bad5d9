#!/usr/bin/env bash
# Prints the HTML report to PDF with headless Chromium (Debian package; installed when missing) and
# checks the PDF: it exists, has more than one page (pdfinfo) and its text holds the "Summary"
# heading (pdftotext; poppler-utils installed when missing).
# Usage: .ci/report-pdf.sh out/report.html out/report.pdf
set -euo pipefail
html="$1"; pdf="$2"
apt_install() {
  apt-get install -y "$@" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$@" >/dev/null 2>&1; }
}
chrome=""
for c in chromium chromium-browser google-chrome; do
  if command -v "$c" >/dev/null 2>&1; then chrome="$c"; break; fi
done
if [ -z "$chrome" ]; then
  echo "installing chromium (Debian package)"
  apt_install chromium
  chrome=chromium
fi
if ! command -v pdfinfo >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
  echo "installing poppler-utils (Debian package)"
  apt_install poppler-utils
fi
test -s "$html" || { echo "no HTML report at $html"; exit 1; }
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
mkdir -p "$(dirname "$pdf")"
pdf_abs="$(cd "$(dirname "$pdf")" && pwd)/$(basename "$pdf")"
rm -f "$pdf_abs"
log=$(mktemp)
timeout 180 "$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
  --print-to-pdf="$pdf_abs" "$url" 2>"$log" || { cat "$log"; echo "chromium failed"; exit 1; }
test -s "$pdf_abs" || { cat "$log"; echo "no PDF written"; exit 1; }
pages=$(pdfinfo "$pdf_abs" | awk '/^Pages:/ {print $2}')
size=$(pdfinfo "$pdf_abs" | awk -F': *' '/^Page size:/ {print $2}')
echo "pdf: $pdf_abs ($pages pages, $size)"
test "${pages:-0}" -gt 1 || { echo "the PDF has ${pages:-0} page(s); expected more than one"; exit 1; }
pdftotext "$pdf_abs" "$pdf_abs.txt"
grep -q "Summary" "$pdf_abs.txt" || { echo "the PDF text lacks the Summary heading"; exit 1; }
echo "report prints: $pages pages, Summary heading present"
