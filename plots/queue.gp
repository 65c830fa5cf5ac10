# plots/queue.gp — a Lambda trigger's queue over time: items waiting to be invoked (async
# queue; Kinesis or SQS records not in a running batch) and the age of the item next in line
# (for a stream, its iterator age). A line that keeps rising means the function falls behind.
#
# Usage: gnuplot -c plots/queue.gp lambda-queue.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot` writes it) starts with "# key: value" lines
# (title, warmup_s), then the header
#   start_s,end_s,waiting,oldest_s,in_flight
# and one row per time bucket (values at the bucket's end).
if (ARGC < 2) { print "usage: gnuplot -c queue.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
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
stats data using 4 nooutput name "AGE"
adiv = AGE_max >= 4*3600 ? 3600.0 : (AGE_max >= 600 ? 60.0 : 1.0)
aunit = adiv == 3600 ? "h" : (adiv == 60 ? "min" : "s")
warmup = meta("warmup_s") + 0

set title plot_title font ",13"
set xlabel sprintf("time (%s)", tunit)
set ylabel "items waiting" tc rgb "#2171b5"
set y2label sprintf("age of the item next in line (%s)", aunit) tc rgb "#cb181d"
set xrange [0:STATS_max/tdiv]
set yrange [0:*]
set y2range [0:*]
set ytics nomirror tc rgb "#2171b5"
set y2tics tc rgb "#cb181d"
set border 11
set grid ytics lc rgb "#dddddd"
set key top left opaque box lc rgb "#cccccc" font ",9"
if (warmup > 0) {
    set arrow 1 from warmup/tdiv, graph 0 to warmup/tdiv, graph 1 nohead dt 2 lc rgb "#888888"
    set label 1 "warmup ends" at warmup/tdiv, graph 0.5 center rotate by 90 offset -0.9,0 font ",9" tc rgb "#666666"
}
plot data using ($2/tdiv):3 with lines lw 2 lc rgb "#2171b5" title "items waiting", \
     '' using ($2/tdiv):5 with lines lw 1 dt 2 lc rgb "#6baed6" title "items in flight (waiting, running, retrying)", \
     '' using ($2/tdiv):($4/adiv) axes x1y2 with lines lw 2 lc rgb "#cb181d" title "age of the item next in line"
