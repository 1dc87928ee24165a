#!/usr/bin/env bash
# The report of the sklearn-iris scenario rendered in headless Chromium: the screenshot must
# show a drawn page (not blank, the header drawn, plots and tables in many colours). The
# checker is first shown to reject a blank page, so the test can fail.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
chromium=$(command -v chromium || command -v chromium-browser || true)
[[ -n $chromium ]] || fail "chromium is not installed (scripts/install-deps installs it)"
"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/iris" -q --plot=svg
"$SCALESIM" report "$tmp/iris" -o "$tmp/r.html" -q

# Render in headless Chromium and check the screenshot as a person would: not blank, the dark
# header drawn, many colours (plots and tables). The checker must reject a blank page.
shot() { # $1: html file, $2: png
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile-$RANDOM" \
    --hide-scrollbars --window-size=1200,1800 --screenshot="$2" "file://$1" > /dev/null 2>&1 || true
}
cat > "$tmp/check_png.py" <<'PY'
# Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) and judges whether a page was drawn.
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), (depth, ctype)
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw, stride = zlib.decompress(idat), w * bpp
rows, prev, i = [], bytearray(stride), 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
px = lambda y, x: tuple(rows[y][x * bpp:x * bpp + 3])
sample = [px(y, x) for y in range(0, h, 4) for x in range(0, w, 4)]
nonwhite = sum(1 for p in sample if sum(p) < 740) / len(sample)
colours = len(set(sample))
header = px(20, w // 2)
print(f"{w}x{h}, non-white {nonwhite:.1%}, {colours} colours, header {header}")
assert nonwhite > 0.05, "page looks blank"
assert colours > 50, "too few colours: plots not drawn"
assert header == (0x14, 0x21, 0x3d), "header not drawn"
PY
echo '<!DOCTYPE html><html><body></body></html>' > "$tmp/blank.html"
shot "$tmp/blank.html" "$tmp/blank.png"
[[ -s $tmp/blank.png ]] || fail "chromium wrote no screenshot"
if python3 "$tmp/check_png.py" "$tmp/blank.png" > /dev/null 2>&1; then fail "checker accepted a blank page"; fi
shot "$tmp/r.html" "$tmp/r.png"
[[ -s $tmp/r.png ]] || fail "chromium wrote no screenshot of the report"
python3 "$tmp/check_png.py" "$tmp/r.png" || fail "the report did not render"
[[ -n ${KEEP_SCREENSHOT:-} ]] && cp "$tmp/r.png" "$KEEP_SCREENSHOT"
echo "report_screenshot: all checks passed"
