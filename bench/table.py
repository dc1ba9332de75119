#!/usr/bin/env python3
"""Prints the benchmark table from bench/run.sh's results: pol, the hand-written floor and the
CEL peer side by side, each ratio against its target (docs/performance.md).

usage: table.py RESULTS_DIR PODS BIG_FILE_PODS
"""
import json
import os
import sys

results, pods, big = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def benchmarks(name):
    """name -> counters: the median of the repetitions, or the single run in smoke mode."""
    with open(os.path.join(results, name)) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        out[b["run_name"]] = b
    return data["context"], out


context, load = benchmarks("load.json")
_, evaluation = benchmarks("eval.json")
peer = None
if os.path.exists(os.path.join(results, "peer.json")):
    with open(os.path.join(results, "peer.json")) as f:
        peer = json.load(f)
with open(os.path.join(results, "cli.jsonl")) as f:
    cli = {r["name"]: r for r in map(json.loads, f)}

us = lambda b: b["per_pod"] * 1e6  # per_pod is seconds per pod
rate = lambda b: b["items_per_second"]
mb = lambda b: b["bytes_per_second"] / 1e6

yaml_pod, yaml_cpp = load["load_each/yaml_per_pod"], load["load_each_yaml_cpp"]
json_pod, yaml_file = load["load_each/json_per_pod"], load["load_stream/yaml_file"]
pol1, pol2 = evaluation["evaluate/real_time/threads:1"], evaluation["evaluate/real_time/threads:2"]
floor, load_eval = evaluation["floor"], evaluation["load_and_evaluate_json/0"]
jit, load_eval_jit = evaluation.get("evaluate_jit/1"), evaluation.get("load_and_evaluate_json_jit/1")
jit_first = evaluation.get("evaluate_jit_first_tier/0")
jit_decide = evaluation.get("decide_jit")
mutate = evaluation["mutate_welkin"]

rows = []  # what, per pod (µs), pods/s, compared with, target, met


def row(what, per_pod, pods_per_s, compared="", target="", met=None):
    rows.append((what, f"{per_pod:.2f} µs" if per_pod is not None else "",
                 f"{pods_per_s / 1000:.1f}k" if pods_per_s else "", compared, target,
                 "" if met is None else ("met" if met else "NOT MET")))


row("YAML load (libyaml -> document)", us(yaml_pod), rate(yaml_pod), f"{mb(yaml_pod):.0f} MB/s", ">= 50 MB/s",
    mb(yaml_pod) >= 50)
row("YAML load (yaml-cpp, not used)", us(yaml_cpp), rate(yaml_cpp), f"{us(yaml_cpp) / us(yaml_pod):.1f}x pol's load")
row("JSON load (simdjson -> document)", us(json_pod), rate(json_pod), f"{mb(json_pod):.0f} MB/s")
ratio = us(pol1) / us(floor)
row("restricted:latest, pol", us(pol1), rate(pol1), f"{ratio:.1f}x the floor", "<= 3x the floor", ratio <= 3)
row("restricted:latest, floor (C++)", us(floor), rate(floor), "hand-written, same decisions")
if peer:
    faster = peer["per_pod_us"] / us(pol1)
    row(f"restricted:latest, CEL ({peer['peer']})", peer["per_pod_us"], 1e6 / peer["per_pod_us"],
        f"pol {faster:.1f}x faster", "pol >= 8x faster", faster >= 8)
else:
    row("restricted:latest, CEL peer", None, None, "not run (no node/npm)")
if jit:  # the JIT (docs/jit.md), when the build has it
    ratio = us(jit) / us(floor)
    row("restricted:latest, pol --engine jit", us(jit), rate(jit), f"{ratio:.1f}x the floor", "<= 1.2x the floor",
        ratio <= 1.2)
    if jit_first:
        row("  its first tier (until 100,000 documents)", us(jit_first), rate(jit_first),
            f"{us(jit_first) / us(floor):.1f}x the floor")
    if jit_decide:  # compiled code alone: which checks fail, the floor's output (no messages)
        row("  its decisions alone, as the floor's", us(jit_decide), rate(jit_decide),
            f"{us(jit_decide) / us(floor):.1f}x the floor")
    if peer:
        faster = peer["per_pod_us"] / us(jit)
        row("  the JIT against CEL", None, None, f"pol {faster:.1f}x faster", "pol >= 20x faster", faster >= 20)
    for name, b in sorted(evaluation.items()):
        if name.startswith("jit_compile/") and "error_occurred" not in b:
            policy = name.split('/')[1]
            optimized = evaluation.get(f"jit_compile_optimized/{policy}", {})
            second = f", optimized {optimized['real_time']:.0f} ms" if "real_time" in optimized else ""
            row(f"  compiling {policy} ({int(b['compiled'])} of {int(b['checks'])} checks)", None, None,
                f"{b['real_time']:.0f} ms{second}", "<= 100 ms" if policy == "restricted" else "",
                b["real_time"] <= 100 if policy == "restricted" else None)
scaling = rate(pol2) / rate(pol1)
row("restricted:latest, pol, 2 threads", None, rate(pol2), f"{scaling:.2f}x one thread", ">= 1.8x", scaling >= 1.8)
row("JSON load + restricted:latest", us(load_eval), rate(load_eval), "a gateway's request", "<= 5 µs", us(load_eval) <= 5)
if load_eval_jit:
    row("JSON load + restricted:latest, JIT", us(load_eval_jit), rate(load_eval_jit), "a gateway's request", "<= 3.5 µs",
        us(load_eval_jit) <= 3.5)
row("policies/welkin.pol mutations", us(mutate), rate(mutate))
threads = os.cpu_count() or 1
# Load-only on all cores: one file is read in parts (Documents::read_file_parts), files each apart.
for name, what, load_rate, readers in (
        ("file", f"pol check, one {big:,}-pod YAML file", rate(yaml_file) * threads, threads),
        ("folder", f"pol check, folder of {pods:,} files", rate(yaml_pod) * min(threads, pods), min(threads, pods))):
    r = cli[name]
    throughput = r["pods"] / r["seconds"]
    share = throughput / load_rate
    row(what, None, throughput, f"{share:.0%} of load-only ({readers} reader{'s' if readers > 1 else ''})",
        ">= 80%", share >= 0.8)
small, large = cli.get("json_small"), cli.get("json_big")
if small:
    per_pod = small["seconds"] / small["pods"] * 1e6
    if peer and "parse_per_pod_us" in peer:
        faster = peer["parse_per_pod_us"] / per_pod
        row(f"pol check, {small['pods']:,}-pod JSON file", per_pod, 1e6 / per_pod,
            f"cel-js + JSON.parse {peer['parse_per_pod_us']:.1f} µs: pol {faster:.1f}x", "pol >= 8x faster", faster >= 8)
    else:
        row(f"pol check, {small['pods']:,}-pod JSON file", per_pod, 1e6 / per_pod, "cel-js not run")
if large:
    ratio = large["peak_bytes"] / large["bytes"]
    row(f"pol check, {large['pods']:,}-pod JSON file", None, large["pods"] / large["seconds"],
        f"peak {large['peak_bytes'] / 1e6:.0f} MB, {ratio:.1f}x its {large['bytes'] / 1e6:.0f} MB", "<= 1.5x its size",
        ratio <= 1.5)

cpu = context.get("host_name", "")
try:
    with open("/proc/cpuinfo") as f:
        cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
except (OSError, StopIteration):
    pass
repetitions = "median of 5 runs" if any(b.get("run_type") == "aggregate" for b in evaluation.values()) else "one run"
print(f"pol benchmark: {pods:,} generated pods ({os.path.getsize(os.path.join('bench/.corpus', str(pods), 'pods.yaml')) // pods:,} "
      f"bytes of YAML each), {cpu}, {context['num_cpus']} cores, {repetitions}")
headers = ("", "per pod", "pods/s", "compared with", "target", "")
widths = [max(len(r[i]) for r in rows + [headers]) for i in range(len(headers))]
for r in [headers] + rows:
    print("  ".join(cell.ljust(w) if i != 1 and i != 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths))).rstrip())
