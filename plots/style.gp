# style.gp: the shared look of every scalesim plot, loaded before each plot's template.
# scalesim runs gnuplot inside the run's plots/ folder with only these variables set by -e:
#   term  'png' | 'svg' | 'dumb'      out  the output file name (unused for dumb: stdout)
#   xmax  the run's end in seconds
# and plot-specific numbers; templates read only the data files scalesim wrote next to them.
if (term eq 'png') {
    set terminal pngcairo size 960,330 font 'DejaVu Sans,10' noenhanced
    set output out
} else {
    if (term eq 'svg') {
        set terminal svg size 960,330 dynamic font 'DejaVu Sans,11' noenhanced background rgb 'white'
        set output out
    } else {
        set terminal dumb size 100,26 noenhanced
    }
}
# Elapsed-time tick labels (hours may pass 24 on long runs); minutes:seconds in the terminal,
# where there is less room (minutes then count past 60).
if (term eq 'dumb') {
    set xtics time format '%tM:%tS'
    set xlabel 'simulated time (m:ss)'
} else {
    set xtics time format '%tH:%tM:%tS'
    set xlabel 'simulated time (h:mm:ss)'
}
set datafile missing 'NaN'
set border 3 lc rgb '#555555'
set tics nomirror textcolor rgb '#333333'
set grid xtics ytics lc rgb '#e4e4e4' lw 1 dt 1
set key top right opaque box lc rgb '#cccccc' samplen 2
# xmax: the run's end, so every plot of a run shares its time axis.
set xrange [0:xmax]
set offsets 0, 0, graph 0.05, 0
set style line 1 lc rgb '#1f77b4' lw 2
set style line 2 lc rgb '#2ca02c' lw 2
set style line 3 lc rgb '#9467bd' lw 1.5 dt 2
set style line 4 lc rgb '#d62728' lw 1.5 dt 3
set style line 5 lc rgb '#ff7f0e' lw 2
set style line 6 lc rgb '#8c564b' lw 1.5
