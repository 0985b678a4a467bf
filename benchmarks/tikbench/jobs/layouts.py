"""L1: what the split layout costs. Two people side by side (scripts/layout-truth's "duo" clip, no sound):
the split path (two stacked 1080x960 halves) rendered against the single full-frame window on one of them,
both with --reframe-in of their own path (no analysis in either), timed in alternation."""
import os
import subprocess

from .. import common, runners
from ..common import INPUTS, ROOT, TIKCONV, WORK, log

IDS = ("L1",)
LAYOUT_TRUTH = os.path.join(ROOT, "scripts", "layout-truth")
SPLIT_CPU_GOAL = 1.10  # two halves cost at most 10% more CPU than one full-frame crop of the same clip
SPLIT, SINGLE = "tikconv split (render only)", "tikconv single (render only)"


def define(inputs, selected, seconds):
    if "L1" not in selected:
        return []
    clip = os.path.join(INPUTS, f"layout_duo_{seconds}s.mp4")
    if not os.path.exists(clip):
        log(f"  generating {os.path.relpath(clip, ROOT)}")
        common.run_quiet([LAYOUT_TRUTH, "make", "duo", clip, "--seconds", str(seconds)], common.generate_log())
    enc = ["--preset", "veryfast", "--crf", "23"]
    tools = []
    for layout, name in (("split", SPLIT), ("single", SINGLE)):
        out = os.path.join(WORK, f"L1_{layout}.mp4")
        tools.append({"tool": name, "out": out, "layout": layout, "path": os.path.join(WORK, f"L1_{layout}.json"),
                      "cmd": [TIKCONV, clip, "-o", out, "-y", "--reframe-in", os.path.join(WORK, f"L1_{layout}.json")] + enc})
    return [{"id": "L1", "title": "split layout (two halves) vs one full-frame window, render only", "kind": "layout-cost",
             "src": clip, "subject": SPLIT, "baseline": SINGLE, "tools": tools}]


def run(job, tikconv_state, opts):
    """Each layout's path first (--layout X --reframe-out, untimed), then the timed renders of those paths."""
    if tikconv_state == "ok":
        for t in job["tools"]:
            p = subprocess.run([TIKCONV, job["src"], "-o", t["out"], "-y", "--layout", t["layout"], "--reframe-out", t["path"],
                                "--preset", "ultrafast", "-q"], capture_output=True, text=True)
            if p.returncode != 0:
                raise RuntimeError(f"L1: tikconv --layout {t['layout']} failed: {p.stderr.strip()[-300:]}")
    res = runners.run_job(job, opts.pairs, tikconv_state, opts)
    res["notes"].append("paths made first, untimed: " + "; ".join(
        f"`tikconv {os.path.relpath(job['src'], ROOT)} --layout {t['layout']} --reframe-out {os.path.relpath(t['path'], ROOT)}`"
        for t in job["tools"]))
    return res


def reference(job, seconds):
    return None  # the two layouts frame different pictures: no common reference


def reference_line(res):
    return "- No SSIM/PSNR: the split and the single window show different pictures"


def goals(res, add):
    subj, base, have, why = common.subject_and_baseline(res)
    text = f"split CPU ≤ {SPLIT_CPU_GOAL:.2f}× one full-frame window"
    if have and base["cpu"] > 0:
        rc = subj["cpu"] / base["cpu"]
        add(text, rc <= SPLIT_CPU_GOAL, f"{rc:.2f}× ({subj['cpu']:.2f} s vs {base['cpu']:.2f} s)")
    else:
        add(text, None, f"not measured: {why}")
