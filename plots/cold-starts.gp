# plots/cold-starts.gp — the share of Lambda invocations that start cold against a swept key
# (keep-alive, or provisioned concurrency), with Lambda's monthly cost on the right axis: how
# much each cold start avoided costs. Points are the values tested; lines only guide the eye.
#
# Usage: gnuplot -c plots/cold-starts.gp cold-starts.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot SWEEP.csv` writes it) starts with
# "# key: value" lines (title, xlabel), then the header
#   x,cold_start_share,cost_per_month_usd,p99_s,provisioned_share
# one row per value tested (shares in [0,1]).
if (ARGC < 2) { print "usage: gnuplot -c cold-starts.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
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

set title plot_title font ",13"
set xlabel meta("xlabel")
set ylabel "cold starts (% of invocations)" tc rgb "#2171b5"
set y2label "Lambda cost per month (USD)" tc rgb "#e6550d"
set yrange [0:*]
set y2range [0:*]
set ytics nomirror tc rgb "#2171b5"
set y2tics tc rgb "#e6550d"
set format y2 "$%g"
set border 11
set grid xtics ytics lc rgb "#e5e5e5"
set key center right opaque box lc rgb "#cccccc" font ",9"
stats data using 1 nooutput name "X"
span = X_max > X_min ? X_max - X_min : 1
set xrange [(X_min >= 0 && X_min - 0.05 * span < 0) ? 0 : X_min - 0.05 * span : X_max + 0.05 * span]
plot data using 1:(100*$2) with linespoints lw 2 pt 7 ps 1.3 lc rgb "#2171b5" title "cold-start share", \
     '' using 1:3 axes x1y2 with linespoints lw 1.5 dt 2 pt 5 ps 1.1 lc rgb "#e6550d" title "cost per month"
