# gpu.gp: a GPU service's generated tokens per second, GPU utilization and SM activity.
# Data: gpu.dat (time_s tokens_per_s gpu_util_pct sm_active), sm_active a fraction 0..1.
set title 'GPU: tokens/s and utilization'
set ylabel 'tokens per second'
set y2label 'utilization (%)'
set yrange [0:*]
set y2range [0:100]
set y2tics nomirror
plot 'gpu.dat' using 1:2 with lines ls 1 title 'tokens/s', \
     '' using 1:3 axes x1y2 with lines ls 5 title 'GPU utilization', \
     '' using 1:($4 * 100) axes x1y2 with lines ls 2 title 'SM active'
