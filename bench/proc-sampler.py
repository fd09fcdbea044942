#!/usr/bin/env python3
"""proc-sampler.py -- where a clone's time goes, without perf: samples /proc while it runs.

    proc-sampler.py --out FILE.tsv [--interval 0.25] NAME=PID [NAME=PID ...]

Every interval it reads, for each NAME=PID root and all its descendants: CPU (user/sys) per process and per
thread, bytes through read/write syscalls (rchar/wchar) and bytes that reached the block layer
(read_bytes/write_bytes); and for the machine: Dirty/Writeback page cache and the CPU split
(user/sys/iowait/idle). Stops when every root has exited, or on SIGTERM/SIGINT. Writes the timeline to
FILE.tsv and prints a summary: per-process totals, the busiest threads (JVM threads carry their names), and
per-second throughput.
"""
import os
import signal
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return None


def stat_fields(text):
    """(comm, ppid, utime_s, stime_s) from a /proc/*/stat line; comm may contain spaces and parens."""
    close = text.rfind(")")
    comm = text[text.find("(") + 1:close]
    rest = text[close + 2:].split()
    return comm, int(rest[1]), int(rest[11]) / HZ, int(rest[12]) / HZ


def all_parents():
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            s = read(f"/proc/{d}/stat")
            if s:
                parents[int(d)] = stat_fields(s)[1]
    return parents


def descendants(root, parents):
    out, frontier = [], [root]
    while frontier:
        p = frontier.pop()
        out.append(p)
        frontier.extend(c for c, pp in parents.items() if pp == p)
    return out


def io_of(pid):
    text = read(f"/proc/{pid}/io")
    if not text:
        return {}
    return {k: int(v) for k, v in (line.split(": ") for line in text.splitlines())}


def machine():
    mem = {}
    for line in (read("/proc/meminfo") or "").splitlines():
        k, v = line.split(":", 1)
        if k in ("Dirty", "Writeback"):
            mem[k] = int(v.split()[0])
    cpu = [int(x) for x in (read("/proc/stat") or "cpu 0").splitlines()[0].split()[1:]]
    return mem, cpu


def main(argv):
    out, interval, roots = None, 0.25, {}
    it = iter(argv)
    for a in it:
        if a == "--out":
            out = next(it)
        elif a == "--interval":
            interval = float(next(it))
        elif "=" in a:
            name, pid = a.split("=", 1)
            roots[name] = int(pid)
        else:
            sys.exit(f"proc-sampler: unexpected argument {a!r}; usage: --out FILE [--interval S] NAME=PID ...")
    if not out or not roots:
        sys.exit("proc-sampler: need --out FILE and at least one NAME=PID")

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    procs = {}    # pid -> dict(group, comm, user, sys, io)  (last seen)
    threads = {}  # (pid, tid) -> (group, pcomm, tcomm, user, sys)  (last seen)
    t0 = time.monotonic()
    mem0, cpu0 = machine()
    prev_cpu = cpu0
    max_dirty = max_wb = 0
    prev_io = {}
    timeline = open(out, "w")
    timeline.write("t_s\tgroup\tpid\tcomm\tuser_s\tsys_s\trchar\twchar\tread_bytes\twrite_bytes\t"
                   "dirty_kib\twriteback_kib\tcpu_user_pct\tcpu_sys_pct\tcpu_iowait_pct\tcpu_idle_pct\n")
    while not stop:
        parents = all_parents()
        alive = [r for r in roots.values() if r in parents]
        if not alive:
            break
        now = time.monotonic() - t0
        mem, cpu = machine()
        dcpu = [b - a for a, b in zip(prev_cpu, cpu)]
        prev_cpu = cpu
        tot = sum(dcpu) or 1
        split = [100.0 * dcpu[i] / tot for i in (0, 2, 4, 3)]  # user, system, iowait, idle
        max_dirty = max(max_dirty, mem.get("Dirty", 0))
        max_wb = max(max_wb, mem.get("Writeback", 0))
        for group, root in roots.items():
            for pid in descendants(root, parents) if root in parents else []:
                s = read(f"/proc/{pid}/stat")
                if not s:
                    continue
                comm, _, user, sys_ = stat_fields(s)
                io = io_of(pid) or prev_io.get(pid, {})
                prev_io[pid] = io
                procs[pid] = dict(group=group, comm=comm, user=user, sys=sys_, io=io)
                timeline.write(f"{now:.2f}\t{group}\t{pid}\t{comm}\t{user:.2f}\t{sys_:.2f}\t{io.get('rchar', 0)}\t"
                               f"{io.get('wchar', 0)}\t{io.get('read_bytes', 0)}\t{io.get('write_bytes', 0)}\t"
                               f"{mem.get('Dirty', 0)}\t{mem.get('Writeback', 0)}\t"
                               + "\t".join(f"{x:.0f}" for x in split) + "\n")
                try:
                    tids = os.listdir(f"/proc/{pid}/task")
                except OSError:
                    tids = []
                for tid in tids:
                    ts = read(f"/proc/{pid}/task/{tid}/stat")
                    if ts:
                        tcomm, _, tu, tsy = stat_fields(ts)
                        threads[(pid, int(tid))] = (group, comm, tcomm, tu, tsy)
        time.sleep(interval)
    timeline.close()
    elapsed = time.monotonic() - t0
    _, cpu1 = machine()
    d = [b - a for a, b in zip(cpu0, cpu1)]
    tot = sum(d) or 1

    print(f"sampled {elapsed:.1f} s every {interval} s; machine CPU: user {100 * d[0] / tot:.0f}%, "
          f"sys {100 * d[2] / tot:.0f}%, iowait {100 * d[4] / tot:.0f}%, idle {100 * d[3] / tot:.0f}% "
          f"(of {os.cpu_count()} CPUs); page cache peak Dirty {max_dirty // 1024} MiB, Writeback {max_wb // 1024} MiB")
    print("per process (last sample before exit; a parent's byte counts include the children it has reaped):")
    for pid, p in sorted(procs.items(), key=lambda kv: (kv[1]["group"], kv[0])):
        io = p["io"]
        print(f"  {p['group']:<8} {pid:>7} {p['comm']:<16} user {p['user']:6.2f} s  sys {p['sys']:6.2f} s  "
              f"read() {io.get('rchar', 0) / 1e6:8.1f} MB  write() {io.get('wchar', 0) / 1e6:8.1f} MB  "
              f"disk read {io.get('read_bytes', 0) / 1e6:8.1f} MB  disk write {io.get('write_bytes', 0) / 1e6:8.1f} MB")
    print("busiest threads:")
    busiest = sorted(threads.items(), key=lambda kv: -(kv[1][3] + kv[1][4]))[:12]
    for (pid, tid), (group, pcomm, tcomm, tu, tsy) in busiest:
        if tu + tsy < 0.05:
            break
        print(f"  {group:<8} {pcomm:<16} {tcomm:<20} user {tu:6.2f} s  sys {tsy:6.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
