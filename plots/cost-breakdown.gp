# plots/cost-breakdown.gp — what each platform costs for the simulated horizon, as stacked bars
# by what is billed: Lambda's duration (compute), requests, init, provisioned concurrency and
# /tmp storage; Glue's and EMR's compute (DPU-, instance- or vCPU-hours). Each bar is labelled
# with its total and the month's bill.
#
# Usage: gnuplot -c plots/cost-breakdown.gp cost-breakdown.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot` writes it) starts with "# key: value" lines
# (title, horizon), then the header
#   platform,compute,requests,init,provisioned,ephemeral,per_month
# and one row per platform, in USD.
if (ARGC < 2) { print "usage: gnuplot -c cost-breakdown.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
data = ARG1
meta(k) = system(sprintf("sed -n 's/^# %s: //p' '%s' | head -n 1", k, data))
plot_title = ARGC >= 3 ? ARG3 : meta("title")
horizon = meta("horizon")
if (ARG2[strlen(ARG2)-2:] eq "svg") {
    set terminal svg size 800,500 dynamic enhanced font "DejaVu Sans,12" background rgb "white"
} else {
    set terminal pngcairo size 800,500 enhanced font "DejaVu Sans,10" background rgb "white"
}
set output ARG2
set datafile separator ","

stats data using ($2+$3+$4+$5+$6) nooutput name "T"
money(x) = x >= 1 ? sprintf("$%.2f", x) : (x >= 0.01 ? sprintf("$%.4f", x) : sprintf("$%.3g", x))

set title plot_title font ",13"
set ylabel sprintf("cost for the %s horizon (USD)", horizon eq "" ? "simulated" : horizon)
set format y "$%g"
set yrange [0:T_max * 1.18]
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb "white"
set boxwidth 0.55
set border 3
set tics nomirror
set xtics scale 0 font ",11"
set grid ytics lc rgb "#dddddd"
set key top left opaque box lc rgb "#cccccc" font ",9" maxrows 2
set key autotitle columnheader
plot data using 2:xtic(1) lc rgb "#2171b5", \
     '' using 3 lc rgb "#6baed6", \
     '' using 4 lc rgb "#fd8d3c", \
     '' using 5 lc rgb "#e6550d", \
     '' using 6 lc rgb "#969696", \
     '' using 0:($2+$3+$4+$5+$6):(money($2+$3+$4+$5+$6)."\n".money($7)." / month") with labels offset 0,1.4 font ",9" notitle
