#!/usr/bin/env bash
# scalesim report of the sklearn-iris run: self-contained HTML (inline SVG, no external assets,
# no scripts) whose figures equal summary.json's, a Markdown twin with the same figures, and a
# side-by-side comparison for two runs. (The rendering check is tests/slow/report_screenshot.sh.)
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/iris" -q --plot=svg
"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/iris2" -q --seed 2
"$SCALESIM" report "$tmp/iris" -o "$tmp/r.html" --pod-hour-price 0.12 --currency '$' -q
[[ -s $tmp/r.html && -s $tmp/r.md ]] || fail "report files missing"

python3 - "$tmp/r.html" "$tmp/r.md" "$tmp/iris/summary.json" <<'PY' || fail "figures or structure"
import json, re, sys
html, md, summary = open(sys.argv[1]).read(), open(sys.argv[2]).read(), json.load(open(sys.argv[3]))
def get(path):
    v = summary
    for k in path.split("."):
        v = v[k]
    return v
cells = re.findall(r'data-field="([^"]+)">([^<]+)<', html)
fields = {k for k, _ in cells}
for need in ("requests.completed", "requests.failed", "latency_ms.p50", "latency_ms.p99",
             "latency_ms.p999", "pods.pod_hours", "throughput_rps"):
    assert need in fields, need
for k, v in cells:
    if v == "–":
        continue
    assert float(v) == get(k), (k, v, get(k))
# The Markdown twin has the same figures.
for label, path in (("Latency p99 (ms)", "latency_ms.p99"), ("Pod-hours", "pods.pod_hours"),
                    ("Requests completed", "requests.completed")):
    m = re.search(r"\| %s \| ([^ |]+) \|" % re.escape(label), md)
    assert m and float(m.group(1)) == get(path), (label, m and m.group(1))
# Cost at the price given: pod-hours x 0.12.
m = re.search(r"\| Cost \| ([^ |]+) \|", md)
assert m and abs(float(m.group(1)) - get("pods.pod_hours") * 0.12) < 1e-12, ("cost", m and m.group(1))
# Self-contained: inline SVG plots, nothing fetched, no scripts.
assert html.count("<svg") >= 4, html.count("<svg")
for bad in ("<script", "<link", "src=\"http", "href=\"http", "@import", "<img"):
    assert bad not in html, bad
ids = re.findall(r"id='([^']+)'", html)
assert len(ids) == len(set(ids)), "duplicate SVG ids"
for section in ("Warnings", "Plots", "Results", "SLO attainment", "Scaling events", "Scenario and settings"):
    assert section in html and ("### " + section) in md, section
PY

# Two runs: the comparison table has both, each figure equal to its own summary.json.
"$SCALESIM" report "$tmp/iris" "$tmp/iris2" -o "$tmp/two.html" -q --no-plots
python3 - "$tmp/two.html" "$tmp/iris/summary.json" "$tmp/iris2/summary.json" <<'PY' || fail "comparison"
import json, re, sys
html = open(sys.argv[1]).read()
a, b = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
cmp = html.split('<section class="compare">')[1].split("</section>")[0]
row = re.search(r"<td>Latency p99 \(ms\)</td>(.*?)</tr>", cmp).group(1)
vals = [float(v) for v in re.findall(r">([0-9.]+)<", row)]
assert vals == [a["latency_ms"]["p99"], b["latency_ms"]["p99"]], vals
PY

echo "report_figures: all checks passed"
