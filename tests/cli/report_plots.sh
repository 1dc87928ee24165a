#!/usr/bin/env bash
# scalesim run --plot: gnuplot draws the plots from data files, in PNG, SVG and the terminal;
# a folder name full of quotes cannot reach a gnuplot command; without gnuplot the data is
# still written and the message says how to install it.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v gnuplot > /dev/null || { echo "gnuplot not installed (scripts/install-deps)"; exit 1; }

# A folder name that would break (or exploit) a pasted gnuplot string.
dir="$tmp/it's \"q\"; system('touch $tmp/pwned')"
"$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$dir" -q --duration 130s --plot
[[ ! -e $tmp/pwned ]] || fail "the folder name reached a gnuplot command"
for p in replicas load latency metric-1; do
  [[ -s $dir/plots/$p.dat ]] || fail "$p.dat missing"
  [[ -s $dir/plots/$p.png && -s $dir/plots/$p.svg ]] || fail "$p.png/svg missing"
  head -c 8 "$dir/plots/$p.png" | od -An -tx1 | grep -q '89 50 4e 47' || fail "$p.png is not a PNG"
  python3 -c "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); assert r.tag.endswith('svg')" \
    "$dir/plots/$p.svg" || fail "$p.svg is not SVG"
done
[[ -s $dir/scenario.json ]] || fail "scenario copy for report missing"
# The data files hold the timeline's columns: 130 rows of time, desired (NaN without an HPA),
# ready, total; the first row is the timeline's first.
[[ $(wc -l < "$dir/plots/replicas.dat") -eq 130 ]] || fail "replicas.dat rows"
first=$(awk -F, 'NR == 2 {print $11, $12}' "$dir/timeline.csv")
[[ $(head -1 "$dir/plots/replicas.dat") =~ ^0\ (NaN|[0-9]+)\ $first$ ]] || fail "replicas.dat: $(head -1 "$dir/plots/replicas.dat") vs $first"
# A second that served nothing is a gap in the latency data, not a zero.
[[ $(tail -1 "$dir/plots/latency.dat") == "129 NaN NaN NaN" ]] || fail "latency.dat tail: $(tail -1 "$dir/plots/latency.dat")"

out=$("$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/d" -q --duration 40s --plot=dumb)
[[ $out == *Replicas* && $out == *"simulated time (m:ss)"* ]] || fail "dumb plot: $out"
[[ ! -e $tmp/d/plots/replicas.png ]] || fail "dumb wrote a PNG"

# Without gnuplot on PATH: exit 2, the install hint, the data files written.
set +e
out=$(PATH="$tmp/empty" "$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/n" -q --duration 10s --plot=svg 2>&1); rc=$?
set -e
[[ $rc -eq 2 && $out == *"gnuplot is not installed"*"apt-get install gnuplot-nox"*"$tmp/n/plots/"* ]] ||
  fail "no gnuplot: rc=$rc $out"
[[ -s $tmp/n/plots/replicas.dat && -s $tmp/n/timeline.csv ]] || fail "no gnuplot: data not written"

set +e
out=$("$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" -o "$tmp/x" -q --plot=jpeg 2>&1); rc=$?
[[ $rc -eq 2 && $out == *'--plot: expected png, svg or dumb, got "jpeg"'* ]] || fail "bad format: rc=$rc $out"
out=$("$SCALESIM" run "$SRC/scenarios/sklearn-iris.json" --no-files --plot 2>&1); rc=$?
[[ $rc -eq 2 && $out == *"cannot go with --no-files"* ]] || fail "no-files: rc=$rc $out"
set -e
echo "report_plots: all checks passed"
