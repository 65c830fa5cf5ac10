# plots/backlog.gp — items waiting for the next Glue or EMR job over time, one line per batch
# platform: the saw-tooth of batching, each drop a job starting. A backlog that never drops to
# zero between jobs means the jobs cannot keep up.
#
# Usage: gnuplot -c plots/backlog.gp backlog.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot` writes it) starts with "# key: value" lines
# (title, warmup_s), then the header
#   start_s,end_s,PLATFORM[,PLATFORM]
# and one row per time bucket: the items pending for each platform's next job at its end.
if (ARGC < 2) { print "usage: gnuplot -c backlog.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
data = ARG1
meta(k) = system(sprintf("sed -n 's/^# %s: //p' '%s' | head -n 1", k, data))
plot_title = ARGC >= 3 ? ARG3 : meta("title")
if (ARG2[strlen(ARG2)-2:] eq "svg") {
    set terminal svg size 800,500 dynamic enhanced font "DejaVu Sans,12" background rgb "white"
} else {
    set terminal pngcairo size 800,500 enhanced font "DejaVu Sans,10" background rgb "white"
}
set output ARG2
set datafile separator ","

stats data using 2 nooutput
tdiv = STATS_max >= 4*3600 ? 3600.0 : (STATS_max >= 1200 ? 60.0 : 1.0)
tunit = tdiv == 3600 ? "h" : (tdiv == 60 ? "min" : "s")
warmup = meta("warmup_s") + 0

set title plot_title font ",13"
set xlabel sprintf("time (%s)", tunit)
set ylabel "items waiting for a job"
set xrange [0:STATS_max/tdiv]
set yrange [0:*]
set border 3
set tics nomirror
set grid ytics lc rgb "#dddddd"
set key top left opaque box lc rgb "#cccccc" font ",9"
set key autotitle columnheader
set linetype 1 lc rgb "#31a354" lw 2
set linetype 2 lc rgb "#756bb1" lw 2 dt 2
set linetype 3 lc rgb "#2171b5" lw 2
if (warmup > 0) {
    set arrow 1 from warmup/tdiv, graph 0 to warmup/tdiv, graph 1 nohead dt 2 lc rgb "#888888"
    set label 1 "warmup ends" at warmup/tdiv, graph 0.5 center rotate by 90 offset -0.9,0 font ",9" tc rgb "#666666"
}
plot for [i=3:*] data using ($2/tdiv):i with lines
