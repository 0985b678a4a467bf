"""The command line of benchmarks/run (and `make bench`)."""
import argparse
import datetime
import json
import os
import shutil
import sys
import time

from . import jobs, runners
from .chart import draw_chart
from .common import GNU_TIME, HERE, J4_FIT, ROOT, RUN_TIMEOUT, STANDIN_STATE, TIKCONV, WORK, log, run_quiet
from .inputs import landscape
from .report import machine_info, versions, write_results
from .stats import goals_for


def parse(argv):
    ap = argparse.ArgumentParser(description="tikconv vs ffmpeg CLI benchmark")
    ap.add_argument("--pairs", type=int, help="timed tikconv/ffmpeg pairs per job after a warm-up (default 5; --quick 2)")
    ap.add_argument("--jobs", default=",".join(jobs.ALL_JOBS), help="subset, e.g. J1,J3,R1 (J8 runs both HLG and PQ)")
    ap.add_argument("--quick", action="store_true", help="smoke run: 3 s inputs, 2 pairs, 1 floor run")
    ap.add_argument("--seconds", type=int, help="input length in seconds (default 10; --quick 3)")
    ap.add_argument("--no-build", action="store_true", help="do not run swift build; use .build/release/tikconv as is")
    ap.add_argument("--j4-fit", choices=["pad", "blur"], default="pad",
                    help="fit for the J4 phone clip (its display aspect is already 9:16, so pad is a pure scale)")
    ap.add_argument("--timeout", type=float, default=1800, help="kill a single run after this many seconds (default 1800)")
    ap.add_argument("--no-floor", action="store_true", help="skip the floor measurements")
    ap.add_argument("--standin-args", default=os.environ.get("NEMO_STANDIN_ARGS", "--port {port} --latency --mp4 {mp4}"),
                    help="arguments for .build/release/nemo-standin; {port} and {mp4} are replaced (env NEMO_STANDIN_ARGS)")
    ap.add_argument("--cloud-env", action="append", default=[], metavar="KEY=VALUE",
                    help="extra environment for the cloud run (repeatable)")
    ap.add_argument("--report-only", metavar="JSON", help="only rewrite the report and chart from a results.json")
    ap.add_argument("--results", default=os.path.join(HERE, "RESULTS.md"), help="where to write the report")
    opts = ap.parse_args(argv)
    opts.pairs = opts.pairs if opts.pairs is not None else (2 if opts.quick else 5)
    opts.seconds = opts.seconds if opts.seconds is not None else (3 if opts.quick else 10)
    opts.jobs = [j.strip().upper() for j in opts.jobs.split(",") if j.strip()]
    bad = [j for j in opts.jobs if j not in jobs.ALL_JOBS]
    if bad or opts.pairs < 1 or opts.seconds < 1:
        ap.error(f"bad --jobs {bad}" if bad else "--pairs and --seconds must be ≥ 1")
    J4_FIT[0] = opts.j4_fit
    RUN_TIMEOUT[0] = opts.timeout
    opts.cloud_env = dict(kv.split("=", 1) for kv in opts.cloud_env)
    return opts


def build_tikconv(opts):
    if opts.no_build:
        return "ok" if os.access(TIKCONV, os.X_OK) else "not built"
    blog = os.path.join(WORK, "build.log")
    # As `make build` builds it: with its own Swift runtime linked in (see the Makefile).
    log("building: swift build -c release --static-swift-stdlib --product tikconv")
    rc = run_quiet(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "tikconv"], blog, check=False, cwd=ROOT) \
        if shutil.which("swift") else 127
    if rc != 0:
        # Do not measure a stale binary left by an earlier build.
        log(f"  swift build failed ({rc}); see {os.path.relpath(blog, ROOT)}")
        return f"not built (swift build failed, see {os.path.relpath(blog, ROOT)})"
    # Smart reframing's OpenCV code is a shared library the binary opens on first use (next to it).
    log("building: swift build -c release --static-swift-stdlib --product TikconvVision")
    if run_quiet(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "TikconvVision"], blog, check=False, cwd=ROOT) != 0:
        log(f"  swift build of TikconvVision failed; see {os.path.relpath(blog, ROOT)}")
        return f"not built (TikconvVision build failed, see {os.path.relpath(blog, ROOT)})"
    # The stand-in is optional: build it if the package has it, ignore failure (J7 then reports "not available").
    if "J7" in opts.jobs and "nemo-standin" in open(os.path.join(ROOT, "Package.swift")).read():
        log("building: swift build -c release --product nemo-standin")
        if run_quiet(["swift", "build", "-c", "release", "--product", "nemo-standin"],
                     os.path.join(WORK, "build-standin.log"), check=False, cwd=ROOT) != 0:
            STANDIN_STATE[0] = "not available (nemo-standin build failed, see benchmarks/work/build-standin.log)"
    return "ok" if os.access(TIKCONV, os.X_OK) else "not built"


def chart_path(opts):
    return os.path.join(os.path.dirname(os.path.abspath(opts.results)), "chart.png")


def report_only(opts):
    """Rewrite RESULTS.md and chart.png from saved figures."""
    data = json.load(open(opts.report_only))
    o = data["meta"]["opts"]
    opts.quick, opts.seconds, opts.pairs = o["quick"], o["seconds"], o["pairs"]
    draw_chart(chart_path(opts), data["results"], data["floors"])
    write_results(opts.results, data["results"], data["floors"], data["meta"], opts)
    log(f"wrote {opts.results}")


def run_all(opts, tikconv_state):
    """Every selected job, in the registry's order, with its floor; (results, floors, floor runs)."""
    log(f"inputs ({opts.seconds} s):")
    inputs = {"landscape": landscape(opts.seconds)}
    selected = [job for module in jobs.MODULES for job in module.define(inputs, opts.jobs, opts.seconds)]
    floor_runs = 1 if opts.quick else min(opts.pairs, 3)
    results, floors = [], {}
    for job in selected:
        log(f"{job['id']}: {job['title']}")
        results.append(runners.run(job, tikconv_state, opts))
        if job.get("floor") and not opts.no_floor:
            try:
                floors[job["id"]] = runners.floor(job, floor_runs, results[-1].get("x264_settings"))
            except RuntimeError as e:
                log(f"  floor failed: {e}")
    return results, floors, floor_runs


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    opts = parse(argv)
    for tool in (GNU_TIME, shutil.which("ffmpeg"), shutil.which("ffprobe")):
        if not tool or not os.access(tool, os.X_OK):
            sys.exit("need /usr/bin/time (apt-get install -y time), ffmpeg and ffprobe")
    if opts.report_only:
        return report_only(opts)
    os.makedirs(WORK, exist_ok=True)
    t_start = time.time()
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine = machine_info()
    tikconv_state = build_tikconv(opts)
    log(f"tikconv: {tikconv_state}")
    results, floors, floor_runs = run_all(opts, tikconv_state)
    machine["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    meta = {"date": date, "machine": machine, "versions": versions(), "tikconv": tikconv_state,
            "elapsed": time.time() - t_start, "argv": argv, "floor_runs": floor_runs,
            "opts": {"quick": opts.quick, "seconds": opts.seconds, "pairs": opts.pairs}}
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump({"meta": meta, "results": results, "floors": floors}, f, indent=1, default=str)
    chart = draw_chart(chart_path(opts), results, floors)
    write_results(opts.results, results, floors, meta, opts)
    log(f"wrote {os.path.relpath(opts.results, os.getcwd())}" + (" and chart.png" if chart else "")
        + f" in {meta['elapsed']:.0f} s")
    for res in results:
        for text, st, measured in goals_for(res, floors):
            log(f"  {res['id']}: {st:<4} {text} ({measured})")
