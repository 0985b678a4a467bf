"""R1-R3: smart reframing. R1 runs the ground-truth clips of scripts/reframe-truth (the tool the end-to-end
tests use, run by Debian's python3, which has OpenCV) through --fit smart, crop and blur and finds the subjects
in each output; R2 and R3 time --fit smart against --fit crop."""
import json
import os
import subprocess

from .. import common, runners
from ..common import INPUTS, ROOT, TIKCONV, WORK, fmt, generate_log, log, run_quiet, shown
from ..measure import x264_floor

IDS = ("R1", "R2", "R3")
REFRAME_TRUTH = os.path.join(ROOT, "scripts", "reframe-truth")
REFRAME_SCENARIOS = ("still", "walk", "cut", "two", "object", "two-small")
# Scenarios with a retention goal; "two-small" (faces of 190 px, at the face cascade's limit at the
# analysis size) is measured and shown, without a goal.
RETENTION_GOAL_SCENARIOS = ("still", "walk", "cut", "two", "object")
RETENTION_GOAL = 0.95
STILL_MOTION_TOL_PX = 0.1  # what phase correlation of encoded pictures reads as "no motion"
CUT_LATENCY_GOAL = 1
REFRAME_CPU_GOAL, REFRAME_CPU_STRETCH, REFRAME_RSS_EXTRA_MB = 1.25, 1.10, 200
RENDER_ONLY = "tikconv --reframe-in (render only)"


def define(inputs, selected, seconds):
    wanted = REFRAME_SCENARIOS if "R1" in selected else ("walk",) if "R3" in selected else ()
    for sc in wanted:
        inputs["reframe_" + sc] = reframe_clip(sc, seconds)
    jobs = []
    if "R1" in selected:
        jobs.append({"id": "R1", "title": "smart reframing on ground-truth clips: subject retention, steadiness, cuts",
                     "kind": "reframe", "subject": "tikconv --fit smart", "baseline": None, "tools": [],
                     "clips": [(sc, inputs["reframe_" + sc]) for sc in REFRAME_SCENARIOS]})
    for jid, key, title in (("R2", "landscape", "J2's 1080p clip (testsrc2 + grain)"),
                            ("R3", "reframe_walk", "the walking-face ground-truth clip (1080p)")):
        if jid in selected:
            jobs.append({"id": jid, "title": f"cost of --fit smart vs --fit crop on {title}", "kind": "reframe-cost",
                         "src": inputs[key], "subject": "tikconv --fit smart", "baseline": "tikconv --fit crop",
                         "tools": [reframe_tool(inputs[key], fit, jid) for fit in ("smart", "crop", "render")]})
    return jobs


def reframe_clip(scenario, seconds):
    """A ground-truth clip and its truth file (scripts/reframe-truth writes both, the clip under a temporary
    name first); made once per length."""
    clip = os.path.join(INPUTS, f"reframe_{scenario}_{seconds}s.mp4")
    if not (os.path.exists(clip) and os.path.exists(truth_of(clip))):
        log(f"  generating {os.path.relpath(clip, ROOT)}")
        run_quiet([REFRAME_TRUTH, "make", scenario, clip, "--seconds", str(seconds)], generate_log())
    return clip


def truth_of(clip):
    return os.path.splitext(clip)[0] + ".truth.json"




def reframe_tool(src, fit, jid):
    """Smart (which also writes its path), crop, and the smart path rendered again without analysing
    (`--reframe-in`, run after smart in each round): smart − render = the analysis, render − crop = following
    the path instead of holding the centre (a moving picture costs x264 more than a still one)."""
    out = os.path.join(WORK, f"{jid}_{fit}.mp4")
    path = os.path.join(WORK, f"{jid}_path.json")
    enc = ["--preset", "veryfast", "--crf", "23", "--audio-bitrate", "128k"]
    if fit == "render":
        return {"tool": RENDER_ONLY, "out": out, "cmd": [TIKCONV, src, "-o", out, "-y", "--reframe-in", path] + enc}
    extra = ["--reframe-out", path] if fit == "smart" else []
    return {"tool": f"tikconv --fit {fit}", "out": out, "cmd": [TIKCONV, src, "-o", out, "-y", "--fit", fit] + enc + extra}


def run(job, tikconv_state, opts):
    if job["kind"] == "reframe":
        return run_retention(job, tikconv_state, opts)
    res = runners.run_job(job, opts.pairs, tikconv_state, opts)
    res["clip_seconds"] = opts.seconds
    return res


def reference(job, seconds):
    return None  # smart and crop frame different windows: no common reference


def reference_line(res):
    if res["kind"] == "reframe":
        return "- No SSIM/PSNR: the outputs are judged by finding the subjects in them (see “Smart reframing” above)"
    return "- No SSIM/PSNR: smart and crop frame different windows"


def note_lines(res):
    """R1: the command of every clip and fit."""
    return [f"- {r['scenario']} {r['fit']}: `{r['cmd']}`" + (f" → **{r['error']}**" if r.get("error") else "")
            for r in res.get("rows", [])]


def measure(job, res):
    reframe_encoder_floor(job, res)


def reframe_encoder_floor(job, res):
    """R2/R3: x264 alone (tikconv's settings, read from each output) on smart's and on crop's own frames, each
    timed alone: how much of smart's extra CPU is the encoder's, before any analysis or drawing."""
    floors = {}
    for t in job["tools"]:
        if t["tool"] in (job["subject"], job["baseline"]) and res["tools"][t["tool"]].get("status") == "ok":
            f = x264_floor(t["out"], tag=f"{job['id']}_{t['tool'].split()[-1].lstrip('-')}")
            if f:
                floors[t["tool"]] = f
    sm, cr = floors.get(job["subject"]), floors.get(job["baseline"])
    if sm and cr:
        res["encoder_floor"] = {"smart": sm["cpu"], "crop": cr["cpu"], "smart_wall": sm["wall"], "crop_wall": cr["wall"]}
        res["notes"].append(f"x264 alone on each output's own frames (tikconv's settings): smart's {sm['cpu']:.2f} CPU-s "
                            f"({sm['wall']:.2f} s wall), crop's {cr['cpu']:.2f} CPU-s ({cr['wall']:.2f} s wall) — "
                            f"{sm['cpu'] / cr['cpu']:.2f}×: what the encoder charges for the picture smart makes")



def run_retention(job, tikconv_state, opts):
    """R1: every ground-truth clip through --fit smart, crop and blur (untimed), each output measured by
    scripts/reframe-truth: the share of frames with every required subject wholly inside, the zoom it is
    shown at, the window's motion while the subject stands still, and frames from a cut to the new window."""
    res = {"id": job["id"], "title": job["title"], "kind": "reframe", "subject": job["subject"], "baseline": None,
           "tools": {}, "notes": [], "rows": [], "status": tikconv_state}
    if tikconv_state != "ok":
        return res
    step = 3 if opts.quick else 1
    res["notes"].append("every output frame matched" if step == 1 else
                        "every third output frame matched, and every frame around a cut (--quick)")
    for scenario, clip in job["clips"]:
        for fit in ("smart", "crop", "blur"):
            out = os.path.join(WORK, f"R1_{scenario}_{fit}.mp4")
            cmd = [TIKCONV, clip, "-o", out, "-y", "--fit", fit, "--preset", "veryfast", "--crf", "23", "--json", "--progress", "none"]
            row = {"scenario": scenario, "fit": fit, "cmd": shown(cmd)}
            res["rows"].append(row)
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0:
                row["error"] = f"tikconv failed (exit {p.returncode}): {p.stderr.strip()[-300:]}"
                log(f"    {scenario} {fit}: {row['error']}")
                continue
            try:
                row["shots"] = json.loads(p.stdout)["outputs"][0].get("shots")
            except (ValueError, KeyError, IndexError):
                row["shots"] = None
            m = subprocess.run([REFRAME_TRUTH, "measure", out, truth_of(clip), "--step", str(step)], capture_output=True, text=True)
            if m.returncode != 0:
                row["error"] = f"measure failed: {m.stderr.strip()[-300:]}"
            else:
                row.update(json.loads(m.stdout))
            os.remove(out)
            log(f"    {scenario:<9} {fit:<5} retention {fmt(row.get('retention'), '.1%')}  size {fmt(row.get('size_factor'), '.2f')}  "
                f"still motion {fmt(row.get('still_motion_px'), '.3f')} px  cut latency {fmt(row.get('cut_latency_frames'), 'd')}")
    return res


def retention_row(res, scenario, fit):
    return next((r for r in res.get("rows", []) if r["scenario"] == scenario and r["fit"] == fit), {})


def goals(res, add):
    if res["kind"] == "reframe":
        retention_goals(res, add)
    else:
        cost_goals(res, add)


def cost_goals(res, add):
    """R2/R3: smart's CPU, memory and speed against crop's."""
    subj, base, have, why = common.subject_and_baseline(res)
    if have and base["cpu"] > 0:
        rc = subj["cpu"] / base["cpu"]
        add(f"CPU ≤ {REFRAME_CPU_GOAL:.2f}× --fit crop", rc <= REFRAME_CPU_GOAL, f"{rc:.2f}×")
        add(f"stretch: CPU ≤ {REFRAME_CPU_STRETCH:.2f}× --fit crop", rc <= REFRAME_CPU_STRETCH, f"{rc:.2f}×")
        add(f"peak RSS ≤ --fit crop's + {REFRAME_RSS_EXTRA_MB} MB", subj["rss_mb"] <= base["rss_mb"] + REFRAME_RSS_EXTRA_MB,
            f"{subj['rss_mb']:.0f} MB vs crop {base['rss_mb']:.0f} MB ({subj['rss_mb'] - base['rss_mb']:+.0f} MB)")
        clip = res.get("clip_seconds")
        add("faster than real time (wall < clip length)", subj["wall"] < clip if clip else None,
            f"{subj['wall']:.2f} s for {clip:.1f} s" if clip else "clip length unknown")
    else:
        add(f"CPU ≤ {REFRAME_CPU_GOAL:.2f}× --fit crop, RSS, real time", None, f"not measured: {why}")


def retention_goals(res, add):
    """R1's goals: retention per scenario, no motion while still, the new window on a cut."""
    if res.get("status") != "ok":
        add(f"subject retention ≥ {RETENTION_GOAL:.0%} (smart)", None, f"not measured: tikconv {res.get('status')}")
        return
    for sc in RETENTION_GOAL_SCENARIOS:
        r = retention_row(res, sc, "smart")
        ret = r.get("retention")
        add(f"{sc}: subject retention ≥ {RETENTION_GOAL:.0%} (smart)", None if ret is None else ret >= RETENTION_GOAL,
            f"{ret:.1%}" if ret is not None else r.get("error", "not measured"))
    motions = [(sc, retention_row(res, sc, "smart").get("still_motion_px")) for sc in ("still", "cut", "two")]
    motions = [(sc, m) for sc, m in motions if m is not None]
    if motions:
        worst = max(m for _, m in motions)
        add("window motion while the subject is still = 0 px (smart)", worst <= STILL_MOTION_TOL_PX,
            ", ".join(f"{sc} {m:.3f} px" for sc, m in motions) + f" (phase correlation; ≤ {STILL_MOTION_TOL_PX} px reads as none)")
    cut = retention_row(res, "cut", "smart")
    if "cut_latency_frames" in cut:
        lat = cut["cut_latency_frames"]
        add(f"new window within {CUT_LATENCY_GOAL} frame of a cut (smart)", lat is not None and lat <= CUT_LATENCY_GOAL and
            cut.get("before_cut_kept") is True,
            f"{lat} frames" if lat is not None else "the new subject never framed" +
            ("" if cut.get("before_cut_kept") else "; the old subject was lost before the cut"))




def report_section(results):
    """R1's table (scenario by fit) and R2/R3's costs side by side."""
    r1 = next((r for r in results if r["kind"] == "reframe"), None)
    costs = [r for r in results if r["kind"] == "reframe-cost"]
    if not r1 and not costs:
        return []
    lines = ["## Smart reframing\n"]
    if r1 and r1.get("status") != "ok":
        lines.append(f"R1 not measured: tikconv {r1.get('status')}.\n")
    elif r1:
        lines.append("R1: ground-truth clips (`scripts/reframe-truth make`: the astronaut photograph of `Tests/Fixtures/reframe` "
                 "composited by ffmpeg on photographed textures at known positions, 1920x1080, 30 fps) through tikconv with each "
                 "fit; each output is then searched for every subject that must be seen (`scripts/reframe-truth measure`: "
                 "OpenCV template matching against the subject as it looks in the source, scaled by the crop's zoom 1.78× and "
                 "the whole picture's 0.56×). Retention = share of frames with every required subject wholly inside (score "
                 "≥ 0.85), with the zoom it was found at; window motion = the largest shift between output pictures in a still "
                 "stretch (phase correlation, source pixels); cut latency = output frames from the cut to the first with the "
                 "new subject inside. “two-small” is “two” with faces of 190 px (31 px at the 480-px analysis size), which the "
                 "face cascade finds only now and then: it shows the detector's limit and has no goal.\n")
        lines.append("| clip | smart: shots (mode, follows) | smart retention | window motion while still | cut latency | "
                 "crop retention | blur retention |")
        lines.append("|---|---|---:|---:|---:|---:|---:|")

        def ret(r):
            if r.get("error") or r.get("retention") is None:
                return "failed" if r.get("error") else "—"
            return f"{r['retention']:.1%}" + (f" at {r['size_factor']:.2f}×" if r.get("size_factor") else "")
        for sc in REFRAME_SCENARIOS:
            sm, cr, bl = (retention_row(r1, sc, f) for f in ("smart", "crop", "blur"))
            shots = "; ".join(f"{x['start']:g}–{x['end']:g} s {x['mode']} ({x['follows']})" for x in sm.get("shots") or []) or "—"
            motion = fmt(sm.get("still_motion_px"), ".3f") + (" px" if sm.get("still_motion_px") is not None else "")
            lat = sm.get("cut_latency_frames", "—") if "cut_frame" in sm else "—"
            lines.append(f"| {sc} | {shots} | {ret(sm)} | {motion} | {lat} | {ret(cr)} | {ret(bl)} |")
        lines.append("")
    if costs:
        lines.append("R2/R3: `--fit smart` (the analysis pass, then the render along the path) against `--fit crop` on the same "
                 "clip, timed in alternation like the other jobs (medians; peak RSS the largest run).\n")
        lines.append("The third timed tool renders smart's own path again with `--reframe-in` (no analysis), which splits "
                 "smart's extra CPU into the analysis pass (smart − render only) and following the path rather than "
                 "holding the centre (render only − crop: x264 spends more on a moving picture than on a still one).\n")
        lines.append("x264 alone: the encoder by itself (ffmpeg reading each output's decoded frames, tikconv's x264 settings) on "
                 "smart's frames and on crop's — the cost of the picture itself, which no analysis or drawing can lower.\n")
        lines.append("| job | clip | smart CPU s | render only CPU s | crop CPU s | CPU ratio | analysis CPU s per clip s | "
                 "x264 alone: smart / crop CPU s | smart wall s (clip s) | smart / crop peak RSS MB |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in costs:
            sm, cr = r["tools"].get(r["subject"], {}), r["tools"].get(r["baseline"], {})
            ro = r["tools"].get(RENDER_ONLY, {})
            if sm.get("status") != "ok" or cr.get("status") != "ok":
                lines.append(f"| {r['id']} | {r['title']} | {sm.get('status')} | — | {cr.get('status')} | — | — | — | — | — |")
                continue
            clip = r.get("clip_seconds") or 0
            rcpu = ro.get("cpu") if ro.get("status") == "ok" else None
            per_s = (sm["cpu"] - rcpu) / clip if (rcpu is not None and clip) else None
            lines.append(f"| {r['id']} | {r['title']} | {sm['cpu']:.2f} | {fmt(rcpu, '.2f', ro.get('status', '—'))} | {cr['cpu']:.2f} | "
                     f"{sm['cpu'] / cr['cpu']:.2f}× | {fmt(per_s, '.2f')} | {floor_pair(r)} | {sm['wall']:.2f} ({clip:g}) | "
                     f"{sm['rss_mb']:.0f} / {cr['rss_mb']:.0f} |")
        lines.append("")
    return lines


def floor_pair(r):
    f = r.get("encoder_floor")
    return f"{f['smart']:.2f} / {f['crop']:.2f} ({f['smart'] / f['crop']:.2f}×)" if f else "—"

