"""Ratios between tools, the peer's rate-quality curve, and the goals the tiktok jobs share (each job module
adds its own)."""
import math
import os

from . import jobs
from .common import (CPU_GOAL, CURVE_JOBS, FF, FLOOR_GOAL, RSS_PEER_JOBS, SAME, SSIM_TOL, TIKTOK_ENC, WORK,
                     chain_for, job_base, med, run_quiet, subject_and_baseline)
from .measure import contract_args, quality


def pair_ratios(a, b):
    """Medians of a ÷ b over the timed runs paired in run order (the alternation makes them neighbours)."""
    if a.get("status") != "ok" or b.get("status") != "ok":
        return None
    ar = [r for r in a["runs"] if not r["warmup"]]
    br = [r for r in b["runs"] if not r["warmup"]]
    cpu = [x["cpu"] / y["cpu"] for x, y in zip(ar, br) if x.get("cpu") and y.get("cpu")]
    wall = [x["wall"] / y["wall"] for x, y in zip(ar, br) if y["wall"]]
    return {"cpu": med(cpu), "wall": med(wall)} if cpu and wall else None


PEER_CRFS = (22, 24)  # extra untimed peer encodes around CRF 23, to trace its rate-quality curve


def peer_at_subject_size(job, ref, subj, base, settings):
    """ffmpeg's SSIM at tikconv's file size, read off the peer's rate-quality curve.

    A point comparison ("SSIM within 0.002 at equal or smaller size") cannot tell a less efficient
    encode from one that sits elsewhere on the same curve: a 2-s GOP or a VBV moves the operating
    point (size and SSIM together). So the peer is also encoded at CRF 22 and 24 (untimed; same chain
    and settings, tikconv's GOP and VBV included) and its SSIM is interpolated, linearly in log(size), at
    tikconv's size."""
    opt, chain = chain_for(job["fit"], job.get("pre"))
    pts = [(base["size_mb"], base["ssim"], 23)]
    for crf in PEER_CRFS:
        out = os.path.join(WORK, f"{job['id']}_ffmpeg_crf{crf}.mp4")
        enc = list(TIKTOK_ENC)
        enc[enc.index("-crf") + 1] = str(crf)
        lf = os.path.join(WORK, f"{job['id']}_ffmpeg_crf{crf}.log")
        if run_quiet(FF + ["-i", job["src"], opt, chain] + enc + contract_args(settings) + [out], lf, check=False) != 0:
            return {"error": f"peer CRF {crf} encode failed"}
        q = quality(out, ref, os.path.join(WORK, f"{job['id']}_ffmpeg_crf{crf}_ssim.log"))
        if q.get("ssim") is None:
            return {"error": f"peer CRF {crf}: {q.get('qerr')}"}
        pts.append((os.path.getsize(out) / 1e6, q["ssim"], crf))
        os.remove(out)
    pts.sort()
    x = math.log(subj["size_mb"])
    xs = [math.log(p[0]) for p in pts]
    i = 0 if x <= xs[1] else 1  # segment [i, i+1]; beyond the ends, extend the nearest one
    t = (x - xs[i]) / (xs[i + 1] - xs[i]) if xs[i + 1] != xs[i] else 0.0
    peer = pts[i][1] + t * (pts[i + 1][1] - pts[i][1])
    return {"points": [{"crf": c, "size_mb": sz, "ssim": q} for sz, q, c in pts], "peer_ssim": peer,
            "delta": subj["ssim"] - peer, "extrapolated": not (xs[0] <= x <= xs[-1])}



def goals_for(res, floors=None):
    """List of (goal text, status 'pass'/'miss'/'n/a', measured text)."""
    goals = []

    def add(text, ok, measured):
        goals.append((text, "n/a" if ok is None else "pass" if ok else "miss", measured))

    shared_goals(res, (floors or {}).get(res["id"]), add)
    own = jobs.hook(res["id"], "goals")
    if own:
        own(res, add)
    return goals


def shared_goals(res, floor, add):
    """CPU against the peer and against the floor, peak RSS, SSIM on the peer's rate-quality curve."""
    base_id = job_base(res["id"])
    subj, base, have, why = subject_and_baseline(res)
    # "The peer": the ffmpeg recipe at tikconv's x264 settings (the header of RESULTS.md says so).
    peer = "the peer" if res["baseline"] == SAME else res["baseline"]
    if base_id in CPU_GOAL:
        g = CPU_GOAL[base_id]
        text = f"CPU ≤ {g:.2f}× {peer}"
        if have and base["cpu"] > 0:
            rc = subj["cpu"] / base["cpu"]
            add(text, rc <= g, f"{rc:.2f}× ({subj['cpu']:.2f} s vs {base['cpu']:.2f} s)")
        else:
            add(text, None, f"not measured: {why}")
    if floor and floor.get("floor_same_cpu") and base_id not in CURVE_JOBS and have and base["cpu"] > 0:
        # J8/J9: no floor goal of their own; the floor shows how low the CPU ratio could go at all.
        fl = floor["floor_same_cpu"] + floor["audio"]["cpu"]
        note = (f"floor (decode + x264 at tikconv's settings + AAC, each alone) {fl:.2f} CPU s = "
                f"{fl / base['cpu']:.2f}× the peer; tikconv {subj['cpu'] / fl:.2f}× the floor")
        if note not in res["notes"]:
            res["notes"].append(note)
    if res.get("floor_job") and base_id in CURVE_JOBS:
        text = f"CPU ≤ {FLOOR_GOAL:.2f}× the floor (decode + x264 at tikconv's settings + AAC, each alone)"
        if floor and floor.get("floor_same_cpu") and subj.get("status") == "ok":
            fl = floor["floor_same_cpu"] + floor["audio"]["cpu"]
            add(text, subj["cpu"] <= FLOOR_GOAL * fl, f"{subj['cpu'] / fl:.2f}× ({subj['cpu']:.2f} s vs {fl:.2f} s)")
        else:
            add(text, None, "not measured: " + ("no floor (--no-floor or it failed)" if subj.get("status") == "ok" else why))
    if base_id in RSS_PEER_JOBS:
        text = f"peak RSS ≤ {peer}'s"
        if have:
            add(text, subj["rss_mb"] <= base["rss_mb"], f"{subj['rss_mb']:.0f} MB vs {base['rss_mb']:.0f} MB")
        else:
            add(text, None, f"not measured: {why}")
    if base_id in CURVE_JOBS:
        text = f"SSIM at tikconv's size within {SSIM_TOL} of {peer}'s rate–quality curve"
        m = res.get("matched")
        if m and not m.get("error"):
            add(text, m["delta"] >= -SSIM_TOL, f"tikconv {subj['ssim']:.4f} at {subj['size_mb']:.2f} MB vs the curve's "
                f"{m['peer_ssim']:.4f} ({m['delta']:+.4f}{', extrapolated' if m['extrapolated'] else ''})")
        else:
            add(text, None, f"not measured: {(m or {}).get('error') or subj.get('qerr') or why}")
