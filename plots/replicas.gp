# replicas.gp: replicas over time: desired (the HPA's decision, when the run has it), ready and
# total pods, with each SuccessfulRescale event marked at its new size.
# Data: replicas.dat (time_s desired ready total), events.dat (time_s new_size).
# Variables: has_desired, has_events (0/1).
set title 'Replicas'
set ylabel 'pods'
set yrange [0:*]
set format y '%g'
cmd = "plot 'replicas.dat' using 1:3 with steps ls 2 title 'ready', '' using 1:4 with steps ls 3 title 'total'"
if (has_desired) cmd = cmd . ", '' using 1:2 with steps ls 1 title 'desired'"
if (has_events) cmd = cmd . ", 'events.dat' using 1:2 with points pt 7 ps 1.2 lc rgb '#d62728' title 'rescale event'"
eval cmd
