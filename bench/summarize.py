#!/usr/bin/env python3
"""Goal table of issue 7 from a bench_nnmath run.

usage: ./build/bench/bench_nnmath > bench.md && python3 bench/summarize.py bench.md

For every goal row it prints the best peer (oneDNN, XNNPACK, libtorch or the libm loop), the
fastest libnnmath path, their ratio against the goal, and for the 2^24-element rows the ratio of
libnnmath to the memory floor (memcpy of the input bytes) against 1.1. Rows without a peer
measurement are reported as such, never dropped.
"""
import sys

# (function, dtype, shape, goal ratio to the best peer, which peers count)
GOALS = [
    ("sigmoid", "f32", "65536", 1.0, None),
    ("tanh", "f32", "65536", 1.0, None),
    ("softmax", "f32", "1024x1000", 1.0, None),
    ("log_softmax", "f32", "1024x1000", 1.0, None),
    ("ce_logits_labels_mean", "f32", "1024x1000", 0.8, None),
    ("bce_logits_mean", "f32", "65536", 0.8, None),
    ("mse_mean", "f32", "16777216", 0.8, None),
    ("softmax_vjp", "f32", "1024x1000", 0.8, None),
    ("softmax", "f64", "1024x1000", 0.6, "libtorch"),
    ("sigmoid", "f64", "65536", 0.6, "libtorch"),
    ("bce_logits_mean", "f64", "65536", 0.6, "libtorch"),
]
PEERS = ("oneDNN", "XNNPACK", "libtorch", "libm loop")


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 7 or cells[0] in ("function", "---"):
                continue
            try:
                ns = float(cells[4])
            except ValueError:
                continue
            rows.setdefault((cells[0], cells[1], cells[2]), {})[cells[3]] = ns
    return rows


def main():
    rows = load(sys.argv[1] if len(sys.argv) > 1 else "/dev/stdin")
    print("| row | best peer (ns/elem) | libnnmath best path (ns/elem) | ratio | goal | met |")
    print("|---|---|---|---:|---:|:-:|")
    for fn, dt, shape, goal, only in GOALS:
        r = rows.get((fn, dt, shape))
        name = f"{fn} {dt} {shape}"
        if r is None:
            print(f"| {name} | not measured | | | {goal} | |")
            continue
        peers = {k: v for k, v in r.items() if k in PEERS and (only is None or k == only)}
        ours = {k: v for k, v in r.items() if k.startswith("nnmath[") and k != "nnmath[scalar]"}
        if not ours:
            ours = {k: v for k, v in r.items() if k.startswith("nnmath[")}
        bo = min(ours, key=ours.get)
        if not peers:
            print(f"| {name} | no {only or 'peer'} measured | {bo} {ours[bo]:.3f} | | {goal} | n/a |")
            continue
        bp = min(peers, key=peers.get)
        ratio = ours[bo] / peers[bp]
        print(f"| {name} | {bp} {peers[bp]:.3f} | {bo} {ours[bo]:.3f} | {ratio:.2f} | "
              f"<= {goal} | {'yes' if ratio <= goal else 'no'} |")
    print()
    print("| 2^24-element row | libnnmath best path (ns/elem) | memcpy floor (ns/elem) | ratio | goal | met |")
    print("|---|---|---|---:|---:|:-:|")
    for (fn, dt, shape), r in sorted(rows.items()):
        if shape != "16777216":
            continue
        ours = {k: v for k, v in r.items() if k.startswith("nnmath[") and k != "nnmath[scalar]"}
        floor = r.get("memcpy (floor)")
        if not ours or floor is None:
            continue
        bo = min(ours, key=ours.get)
        ratio = ours[bo] / floor
        print(f"| {fn} {dt} | {bo} {ours[bo]:.3f} | {floor:.3f} | {ratio:.2f} | <= 1.1 | "
              f"{'yes' if ratio <= 1.1 else 'no'} |")


if __name__ == "__main__":
    main()
