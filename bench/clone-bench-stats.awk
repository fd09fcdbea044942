# clone-bench-stats.awk -- the helpers both clone-bench reports use (loaded first: awk -f stats.awk -f report.awk).
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

