# metric.gp: one autoscaling metric over time: the true value, the value the HPA saw (when the
# run has it) and the HPA's target.
# Data: the file named by `data` (time_s true observed), written by scalesim.
# Variables: data, has_observed (0/1), target (NaN: none).
set title 'Metric: true vs observed'
set ylabel 'value'
set yrange [0:*]
cmd = "plot data using 1:2 with lines ls 1 title 'true value'"
if (has_observed) cmd = cmd . ", data using 1:3 with steps ls 5 title 'observed by the HPA'"
if (target == target) cmd = cmd . ", target with lines ls 4 title 'target'"
eval cmd
