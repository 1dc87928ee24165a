# load.gp: offered vs served load, and failures, per second.
# Data: load.dat (time_s offered completed failed).
set title 'Load: offered vs served'
set ylabel 'requests per second'
set yrange [0:*]
plot 'load.dat' using 1:2 with filledcurves y1=0 fs solid 0.35 noborder lc rgb '#b0c4de' title 'offered', \
     '' using 1:3 with lines ls 1 title 'served', \
     '' using 1:4 with lines ls 4 title 'failed'
