# plots/environments.gp — Lambda's execution environments over time: busy ones (running an
# invocation) and idle ones stacked, provisioned ones as a line; below, invocations, cold starts
# and throttles per second.
#
# Usage: gnuplot -c plots/environments.gp environments.csv OUT.png|OUT.svg [TITLE]
# The output's extension picks the format (pngcairo or svg, 800x500). Without TITLE the CSV's
# "# title:" line is used. The CSV (`capsim plot` writes it) starts with "# key: value" lines
# (title, warmup_s), then the header
#   start_s,end_s,busy,idle,provisioned,invocations_per_s,cold_starts_per_s,throttles_per_s
# and one row per time bucket (levels averaged over the bucket, rates per second in it).
if (ARGC < 2) { print "usage: gnuplot -c environments.gp DATA.csv OUT.png|OUT.svg [TITLE]"; exit }
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

stats data using 5 nooutput name "P"
stats data using 2 nooutput
tdiv = STATS_max >= 4*3600 ? 3600.0 : (STATS_max >= 1200 ? 60.0 : 1.0)
tunit = tdiv == 3600 ? "h" : (tdiv == 60 ? "min" : "s")
warmup = meta("warmup_s") + 0
# Levels are bucket averages: drawn at the buckets' middles as one filled area each.
mid(a, b) = (a + b) / 2 / tdiv

set multiplot layout 2,1 title plot_title font ",13"
set lmargin 10
set rmargin 3
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set key top right horizontal opaque box lc rgb "#cccccc" font ",9"
set xrange [0:STATS_max/tdiv]
if (warmup > 0) {
    set arrow 1 from warmup/tdiv, graph 0 to warmup/tdiv, graph 1 nohead dt 2 lc rgb "#888888"
    set label 1 "warmup ends" at warmup/tdiv, graph 0.5 center rotate by 90 offset -0.9,0 font ",9" tc rgb "#666666"
}

set size 1,0.58
set origin 0,0.36
set ylabel "environments"
set yrange [0:*]
set format x ""
set xlabel ""
plot data using (mid($1,$2)):($3+$4) with filledcurves x1 fs solid 0.4 noborder lc rgb "#9ecae1" title "idle", \
     '' using (mid($1,$2)):3 with filledcurves x1 fs solid 0.9 noborder lc rgb "#2171b5" title "busy (concurrency)", \
     '' using ($2/tdiv):(P_max > 0 ? $5 : NaN) with steps lw 2 dt 2 lc rgb "#e6550d" title (P_max > 0 ? "provisioned" : "")

set size 1,0.36
set origin 0,0
unset label 1
set format x "%g"
set xlabel sprintf("time (%s)", tunit)
set ylabel "per second"
plot data using ($1/tdiv):6 with steps lw 1.5 lc rgb "#636363" title "invocations", \
     '' using ($1/tdiv):7 with steps lw 2 lc rgb "#e6550d" title "cold starts", \
     '' using ($1/tdiv):8 with steps lw 2 lc rgb "#cb181d" title "throttles"
unset multiplot
