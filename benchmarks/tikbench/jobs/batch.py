"""B1: batch throughput (docs/SCALE.md).

Many short clips (8 of 2 s, 1280x720 with sound) converted as one batch with the
default settings, `tikconv in/ -o out/`, at --jobs 1, --jobs 2 and --jobs auto. Reported per
setting: wall, CPU (user+sys), peak RSS, total output size, and clips per minute. Goals: --jobs
auto is not slower than --jobs 1 (wall ≤ 1.05×); the three make the same files (names). How many
outputs are byte-identical across the three is a note: these grainy clips, cropped by the
default smart fit, reach the level's VBV limit, where x264 with several frame threads is not
byte-repeatable run to run even at --jobs 1 (the end of a 2 s clip differs at ~45 dB PSNR; the
pictures tikconv hands x264 are the same), so bytes are compared by the end-to-end tests instead.
"""
import hashlib
import os
import shutil

from ..common import FF, INPUTS, TIKCONV, WORK, gen, generate_log, log, med, run_quiet, shown
from ..measure import timed

IDS = ("B1",)

CLIPS, CLIP_S = 8, 2
AUTO_WALL_GOAL = 1.05
SETTINGS = ("1", "2", "auto")


def make_inputs():
    """The clips in benchmarks/inputs/batch_<n>x<s>s/ (made once; copies of one generated clip)."""
    n, s = CLIPS, CLIP_S
    folder = os.path.join(INPUTS, f"batch_{n}x{s}s")
    first = os.path.join(folder, "clip00.mp4")
    if not os.path.exists(first):
        os.makedirs(folder, exist_ok=True)
        gen(first, lambda t: run_quiet(
            FF + ["-f", "lavfi", "-i", f"testsrc2=size=1280x720:rate=30:duration={s}",
                    "-f", "lavfi", "-i", f"sine=frequency=440:duration={s}", "-vf", "noise=alls=12:allf=t,format=yuv420p",
                    "-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "aac", "-shortest", t], generate_log()))
    for i in range(1, n):
        p = os.path.join(folder, f"clip{i:02d}.mp4")
        if not os.path.exists(p):
            shutil.copyfile(first, p)
    return {"folder": folder, "clips": n, "seconds": s}


def define(inputs, selected, seconds):
    if "B1" not in selected:
        return []
    batch = make_inputs()
    tools = []
    for j in SETTINGS:
        out = os.path.join(WORK, f"B1_jobs{j}")
        tools.append({"tool": f"tikconv --jobs {j}", "out": out,
                      "cmd": [TIKCONV, batch["folder"] + "/", "-o", out + "/", "--jobs", j, "--progress", "none", "-q"]})
    return [{"id": "B1", "title": f"batch of {batch['clips']} clips of {batch['seconds']} s (1280x720) at --jobs 1, 2, auto",
             "kind": "batch", "subject": "tikconv --jobs auto", "baseline": "tikconv --jobs 1", "src": batch["folder"],
             "inputs": batch, "tools": tools}]


def digests(folder):
    """Each output's name → the hash of its bytes."""
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = hashlib.sha256(f.read()).hexdigest()
    return out


def run(job, tikconv_state, opts):
    """`pairs` rounds of the three settings in turn, outputs removed before each run. No warm-up run: a run is
    itself many files, the first of which warms what a warm-up would."""
    res = {"id": job["id"], "title": job["title"], "kind": "batch", "subject": job["subject"], "baseline": job["baseline"],
           "tools": {}, "notes": [], "floor_job": False, "reference": "—"}
    clips = job["inputs"]["clips"]
    for t in job["tools"]:
        res["tools"][t["tool"]] = {"tool": t["tool"], "runs": [], "status": "ok" if tikconv_state == "ok" else tikconv_state,
                                   "cmd": shown(t["cmd"])}
    for rnd in range(opts.pairs):
        for t in job["tools"]:
            tr = res["tools"][t["tool"]]
            if tr["status"] != "ok":
                continue
            shutil.rmtree(t["out"], ignore_errors=True)
            r = timed(t["cmd"], os.path.join(WORK, f"B1_{t['tool'].split()[-1]}.log"))
            if r["rc"] != 0 or not os.path.isdir(t["out"]) or len(os.listdir(t["out"])) != clips:
                tr["status"] = f"failed (exit {r['rc']})"
                continue
            r["warmup"] = False
            tr["runs"].append(r)
            log(f"    {t['tool']:<20} timed round {rnd + 1} wall {r['wall']:7.2f}s  cpu {r.get('cpu', 0):7.2f}s  "
                  f"rss {r.get('rss_mb', 0):6.0f}MB")
    made = []
    for t in job["tools"]:
        tr = res["tools"][t["tool"]]
        timed_runs = [r for r in tr["runs"] if not r["warmup"]]
        if tr["status"] != "ok" or not timed_runs:
            tr["status"] = tr["status"] if tr["status"] != "ok" else "no timed runs"
            continue
        tr.update({"n": len(timed_runs), "wall": med([r["wall"] for r in timed_runs]), "cpu": med([r.get("cpu") for r in timed_runs]),
                   "rss_mb": max(r.get("rss_mb", 0) for r in timed_runs), "ssim": None, "psnr": None, "qerr": "—",
                   "size_mb": sum(os.path.getsize(os.path.join(t["out"], f)) for f in os.listdir(t["out"])) / 1e6})
        tr["clips_per_min"] = clips * 60 / tr["wall"]
        made.append(digests(t["out"]))
        res["notes"].append(f"{t['tool']}: {tr['clips_per_min']:.1f} clips per minute")
    res["same_names"] = len({tuple(m) for m in made}) == 1 if len(made) == len(job["tools"]) else None
    if made:
        same = sum(1 for name in made[0] if all(m.get(name) == made[0][name] for m in made))
        res["notes"].append(f"{same} of {len(made[0])} outputs byte-identical across the settings")
    return res


def goals(res, add):
    auto, one = res["tools"].get(res["subject"], {}), res["tools"].get(res["baseline"], {})
    text = f"--jobs auto wall ≤ {AUTO_WALL_GOAL:.2f}× --jobs 1's (auto never costs throughput)"
    if auto.get("status") == "ok" and one.get("status") == "ok":
        ratio = auto["wall"] / one["wall"]
        add(text, ratio <= AUTO_WALL_GOAL, f"{ratio:.2f}× ({auto['wall']:.1f} s vs {one['wall']:.1f} s)")
    else:
        add(text, None, "not measured")
    same = res.get("same_names")
    add("the three settings make the same files", same, "same names" if same else "not measured" if same is None else "names differ")
