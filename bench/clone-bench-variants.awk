# clone-bench-variants.awk -- Markdown report of a clone-bench.sh run with several agent variants
# (--compression, --link): one column per variant, the bash pipeline first.
#   awk -f bench/clone-bench-stats.awk -f bench/clone-bench-variants.awk META.txt latest.csv > latest.md
# Plain POSIX awk (mawk on a fresh Debian).

function med(key) { return L[key] == "" ? "" : stat(L[key], "med") }
FNR == NR { i = index($0, "="); if (i) M[substr($0, 1, i - 1)] = substr($0, i + 1); next }
FNR == 1 { next }
{
  n = split($0, c, ",")
  v = c[1]
  gib = c[7] / 1073741824
  if (v == "bash" || v ~ /^agent/) {
    if (!(v in SEEN)) { SEEN[v] = 1; if (v == "bash") bash = 1; else ORDER[++NV] = v }
    add(v ".mbs", c[9]); add(v ".wall", c[8]); add(v ".bytes", c[7])
    add(v ".dcpu", (c[13] + c[14]) / gib); add(v ".rcpu", (c[15] + c[16]) / gib)
    add(v ".drss", v == "bash" ? c[17] : c[19]); add(v ".rrss", v == "bash" ? c[18] : c[20])
    if (n >= 22 && c[22] != "") add(v ".wire", c[7] / c[22])
    add(v ".load", c[4]); add(v ".load", c[5])
  } else if (v ~ /^ceiling-(zstd|lz4)/) {
    C[v] = c[9]; CR[v] = (c[22] > 0 ? c[7] / c[22] : ""); CB[v] = c[7]; CL[v] = c[4] "-" c[5]
  }
}
END {
  cols = (bash ? "bash" : "")
  for (k = 1; k <= NV; k++) cols = cols (cols == "" ? "" : " ") ORDER[k]
  nc = split(cols, V, " ")
  printf "### Clone benchmark over a %s link: bash pipeline vs agent per compression mode\n\n", M["link"]
  printf "%s, `--data %s` dataset of %d bytes of InnoDB files, %s runs of each variant, alternating; page cache dropped" \
         " before each run: %s. `bench/clone-bench.sh --link %s --size %s --reps %s`.\n\n", \
         M["date"], M["data"], M["dataset"], M["reps"], M["cache_dropped"], M["link"], M["size"], M["reps"]
  printf "Wall time end to end on the receiver (stream, prepare, data on disk). MB = 10^6 bytes of xbstream (before" \
         " compression). CPU = user + sys of each side, including its backup/prepare children. RSS: the serve and init" \
         " JVMs themselves (bash: its largest process). Bold = median.\n\n"
  printf "|"; for (k = 1; k <= nc; k++) printf " | %s", (V[k] == "bash" ? "bash pipeline" : "`" V[k] "`"); printf " |\n|---"
  for (k = 1; k <= nc; k++) printf "|---"; printf "|\n"
  printf "| **MB/s**, min / median / max"; for (k = 1; k <= nc; k++) printf " | %s", mmm(V[k] ".mbs", "%.0f"); printf " |\n"
  printf "| vs bash (median)"; for (k = 1; k <= nc; k++) printf " | %s", (bash && med(V[k] ".mbs") != "" ? sprintf("%.2fx", med(V[k] ".mbs") / med("bash.mbs")) : "-"); printf " |\n"
  printf "| wall s, median"; for (k = 1; k <= nc; k++) printf " | %s", f2(med(V[k] ".wall")); printf " |\n"
  printf "| wire ratio (raw / sent)"; for (k = 1; k <= nc; k++) printf " | %s", (L[V[k] ".wire"] == "" ? "1.00" : f2(med(V[k] ".wire"))); printf " |\n"
  printf "| donor CPU s/GiB"; for (k = 1; k <= nc; k++) printf " | %s", f2(med(V[k] ".dcpu")); printf " |\n"
  printf "| receiver CPU s/GiB"; for (k = 1; k <= nc; k++) printf " | %s", f2(med(V[k] ".rcpu")); printf " |\n"
  printf "| donor peak RSS MiB"; for (k = 1; k <= nc; k++) printf " | %s", mib(stat(L[V[k] ".drss"], "max")); printf " |\n"
  printf "| receiver peak RSS MiB"; for (k = 1; k <= nc; k++) printf " | %s", mib(stat(L[V[k] ".rrss"], "max")); printf " |\n"
  printf "| 1-min load during the runs"; for (k = 1; k <= nc; k++) printf " | %s", (L[V[k] ".load"] == "" ? "-" : sprintf("%.1f - %.1f", stat(L[V[k] ".load"], "min"), stat(L[V[k] ".load"], "max"))); printf " |\n\n"

  if (("ceiling-zstd-1" in C) || ("ceiling-lz4-1" in C)) {
    printf "The compressors alone on this dataset's xbstream (CLI, one thread, input in the page cache, one run each):\n\n"
    printf "| | MB/s of input | ratio | load |\n|---|---|---|---|\n"
    if ("ceiling-zstd-1" in C) printf "| `zstd -1 -T1` | %.0f | %.2f | %s |\n", C["ceiling-zstd-1"], CR["ceiling-zstd-1"], CL["ceiling-zstd-1"]
    if ("ceiling-lz4-1" in C) printf "| `lz4 -1` | %.0f | %.2f | %s |\n", C["ceiling-lz4-1"], CR["ceiling-lz4-1"], CL["ceiling-lz4-1"]
    printf "\n"
  }
  printf "Machine: %s; %s RAM; kernel %s; disk %s. Load average (1/5/15 min) at start %s, at end %s.\n", \
         M["cpu"], M["memory"], M["kernel"], M["disk"], M["load_start"], M["load_end"]
  printf "Versions: mariadb-backup %s, ncat %s, %s, agent %s. Agent JVM flags: `%s`.\n", \
         M["mariadb_backup"], M["ncat"], M["java"], M["agent"], M["java_opts"]
  printf "Per-run numbers: `latest.csv` beside this file.\n"
}
