#!/usr/bin/env bash
# tests/cli/test_report_chromium.sh — the HTML report renders in a browser: headless Chromium
# (Debian's chromium, which ./test.sh installs) takes a screenshot of the page, which must not be
# blank, and loads a copy of it with a script that counts images that failed to load (the
# report itself has no script), which must be none. No network is used: the page is a local
# file that needs nothing else.
# Usage: test_report_chromium.sh BUILD/capsim SRCDIR
source "$(dirname "$0")/lib.sh" "$@"
src=$(cd "$src" && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || require chromium
require gnuplot
require python3

# headless Chromium as root, offline, with its profile in the scratch folder
chrome() {
  timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --user-data-dir="$tmp/profile" "$@" 2>>"$tmp/chrome.log"
}

"$capsim" report "$src/scenarios/s3-pii-masking.yaml" -o "$tmp/r" -q -r 2 >/dev/null 2>"$tmp/err"
check "capsim report exits 0" test $? -eq 0
html="$tmp/r/report.html"
check "report.html written" test -s "$html"
n_images=$(grep -o '<img ' "$html" | wc -l)
check "the page has images ($n_images)" test "$n_images" -ge 5

chrome --screenshot="$tmp/shot.png" --window-size=1200,2000 "file://$html" >/dev/null
check "chromium wrote a screenshot" test -s "$tmp/shot.png"
python3 "$src/tests/cli/png_check.py" "$tmp/shot.png" --size 1200x2000 --min-colours 50 --min-ink 0.05 >"$tmp/shot.txt"
check "the screenshot is not blank ($(cat "$tmp/shot.txt"))" test $? -eq 0

# A copy with a script that records, once everything has loaded, how many images there are
# and how many failed (not complete, or no natural width); --dump-dom prints the result.
sed 's#</body>#<script>window.addEventListener("load", function () { var im = document.images, bad = 0; for (var i = 0; i < im.length; i++) if (!(im[i].complete \&\& im[i].naturalWidth > 0)) bad++; document.body.setAttribute("data-images", im.length); document.body.setAttribute("data-broken", bad); });</script></body>#' \
  "$html" >"$tmp/r/check.html"
chrome --virtual-time-budget=10000 --dump-dom "file://$tmp/r/check.html" >"$tmp/dom.html"
body=$(grep -o '<body[^>]*>' "$tmp/dom.html" | head -n 1)
check "the page loaded in chromium ($body)" grep -q "data-images=\"$n_images\"" <<<"$body"
check "no broken image" grep -q 'data-broken="0"' <<<"$body"
# the check itself sees a broken image
printf '<!DOCTYPE html><html><body><img src="missing.png" alt="x"></body></html>\n' >"$tmp/r/broken.html"
sed 's#</body>#<script>window.addEventListener("load", function () { var im = document.images, bad = 0; for (var i = 0; i < im.length; i++) if (!(im[i].complete \&\& im[i].naturalWidth > 0)) bad++; document.body.setAttribute("data-broken", bad); });</script></body>#' \
  "$tmp/r/broken.html" >"$tmp/r/broken-check.html"
chrome --virtual-time-budget=5000 --dump-dom "file://$tmp/r/broken-check.html" >"$tmp/dom2.html"
check "the check notices a broken image" grep -q 'data-broken="1"' "$tmp/dom2.html"
[ "$fail" -eq 0 ] || tail -n 20 "$tmp/chrome.log" >&2
finish
