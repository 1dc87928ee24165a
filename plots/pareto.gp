# pareto.gp: `scalesim tune`'s plot of cost against p95 latency, one point per evaluated
# configuration. scalesim runs gnuplot in the tune output folder with -e setting only
#   term  'png' | 'svg'     out  the output file name     unit  'pod-hours' | 'GPU-hours'
#   logx  1: p95 on a log axis (the latencies span more than a factor 30)
#   ninf, nfeas  how many infeasible and feasible points block 0 has; rec  1: block 2 has one
#   xmin, xmax, ymax  the axes' ranges (cost from 0)
# and this template reads pareto.dat, which scalesim wrote next to the output: block 0 every
# evaluated configuration, block 1 the Pareto front in order of cost, block 2 the recommended
# one (NaN when none is feasible), block 3 the Pareto front of the feasible configurations in
# order of cost (NaN when none); each row: p95_ms cost feasible(0/1) config
if (term eq 'png') {
    set terminal pngcairo size 800,520 font 'DejaVu Sans,10' noenhanced
} else {
    set terminal svg size 800,520 dynamic font 'DejaVu Sans,11' noenhanced background rgb 'white'
}
set output out
set datafile missing 'NaN'
set border 3 lc rgb '#555555'
set tics nomirror textcolor rgb '#333333'
set grid xtics ytics lc rgb '#e4e4e4' lw 1 dt 1
set key top right opaque box lc rgb '#cccccc' samplen 2
set xrange [xmin:xmax]
set yrange [0:ymax]
if (logx) { set logscale x }
set xlabel 'p95 latency (ms, mean over replications)'
set ylabel sprintf('cost (%s)', unit)
set title 'scalesim tune: cost against p95 latency'
# Series without points are left out (gnuplot warns about empty ones).
cmd = "plot 'pareto.dat' index 1 using 1:2 with linespoints pt 6 ps 1.4 lw 1.5 lc rgb '#d62728' title 'Pareto front (all)'"
if (ninf > 0) {
    cmd = cmd . ", '' index 0 using 1:($3 == 0 ? $2 : NaN) with points pt 2 ps 0.8 lc rgb '#999999' title 'infeasible'"
}
if (nfeas > 0) {
    cmd = cmd . ", '' index 3 using 1:2 with lines lw 1.5 dt 2 lc rgb '#1f77b4' title 'feasible front'"
    cmd = cmd . ", '' index 0 using 1:($3 == 1 ? $2 : NaN) with points pt 7 ps 0.6 lc rgb '#1f77b4' title 'feasible'"
}
if (rec) {
    cmd = cmd . ", '' index 2 using 1:2 with points pt 3 ps 3 lw 2 lc rgb '#2ca02c' title 'recommended'"
}
eval cmd
