# clone-bench-report.awk -- Markdown report from clone-bench.sh's results.
#   awk -f bench/clone-bench-report.awk META.txt latest.csv > latest.md
# META.txt: key=value lines (machine, versions, flags, load); latest.csv: one row per run (header first).
# Plain POSIX awk (mawk on a fresh Debian): no asort, so the sort is written out.

function isort(a, n,    i, j, t) {
  for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
}
# stat(list, which): list is space-separated numbers; which = min | med | max | n
function stat(list, which,    a, n, i) {
  n = split(list, a, " ")
  if (n == 0) return ""
  for (i = 1; i <= n; i++) a[i] += 0
  isort(a, n)
  if (which == "n") return n
  if (which == "min") return a[1]
  if (which == "max") return a[n]
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, v) { if (v != "") L[key] = L[key] " " v }
function f1(x) { return x == "" ? "-" : sprintf("%.1f", x) }
function f2(x) { return x == "" ? "-" : sprintf("%.2f", x) }
function mib(kib) { return kib == "" || kib == 0 ? "-" : sprintf("%.1f", kib / 1024) }
function mmm(key, fmt) {
  if (L[key] == "") return "-"
  return sprintf(fmt " / **" fmt "** / " fmt, stat(L[key], "min"), stat(L[key], "med"), stat(L[key], "max"))
}

FNR == NR { i = index($0, "="); if (i) M[substr($0, 1, i - 1)] = substr($0, i + 1); next }
FNR == 1 { next }   # CSV header
{
  split($0, c, ",")
  v = c[1]
  gib = c[7] / 1073741824
  if (v == "bash" || v == "agent") {
    add(v ".bytes", c[7]); add(v ".wall", c[8]); add(v ".mbs", c[9])
    add(v ".transfer", c[10]); add(v ".prepare", c[11]); add(v ".sync", c[12])
    add(v ".dcpu", (c[13] + c[14]) / gib); add(v ".rcpu", (c[15] + c[16]) / gib)
    add(v ".dsys", c[14] / gib); add(v ".rsys", c[16] / gib)
    add(v ".drss", c[17]); add(v ".rrss", c[18]); add(v ".dhwm", c[19]); add(v ".rhwm", c[20])
    add(v ".load", c[4]); add(v ".load", c[5])
    if (v == "agent") add("accept", c[21])
  } else if (v == "serve-start") {
    add("accept", c[21]); add("idle", c[19])
  } else if (v ~ /^ceiling-/) {
    C[v] = c[9]; NC++; CW[v] = c[8]; CB[v] = c[7]; CL[v] = c[4] "-" c[5]
  }
}
END {
  printf "### Clone benchmark: bash pipeline vs agent\n\n"
  printf "%s, %s dataset (`bench/blobs.ibd` = %d bytes of incompressible rows), %s runs of each variant, alternating;" \
         " page cache dropped before each run: %s. `bench/clone-bench.sh --size %s --reps %s`.\n\n", \
         M["date"], M["size"], M["dataset"], M["reps"], M["cache_dropped"], M["size"], M["reps"]
  if (M["write_load"] != "" && M["write_load"] != "none") {
    ach = ""; for (k in M) if (k ~ /^write_achieved_/) ach = ach " " M[k]
    printf "Write load during every clone: `--write-load %s` (1 KiB rows into bench.writes on the donor; reached, MB/s:%s);" \
           " donor redo log innodb_log_file_size=%s.\n\n", M["write_load"], ach, M["redo_size"]
  }
  printf "Wall time is end to end on the receiver: from connecting to the donor until the clone is prepared and on disk " \
         "(bash: `ncat | mbstream`, `--prepare`, `sync`; agent: `init`, which prepares and fsyncs, then `sync`). " \
         "MB = 10^6 bytes of xbstream. Bold = median.\n\n"
  printf "| | bash pipeline | agent (`serve` -> `init`) |\n|---|---|---|\n"
  printf "| stream bytes (median) | %d | %d |\n", stat(L["bash.bytes"], "med"), stat(L["agent.bytes"], "med")
  printf "| wall s, min / median / max | %s | %s |\n", mmm("bash.wall", "%.2f"), mmm("agent.wall", "%.2f")
  printf "| **MB/s**, min / median / max | %s | %s |\n", mmm("bash.mbs", "%.0f"), mmm("agent.mbs", "%.0f")
  ratio = (L["bash.mbs"] != "" && L["agent.mbs"] != "") ? stat(L["agent.mbs"], "med") / stat(L["bash.mbs"], "med") : ""
  printf "| **throughput ratio** (median agent / median bash) | 1.00x | **%s** |\n", ratio == "" ? "-" : sprintf("%.2fx", ratio)
  printf "| donor CPU s/GiB, user+sys (of which sys) | %s (%s) | %s (%s) |\n", \
         f2(stat(L["bash.dcpu"], "med")), f2(stat(L["bash.dsys"], "med")), f2(stat(L["agent.dcpu"], "med")), f2(stat(L["agent.dsys"], "med"))
  printf "| receiver CPU s/GiB, user+sys (of which sys) | %s (%s) | %s (%s) |\n", \
         f2(stat(L["bash.rcpu"], "med")), f2(stat(L["bash.rsys"], "med")), f2(stat(L["agent.rcpu"], "med")), f2(stat(L["agent.rsys"], "med"))
  printf "| donor peak RSS MiB | %s (ncat + mariadb-backup) | **%s** serve JVM; %s with its backup child |\n", \
         mib(stat(L["bash.drss"], "max")), mib(stat(L["agent.dhwm"], "max")), mib(stat(L["agent.drss"], "max"))
  printf "| receiver peak RSS MiB | %s (largest of ncat, mbstream, prepare) | **%s** init JVM; %s with its prepare child |\n", \
         mib(stat(L["bash.rrss"], "max")), mib(stat(L["agent.rhwm"], "max")), mib(stat(L["agent.rrss"], "max"))
  printf "| phases, median s | transfer %s, prepare %s, sync %s | init %s: transfer %s, prepare %s (init's log); sync after %s |\n", \
         f2(stat(L["bash.transfer"], "med")), f2(stat(L["bash.prepare"], "med")), f2(stat(L["bash.sync"], "med")), \
         f2(stat(L["agent.wall"], "med") - stat(L["agent.sync"], "med")), f1(stat(L["agent.transfer"], "med")), \
         f1(stat(L["agent.prepare"], "med")), f2(stat(L["agent.sync"], "med"))
  printf "| 1-min load average during the runs | %s - %s | %s - %s |\n\n", \
         f1(stat(L["bash.load"], "min")), f1(stat(L["bash.load"], "max")), f1(stat(L["agent.load"], "min")), f1(stat(L["agent.load"], "max"))

  if (L["accept"] != "")
    printf "`serve` start to accepting connections: median **%d ms** (min %d, max %d, %d starts); idle serve JVM RSS (listening, replication set up, before any backup) %s MiB.\n\n", \
           stat(L["accept"], "med"), stat(L["accept"], "min"), stat(L["accept"], "max"), stat(L["accept"], "n"), mib(stat(L["idle"], "max"))

  if (NC > 0) {
    printf "Ceilings on this machine (one run each, same byte count):\n\n| | MB/s | s | load |\n|---|---|---|---|\n"
    if ("ceiling-backup-devnull" in C) printf "| `mariadb-backup --backup --stream=xbstream > /dev/null` (donor read side) | %.0f | %.2f | %s |\n", C["ceiling-backup-devnull"], CW["ceiling-backup-devnull"], CL["ceiling-backup-devnull"]
    if ("ceiling-backup-pipe-direct" in C) printf "| backup piped into `dd bs=1M oflag=direct conv=fsync`, one file (best case for a receiver) | %.0f | %.2f | %s |\n", C["ceiling-backup-pipe-direct"], CW["ceiling-backup-pipe-direct"], CL["ceiling-backup-pipe-direct"]
    if ("ceiling-dd-direct" in C) printf "| `dd bs=1M oflag=direct conv=fsync` (receiver write side) | %.0f | %.2f | %s |\n", C["ceiling-dd-direct"], CW["ceiling-dd-direct"], CL["ceiling-dd-direct"]
    if ("ceiling-dd-buffered" in C) printf "| `dd bs=1M conv=fdatasync` (buffered write + flush) | %.0f | %.2f | %s |\n", C["ceiling-dd-buffered"], CW["ceiling-dd-buffered"], CL["ceiling-dd-buffered"]
    printf "\n"
  }

  printf "Goals (measured here, never asserted in tests):\n\n| goal | measured | met |\n|---|---|---|\n"
  if (ratio != "") printf "| throughput >= 1.5x bash (aim 2x) | %.2fx | %s |\n", ratio, (ratio >= 2 ? "yes (>= 2x)" : ratio >= 1.5 ? "yes" : "no")
  if (L["agent.dhwm"] != "") printf "| serve RSS < 64 MiB | %s MiB | %s |\n", mib(stat(L["agent.dhwm"], "max")), (stat(L["agent.dhwm"], "max") < 65536 ? "yes" : "no")
  if (L["agent.rhwm"] != "") printf "| init RSS < 64 MiB | %s MiB | %s |\n", mib(stat(L["agent.rhwm"], "max")), (stat(L["agent.rhwm"], "max") < 65536 ? "yes" : "no")
  if (L["accept"] != "") printf "| serve accepting within 1 s | %d ms (median) | %s |\n", stat(L["accept"], "med"), (stat(L["accept"], "med") < 1000 ? "yes" : "no")

  printf "\nMachine: %s; %s RAM; kernel %s; disk %s. Load average (1/5/15 min) at start %s, at end %s.\n", \
         M["cpu"], M["memory"], M["kernel"], M["disk"], M["load_start"], M["load_end"]
  printf "Versions: mariadb-backup %s, ncat %s, %s, agent %s. Agent JVM flags: `%s`.\n", \
         M["mariadb_backup"], M["ncat"], M["java"], M["agent"], M["java_opts"]
  printf "Per-run numbers: `bench/results/latest.csv`.\n"
}
