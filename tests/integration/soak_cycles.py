#!/usr/bin/python3
"""Days of use in one process: python-sane opens, scans and closes a device many times.

  soak_cycles.py --cycles N --warmup W --escl NAME --ledm NAME --out DIR [--every K] [--lsan]

Run by Debian's /usr/bin/python3 (python3-sane). sane.init() once; then W warm-up cycles and N
measured cycles, each one sane.open(), options, one action, close(). The actions repeat in a
pattern of ten over both devices (eSCL and LEDM), flatbed and feeder:

  six scans of a 1-inch window at 75 dpi (flatbed and ADF, gray and colour; the image's size is
  checked, and the last image of each kind is saved to DIR for hpaio-pagecheck), two cancels in
  the middle of a larger page (sane_cancel from the progress callback once some lines are read;
  the read must end "cancelled") and two cancels right after sane_start.

The process's resident memory (VmRSS), open file descriptors (/proc/self/fd) and threads
(/proc/self/task) are taken after the warm-up and after the last cycle (each after a garbage
collection), and every K cycles for the trend. Prints one line per sample and, at the end:

  figures cycles=N warmup=W rss_start_kib=.. rss_end_kib=.. rss_growth_kib=.. rss_max_kib=..
          fds_init=.. fds_start=.. fds_end=.. threads_init=.. threads_start=.. threads_end=..
          scans=.. cancels=.. seconds=..

(init: after sane_init, before any device is opened; start: after the warm-up; end: after the
last cycle, every handle closed.)

Nothing is judged here but the scans themselves (an unexpected error or a wrong size ends the run
with exit 1); the caller compares the figures with its limits. --lsan: after sane.exit(), ask
LeakSanitizer (its runtime preloaded) for a leak check, print "lsan leaks=0|1", and leave with
os._exit so that the interpreter's own exit-time allocations are not judged.
"""
import argparse
import gc
import os
import sys
import time

import sane

MM_PER_INCH = 25.4


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def fds():
    return len(os.listdir("/proc/self/fd"))


def threads():
    return len(os.listdir("/proc/self/task"))


def sample():
    gc.collect()
    return rss_kib(), fds(), threads()


# (device, source, mode, action); scan: a 1-inch window at 75 dpi; cancel-mid: 150 dpi colour,
# 100 x 100 mm, cancelled from the progress callback after 20 lines; cancel-start: cancelled
# right after sane_start, nothing read.
PATTERN = [
    ("escl", "Flatbed", "Gray", "scan"),
    ("ledm", "Flatbed", "Color", "scan"),
    ("escl", "ADF", "Color", "scan"),
    ("ledm", "ADF", "Gray", "scan"),
    ("escl", "Flatbed", "Color", "cancel-mid"),
    ("ledm", "ADF", "Color", "cancel-mid"),
    ("escl", "Flatbed", "Color", "scan"),
    ("ledm", "Flatbed", "Gray", "scan"),
    ("escl", "ADF", "Gray", "cancel-start"),
    ("ledm", "Flatbed", "Gray", "cancel-start"),
]


class Soak:
    def __init__(self, names, out):
        self.names = names
        self.out = out
        self.scans = 0
        self.cancels = 0

    def cycle(self, i):
        which, source, mode, action = PATTERN[i % len(PATTERN)]
        dev = sane.open(self.names[which])
        try:
            dev.source = source
            dev.mode = mode
            dev.tl_x, dev.tl_y = 0.0, 0.0
            if action == "scan":
                dev.resolution = 75
                dev.br_x, dev.br_y = MM_PER_INCH, MM_PER_INCH
                self.scan(dev, which, source, mode)
            elif action == "cancel-mid":
                dev.resolution = 150
                dev.br_x, dev.br_y = 100.0, 100.0
                self.cancel_mid(dev)
            else:
                dev.resolution = 75
                dev.br_x, dev.br_y = MM_PER_INCH, MM_PER_INCH
                dev.start()
                dev.cancel()
                self.cancels += 1
        finally:
            dev.close()

    def scan(self, dev, which, source, mode):
        width = dev.get_parameters()[2][0]
        img = dev.scan()  # start, read the page, sane_cancel (the job ends after one page)
        # A 1-inch window at 75 dpi: 75 x 75 pixels, flatbed and feeder alike (the sheet is longer).
        if img.size != (75, 75) or width != 75:
            raise SystemExit(f"{which} {source} {mode}: image {img.size}, parameters width {width}, expected 75 x 75")
        if img.mode != ("RGB" if mode == "Color" else "L"):
            raise SystemExit(f"{which} {source} {mode}: image mode {img.mode}")
        img.save(os.path.join(self.out, f"{which}-{source}-{mode}.pnm"), "PPM")
        self.scans += 1

    def cancel_mid(self, dev):
        seen = []

        def progress(line, total):
            seen.append(line)
            if line == 20:
                dev.cancel()

        dev.start()
        try:
            dev.snap(False, progress)
        except sane._sane.error as e:
            if "cancel" not in str(e).lower():
                raise
        else:
            raise SystemExit(f"cancel-mid: the page was read to its end ({len(seen)} callbacks) despite the cancel")
        if not seen or max(seen) < 20:
            raise SystemExit(f"cancel-mid: ended after {max(seen, default=0)} lines, before the cancel")
        self.cancels += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cycles", type=int, required=True)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--escl", required=True)
    ap.add_argument("--ledm", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--lsan", action="store_true")
    a = ap.parse_args()

    sane.init()
    init = sample()  # before any device is opened
    print(f"sample init rss_kib={init[0]} fds={init[1]} threads={init[2]}", flush=True)
    soak = Soak({"escl": a.escl, "ledm": a.ledm}, a.out)
    t0 = time.monotonic()

    def report(label, s):
        print(f"sample {label} rss_kib={s[0]} fds={s[1]} threads={s[2]} s={time.monotonic() - t0:.1f}", flush=True)

    for i in range(a.warmup):
        soak.cycle(i)
    start = sample()
    report("cycle=0", start)
    rss_max = start[0]
    for n in range(1, a.cycles + 1):
        soak.cycle(a.warmup + n - 1)
        if n % a.every == 0 or n == a.cycles:
            s = sample()
            rss_max = max(rss_max, s[0])
            report(f"cycle={n}", s)
    end = sample()
    figures = {
        "cycles": a.cycles, "warmup": a.warmup,
        "rss_start_kib": start[0], "rss_end_kib": end[0], "rss_growth_kib": end[0] - start[0], "rss_max_kib": rss_max,
        "fds_init": init[1], "fds_start": start[1], "fds_end": end[1],
        "threads_init": init[2], "threads_start": start[2], "threads_end": end[2],
        "scans": soak.scans, "cancels": soak.cancels, "seconds": f"{time.monotonic() - t0:.1f}",
    }  # fmt: skip
    print("figures " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
    sane.exit()
    return a.lsan


def lsan_check():
    # Called from the module's level once main() has returned: what main's frames held is freed by
    # then. (CPython 3.11 keeps frames in mmap'ed chunks that LeakSanitizer does not scan, so
    # objects referenced only by a live frame's locals would look leaked.)
    import ctypes

    gc.collect()
    leaks = ctypes.CDLL(None).__lsan_do_recoverable_leak_check()
    print(f"lsan leaks={leaks}", flush=True)
    sys.stderr.flush()
    os._exit(1 if leaks else 0)


if __name__ == "__main__":
    if main():
        lsan_check()
