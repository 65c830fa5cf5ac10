# plots/memory-curve.gp — Lambda's memory curve from a memory sweep: the mean billed duration
# of an invocation (top) and the cost (bottom) at each memory size tested, with 95 % confidence
# bars; the fastest and the cheapest are circled. Points only: sizes in between were not run,
# so no line pretends to know them.
#
# Usage: gnuplot -c plots/memory-curve.gp memory-curve.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot SWEEP.csv` writes it from
# `capsim sweep FILE --vary lambda.memory=... --format csv`) starts with "# key: value" lines,
# then the header
#   memory_mb,duration_s,duration_ci95_s,cost_usd,cost_ci95_usd,cost_per_1k_usd,completed_all,mark
# one row per memory size; mark is "cheapest", "fastest", "cheapest and fastest" or empty.
if (ARGC < 2) { print "usage: gnuplot -c memory-curve.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
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

stats data using 7 nooutput name "DONE"
stats data using 1 nooutput
set xrange [STATS_min / 1.4 : STATS_max * 1.4]
is(mark, what) = strstrt(mark, what) > 0
ok(v) = column(7) == 1 ? v : NaN
failed(v) = column(7) == 1 ? NaN : v
money(x) = x >= 1 ? sprintf("$%.2f", x) : (x >= 0.01 ? sprintf("$%.4f", x) : sprintf("$%.3g", x))

set multiplot layout 2,1 title plot_title font ",13"
set lmargin 11
set rmargin 3
set logscale x 2
set border 3
set tics nomirror
set grid xtics ytics lc rgb "#e5e5e5"
set key top right opaque box lc rgb "#cccccc" font ",9"
set style fill solid 1.0

set size 1,0.47
set origin 0,0.47
set ylabel "mean duration (s)"
set yrange [0:*]
set format x ""
plot data using 1:(ok($2)):3 with yerrorbars pt 7 ps 1.3 lc rgb "#2171b5" title "tested size", \
     '' using 1:(failed($2)) with points pt 6 ps 1.3 lc rgb "#999999" title (DONE_min < 1 ? "some items failed" : ""), \
     '' using 1:(is(strcol(8), "fastest") ? $2 : NaN) with points pt 6 ps 3.5 lw 2 lc rgb "#cb181d" title "fastest", \
     '' using 1:(is(strcol(8), "fastest") ? $2 : NaN):(sprintf("fastest: %.3g s", $2)) with labels offset 0,1.6 font ",9" tc rgb "#cb181d" notitle

set size 1,0.47
set origin 0,0
set xlabel "memory (MB, log scale)"
set ylabel "cost for the horizon (USD)"
set format y "$%g"
set xtics ()
plot data using 1:(ok($4)):5:xtic(1) with yerrorbars pt 7 ps 1.3 lc rgb "#31a354" title "tested size", \
     '' using 1:(failed($4)) with points pt 6 ps 1.3 lc rgb "#999999" notitle, \
     '' using 1:(is(strcol(8), "cheapest") ? $4 : NaN) with points pt 6 ps 3.5 lw 2 lc rgb "#e6550d" title "cheapest", \
     '' using 1:(is(strcol(8), "cheapest") ? $4 : NaN):("cheapest: ".money($4)) with labels offset 0,1.6 font ",9" tc rgb "#e6550d" notitle
unset multiplot
