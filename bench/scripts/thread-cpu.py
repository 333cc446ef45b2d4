#!/usr/bin/env python3
"""Where a server process's CPU goes, thread by thread, and its resident memory over time.

  bench/scripts/thread-cpu.py sample OUT_DIR PATTERN   # waits for the newest java process whose command line
                                                       # matches PATTERN (pgrep -f), samples it every 0.5 s until it exits
  bench/scripts/thread-cpu.py report OUT_DIR [FROM_EPOCH_S TO_EPOCH_S]

`sample` writes OUT_DIR/threads.txt (time, thread id, name, state, utime, stime in clock ticks, from
/proc/<pid>/task/*/stat) and OUT_DIR/memory.txt (time, VmHWM, VmRSS, RssAnon, RssFile in KiB, load average).
`report` sums each thread group's CPU between two instants (thread names with their digits folded, so
"ForkJoinPool-1-worker-3" counts with the other carriers of virtual threads) and counts the states it was
seen in (R runnable, S sleeping, D disk). On a loaded machine CPU-seconds per thread group are what means
something; wall-clock shares are the neighbours' (docs/BENCHMARKS.md section 11, "Cores busy and peak RSS,
session 9").
"""
import collections
import os
import re
import subprocess
import sys
import time

CLOCK_TICKS = os.sysconf('SC_CLK_TCK')
INTERVAL_SECONDS = 0.5
MEMORY_KEYS = ('VmHWM', 'VmRSS', 'RssAnon', 'RssFile')


def find_java(pattern):
    while True:
        found = subprocess.run(['pgrep', '-f', pattern], capture_output=True, text=True).stdout.split()
        for pid in reversed(found):
            try:
                with open('/proc/%s/cmdline' % pid, 'rb') as f:
                    program = f.read().split(b'\0')[0]
            except OSError:
                continue
            # pgrep also matches this script's own command line, which carries the pattern.
            if int(pid) != os.getpid() and program.endswith(b'java'):
                return pid
        time.sleep(0.2)


def sample(out_dir, pattern):
    os.makedirs(out_dir, exist_ok=True)
    pid = find_java(pattern)
    print('thread-cpu: sampling pid %s' % pid, file=sys.stderr)
    with open(os.path.join(out_dir, 'threads.txt'), 'a') as threads, \
            open(os.path.join(out_dir, 'memory.txt'), 'a') as memory:
        while os.path.exists('/proc/' + pid):
            started = time.time()
            try:
                with open('/proc/%s/status' % pid) as f:
                    fields = dict(line.split(':', 1) for line in f if ':' in line)
                with open('/proc/loadavg') as f:
                    load = f.read().split()[0]
                memory.write('%.3f %s %s\n' % (started, ' '.join(
                    fields[k].split()[0] for k in MEMORY_KEYS), load))
                for tid in os.listdir('/proc/%s/task' % pid):
                    try:
                        with open('/proc/%s/task/%s/stat' % (pid, tid)) as f:
                            stat = f.read()
                    except OSError:
                        continue  # the thread ended between the listing and the read
                    name = stat[stat.index('(') + 1:stat.rindex(')')].replace(' ', '_')
                    rest = stat[stat.rindex(')') + 2:].split()
                    threads.write('%.3f %s %s %s %s %s\n' % (started, tid, name, rest[0], rest[11], rest[12]))
            except (OSError, KeyError):
                break  # the process ended mid-sample
            threads.flush()
            memory.flush()
            time.sleep(max(0.05, INTERVAL_SECONDS - (time.time() - started)))


def report(out_dir, start=None, end=None):
    samples = collections.defaultdict(list)
    with open(os.path.join(out_dir, 'threads.txt')) as f:
        for line in f:
            at, tid, name, state, user, system = line.split()
            at = float(at)
            if (start is None or at >= start) and (end is None or at <= end):
                samples[(tid, name)].append((at, state, int(user) + int(system)))
    instants = sorted({s[0] for series in samples.values() for s in series})
    if len(instants) < 2:
        sys.exit('thread-cpu: fewer than two samples in that interval')
    cpu = collections.Counter()
    states = collections.defaultdict(collections.Counter)
    for (tid, name), series in samples.items():
        group = re.sub(r'\d+', '#', name)
        cpu[group] += series[-1][2] - series[0][2]
        for s in series:
            states[group][s[1]] += 1
    wall = instants[-1] - instants[0]
    total = sum(cpu.values()) / CLOCK_TICKS
    print('%.1f s, %d samples: %.2f CPU-s, %.2f cores busy on average' % (wall, len(instants), total, total / wall))
    for group, ticks in cpu.most_common(15):
        print('%-24s %7.2f CPU-s %5.1f %%  states %s' % (
            group, ticks / CLOCK_TICKS, 100.0 * ticks / CLOCK_TICKS / max(total, 1e-9), dict(states[group])))


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'sample':
        sample(sys.argv[2], sys.argv[3])
    elif len(sys.argv) in (3, 5) and sys.argv[1] == 'report':
        report(sys.argv[2], *(float(a) for a in sys.argv[3:]))
    else:
        sys.exit(__doc__)
