"""J10: a clip already TikTok-ready is copied, bit for bit, not re-encoded."""
import os
import subprocess

from .. import common
from ..common import FF, INPUTS, REMUX_GOAL, TIKCONV, WORK, gen, generate_log, run_quiet, subject_and_baseline
from ..inputs import AAC, picture, tone
from ..measure import frame_md5s

IDS = ("J10",)


def clip(seconds):
    """1080x1920 30 fps H.264 High level 4.0 within its VBV, a keyframe every 2 s, BT.709, AAC-LC 48 kHz
    stereo, index first (the harness checks it with `tikconv check`)."""
    return gen(os.path.join(INPUTS, f"ready_{seconds}s.mp4"), lambda t: run_quiet(
        FF + picture("1080x1920", seconds) + tone(seconds)
        + ["-vf", "noise=alls=20:allf=t,format=yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23",
           "-profile:v", "high", "-level", "4.0", "-g", "60", "-maxrate", "25M", "-bufsize", "31250k",
           "-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709"]
        + AAC + ["-movflags", "+faststart", t], generate_log()))


def define(inputs, selected, seconds):
    if "J10" not in selected:
        return []
    src = clip(seconds)
    o = {k: os.path.join(WORK, f"J10_{k}.mp4") for k in ("tikconv", "reencode", "ffmpeg")}
    return [{"id": "J10", "title": "already TikTok-ready 1080x1920 clip: copied vs re-encoded", "kind": "ready",
             "src": src, "subject": "tikconv", "baseline": "tikconv --reencode", "tools": [
                 {"tool": "tikconv", "out": o["tikconv"], "cmd": [TIKCONV, src, "-o", o["tikconv"], "-y"]},
                 {"tool": "tikconv --reencode", "out": o["reencode"],
                  "cmd": [TIKCONV, src, "-o", o["reencode"], "-y", "--reencode"]},
                 {"tool": "ffmpeg", "out": o["ffmpeg"],
                  "cmd": FF + ["-i", src, "-c", "copy", "-movflags", "+faststart", o["ffmpeg"]]},
             ]}]


def reference(job, seconds):
    return job["src"]


def finish(job, res):
    """Is the input TikTok-ready by `tikconv check`, and are tikconv's frames the source's, bit for bit?"""
    t = res["tools"].get("tikconv", {})
    if os.access(TIKCONV, os.X_OK):
        chk = subprocess.run([TIKCONV, "check", job["src"]], capture_output=True, text=True)
        first = chk.stdout.splitlines()[0] if chk.stdout else chk.stderr.strip()
        res["notes"].append(f"`tikconv check` on the input: exit {chk.returncode}: {os.path.basename(first)}")
    if t.get("status") == "ok":
        src, out = frame_md5s(job["src"]), frame_md5s(job["tools"][0]["out"])
        res["bitexact"] = bool(src) and src == out
        res["notes"].append(f"frame MD5s (ffmpeg framemd5): source {len(src or [])} frames, tikconv's output "
                            f"{len(out or [])} frames, " + ("all identical" if res["bitexact"] else "**different**"))


def goals(res, add):
    subj, base, have, why = subject_and_baseline(res)
    text = f"copy ≥ {REMUX_GOAL:.0f}× faster than re-encoding (wall)"
    if have:
        x = base["wall"] / subj["wall"]
        add(text, x >= REMUX_GOAL, f"tikconv --reencode {base['wall']:.2f} s ÷ tikconv {subj['wall']:.3f} s = {x:.0f}×")
    else:
        add(text, None, f"not measured: {why}")
    add("bit-exact (every frame's MD5 equal to the source's)", res.get("bitexact"),
        "identical" if res.get("bitexact") else "not measured" if res.get("bitexact") is None else "frames differ")


def reference_line(res):
    return common.reference_line(res, "the source itself")
