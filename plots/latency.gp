# latency.gp: latency percentiles per second, with the SLO line.
# Data: latency.dat (time_s p50 p95 p99; NaN where a second served nothing).
# Variables: slo_ms (NaN: no SLO).
set title 'Latency'
set ylabel 'ms'
set yrange [0:*]
cmd = "plot 'latency.dat' using 1:2 with lines ls 2 title 'p50', '' using 1:3 with lines ls 1 title 'p95', '' using 1:4 with lines ls 5 title 'p99'"
if (slo_ms == slo_ms) cmd = cmd . ", slo_ms with lines ls 4 title 'SLO'"
eval cmd
