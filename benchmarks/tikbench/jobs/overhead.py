"""R4: smart reframing's analysis overhead on real footage nobody here shot.

Analysis overhead = the CPU of a smart conversion ÷ the CPU of the same crop path rendered without
analysing (`--reframe-in` of the smart run's own `--reframe-out`): both encode the same pictures, so the
ratio is what finding shots and subjects costs. Goal ≤ 1.10×, medians of alternating runs. The clip is
opencv-doc's Megamind.avi (real dialogue, four shots, faces), fetched into a cache by scripts/real-footage.
R2 and R3 carry the same goal (reframe.cost_goals).
"""
import os
import subprocess

from .. import runners
from ..common import ROOT
from . import reframe

IDS = ("R4",)
CLIP_SECONDS = 11.26


def fetch_clip():
    """Megamind.avi's path in scripts/real-footage's cache (fetched from opencv-doc when missing)."""
    p = subprocess.run([os.path.join(ROOT, "scripts", "real-footage"), "--fetch", "--only", "megamind"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    path = p.stdout.strip().splitlines()[-1] if p.returncode == 0 and p.stdout.strip() else ""
    if not os.path.isfile(path):
        raise RuntimeError(f"R4: cannot fetch Megamind.avi: {p.stderr.strip()[-300:]}")
    return path


def define(inputs, selected, seconds):
    if "R4" not in selected:
        return []
    src = fetch_clip()
    return [{"id": "R4", "title": "analysis overhead of --fit smart on real footage (opencv-doc's Megamind.avi, 11 s)",
             "kind": "reframe-cost", "src": src, "subject": "tikconv --fit smart", "baseline": "tikconv --fit crop",
             "tools": [reframe.reframe_tool(src, fit, "R4") for fit in ("smart", "crop", "render")]}]


def run(job, tikconv_state, opts):
    res = runners.run_job(job, opts.pairs, tikconv_state, opts)
    res["clip_seconds"] = CLIP_SECONDS
    return res


def goals(res, add):
    reframe.cost_goals(res, add)


def reference(job, seconds):
    """No SSIM reference: R4 measures cost; the output's framing is checked by scripts/real-footage."""
    return None
