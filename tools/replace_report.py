#!/usr/bin/env python3
"""replace_report.py — a swap trace as a hit-rate table and a resident-pages picture.

Reads a Prism trace (build/trace.log, format v1: see the README) and follows
the pages of one process (by default the one with the most faults): a page
becomes resident at a fault (kind zero, cow or major) and leaves at an
evict event naming it. Prints one table row — faults, major faults,
evictions, page-ins, and, given the number of accesses the workload made
(memhog prints it), the hit rate = 1 - faults / accesses. With --svg it
draws the picture OSTEP ch. 22 describes in words: time runs left to right,
one row per virtual page (lowest address at the top), a bar wherever the
page was in memory; evictions are where bars end.
Usage: replace_report.py TRACE [--pid N] [--accesses N] [--svg OUT] [--title T]
       replace_report.py --compare TABLE.md ROW.json...   (compare_replace.py)
Python standard library only. OSTEP ch. 22 (Swapping: Policies).
"""
import argparse
import json
import re
import sys

EVENT = re.compile(r"^(\d+) (\w+)(.*)$")
FIELD = re.compile(r"(\w+)=(\S+)")


def parse(path):
    """Yields (time_us, kind, fields) for every event line; skips the rest."""
    with open(path, errors="replace") as handle:
        for line in handle:
            match = EVENT.match(line.strip())
            if match:
                yield int(match.group(1)), match.group(2), dict(FIELD.findall(match.group(3)))


def analyse(path, pid=None):
    events = list(parse(path))
    faults_by_pid = {}
    for _, kind, fields in events:
        if kind == "fault" and fields.get("kind") != "kill":
            faults_by_pid[fields["pid"]] = faults_by_pid.get(fields["pid"], 0) + 1
    if pid is None:
        if not faults_by_pid:
            raise SystemExit(f"replace_report: {path} has no page faults")
        pid = max(faults_by_pid, key=faults_by_pid.get)
    pid = str(pid)
    stats = {"pid": int(pid), "faults": 0, "major": 0, "evictions": 0, "pageins": 0,
             "policy": None, "policies": []}
    resident = {}  # page -> time it came in
    intervals = []  # (page, start, end)
    start = end = None
    for time, kind, fields in events:
        if kind == "replace":
            stats["policies"].append(fields.get("name"))
        if kind == "exit" and fields.get("pid") == pid:
            for page, since in resident.items():
                intervals.append((page, since, time))
            resident.clear()
            end = time
        if fields.get("pid") != pid:
            continue
        if kind in ("fault", "evict", "pagein"):
            page = int(fields["address"], 16) >> 12
            start = time if start is None else start
            end = time
        if kind == "fault" and fields.get("kind") in ("zero", "cow", "major"):
            stats["faults"] += 1
            stats["major"] += fields["kind"] == "major"
            resident.setdefault(page, time)
        elif kind == "evict":
            stats["evictions"] += 1
            if page in resident:
                intervals.append((page, resident.pop(page), time))
        elif kind == "pagein":
            stats["pageins"] += 1
    for page, since in resident.items():
        intervals.append((page, since, end))
    stats["start_us"], stats["end_us"] = start or 0, end or 0
    return stats, intervals


def svg(intervals, start, end, title, out):
    pages = sorted({page for page, _, _ in intervals})
    row = {page: i for i, page in enumerate(pages)}
    width, left, top = 900, 60, 30
    height = max(120, min(600, 2 * len(pages)))
    scale_y = height / max(1, len(pages))
    span = max(1, end - start)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + left + 20}" '
             f'height="{height + top + 40}" font-family="sans-serif" font-size="12">',
             f'<text x="{left}" y="18">{title}</text>',
             f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="#f4f4f4"/>']
    for page, since, until in intervals:
        x0 = left + (since - start) * width / span
        x1 = left + max(until - start, since - start + span / width) * width / span
        y = top + row[page] * scale_y
        parts.append(f'<rect x="{x0:.1f}" y="{y:.1f}" width="{max(0.5, x1 - x0):.1f}" '
                     f'height="{max(0.5, scale_y):.2f}" fill="#3465a4"/>')
    parts.append(f'<text x="{left}" y="{top + height + 16}">0 ms</text>')
    parts.append(f'<text x="{left + width - 60}" y="{top + height + 16}">'
                 f'{span / 1000:.0f} ms</text>')
    parts.append(f'<text x="4" y="{top + 12}">page</text>')
    parts.append(f'<text x="{left}" y="{top + height + 32}">one row per virtual page '
                 f'({len(pages)} pages), a bar while it is resident</text>')
    parts.append("</svg>")
    with open(out, "w") as handle:
        handle.write("\n".join(parts) + "\n")


def row_text(stats):
    rate = "-" if stats.get("hit_rate") is None else f"{stats['hit_rate']:.2f}%"
    return (f"| {stats.get('policy') or '-'} | {stats.get('accesses', '-')} | {stats['faults']} | "
            f"{stats['major']} | {stats['evictions']} | {rate} |")


HEADER = ("| policy | accesses | faults | major | evictions | hit rate |\n"
          "|---|---|---|---|---|---|")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("trace", nargs="?")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--accesses", type=int)
    parser.add_argument("--policy")
    parser.add_argument("--svg")
    parser.add_argument("--title", default="resident pages over time")
    parser.add_argument("--json", help="also write the row as JSON here")
    parser.add_argument("--compare", help="write a Markdown table of the JSON rows given")
    parser.add_argument("rows", nargs="*")
    args = parser.parse_args()
    if args.compare:
        rows = [json.load(open(path)) for path in ([args.trace] if args.trace else []) + args.rows]
        with open(args.compare, "w") as handle:
            handle.write(HEADER + "\n" + "\n".join(row_text(r) for r in rows) + "\n")
        print(open(args.compare).read(), end="")
        return 0
    if not args.trace:
        parser.error("a trace file is needed")
    stats, intervals = analyse(args.trace, args.pid)
    stats["policy"] = args.policy or (stats["policies"][-1] if stats["policies"] else None)
    if args.accesses:
        stats["accesses"] = args.accesses
        stats["hit_rate"] = max(0.0, 100.0 * (args.accesses - stats["faults"]) / args.accesses)
    print(HEADER)
    print(row_text(stats))
    if args.svg:
        svg(intervals, stats["start_us"], stats["end_us"], args.title, args.svg)
        print(f"replace_report: wrote {args.svg}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(stats, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
