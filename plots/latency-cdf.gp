# plots/latency-cdf.gp — the latency distribution of each platform: the share of items
# processed within a given latency (log scale). The further left a curve, the faster; p50 and
# p99 are where it crosses the dashed lines.
#
# Usage: gnuplot -c plots/latency-cdf.gp latency-cdf.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot` writes it) starts with "# key: value" lines,
# then the header
#   latency_s,PLATFORM[,PLATFORM...]
# and one row per latency: each platform's share of items at most that late (empty before its
# first item).
if (ARGC < 2) { print "usage: gnuplot -c latency-cdf.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
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
set xlabel "latency: arrival to processed (s, log scale)"
set ylabel "share of items (%)"
set logscale x 10
set format x "10^{%L}"
set yrange [0:100]
set ytics 0,10,100
set border 3
set tics nomirror
set grid xtics ytics lc rgb "#e5e5e5"
set key bottom right opaque box lc rgb "#cccccc" font ",9"
set key autotitle columnheader
set linetype 1 lc rgb "#e6550d" lw 2.5
set linetype 2 lc rgb "#31a354" lw 2.5
set linetype 3 lc rgb "#756bb1" lw 2.5
set arrow 1 from graph 0, first 50 to graph 1, first 50 nohead dt 2 lc rgb "#999999"
set arrow 2 from graph 0, first 99 to graph 1, first 99 nohead dt 2 lc rgb "#999999"
set label 1 "p50" at graph 0.01, first 50 offset 0,0.6 font ",9" tc rgb "#666666"
set label 2 "p99" at graph 0.01, first 99 offset 0,-0.8 font ",9" tc rgb "#666666"
plot for [i=2:*] data using 1:(100*column(i)) with steps
