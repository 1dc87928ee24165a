# gpu.gp: a GPU service's generated tokens per second and SM utilization.
# Data: gpu.dat (time_s tokens_per_s sm_util_pct).
set title 'GPU: tokens/s and SM utilization'
set ylabel 'tokens per second'
set y2label 'SM utilization (%)'
set yrange [0:*]
set y2range [0:100]
set y2tics nomirror
plot 'gpu.dat' using 1:2 with lines ls 1 title 'tokens/s', \
     '' using 1:3 axes x1y2 with lines ls 5 title 'SM utilization'
