# plots/crossover.gp — cost per month (top) and p99 latency (bottom) of each platform against a
# swept key: for the traffic rate, where the cost lines cross the cheaper platform changes.
# Points are the values tested; the thin lines between them are only a guide. Axes turn
# logarithmic when the values span more than a factor of 20.
#
# Usage: gnuplot -c plots/crossover.gp crossover.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot SWEEP.csv` writes it) starts with
# "# key: value" lines (title, xlabel, platforms: the platform names in column order), then the
# header
#   x,P1.cost_per_month_usd,...,Pn.cost_per_month_usd,P1.p99_s,...,Pn.p99_s
# one row per value tested (empty cells: nothing completed).
if (ARGC < 2) { print "usage: gnuplot -c crossover.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
data = ARG1
meta(k) = system(sprintf("sed -n 's/^# %s: //p' '%s' | head -n 1", k, data))
plot_title = ARGC >= 3 ? ARG3 : meta("title")
platforms = meta("platforms")
n = words(platforms)
if (ARG2[strlen(ARG2)-2:] eq "svg") {
    set terminal svg size 800,500 dynamic enhanced font "DejaVu Sans,12" background rgb "white"
} else {
    set terminal pngcairo size 800,500 enhanced font "DejaVu Sans,10" background rgb "white"
}
set output ARG2
set datafile separator ","

stats data using 1 nooutput name "X"
logx = X_min > 0 && X_max / X_min > 20
cmin = 1e300; cmax = 0; pmin = 1e300; pmax = 0
do for [k=1:n] {
    stats data using (column(1+k)) nooutput name "C"
    if (C_min < cmin) { cmin = C_min }
    if (C_max > cmax) { cmax = C_max }
    stats data using (column(1+n+k)) nooutput name "P"
    if (P_min < pmin) { pmin = P_min }
    if (P_max > pmax) { pmax = P_max }
}
logc = cmin > 0 && cmax / cmin > 20
logp = pmin > 0 && pmax / pmin > 20

set multiplot layout 2,1 title plot_title font ",13"
set lmargin 11
set rmargin 3
set border 3
set tics nomirror
set grid xtics ytics lc rgb "#e5e5e5"
set key top left opaque box lc rgb "#cccccc" font ",9"
if (logx) { set logscale x 10 }
set linetype 1 lc rgb "#e6550d" lw 1.5 pt 7 ps 1.1
set linetype 2 lc rgb "#31a354" lw 1.5 pt 5 ps 1.1
set linetype 3 lc rgb "#756bb1" lw 1.5 pt 9 ps 1.3

set size 1,0.48
set origin 0,0.46
set ylabel "cost per month (USD)"
set format y "$%g"
set format x ""
if (logc) { set logscale y 10 } else { set yrange [0:*] }
plot for [k=1:n] data using 1:(column(1+k)) with linespoints lt k title word(platforms, k)

set size 1,0.46
set origin 0,0
unset logscale y
set autoscale y
set xlabel meta("xlabel").(logx ? ", log scale" : "")
unset key
set ylabel "p99 latency (s)"
set format y "%g"
set format x "%g"
if (logp) { set logscale y 10 } else { set yrange [0:*] }
plot for [k=1:n] data using 1:(column(1+n+k)) with linespoints lt k notitle
unset multiplot
