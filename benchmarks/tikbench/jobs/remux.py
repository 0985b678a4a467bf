"""J5: MKV (H.264 + AAC) to MP4 by remuxing, against ffmpeg's copy and its re-encode."""
import os

from .. import common
from ..common import FF, INPUTS, MP4_REENC, REMUX_GOAL, TIKCONV, WORK, gen, generate_log, run_quiet

IDS = ("J5",)


def define(inputs, selected, seconds):
    if "J5" not in selected:
        return []
    src = gen(os.path.join(INPUTS, f"h264_aac_{seconds}s.mkv"),
              lambda t: run_quiet(FF + ["-i", inputs["landscape"], "-c", "copy", t], generate_log()))
    o = {k: os.path.join(WORK, f"J5_{k}.mp4") for k in ("tikconv", "ffmpeg", "reencode")}
    return [{"id": "J5", "title": "MKV (H.264 + AAC) → MP4: remux vs re-encode", "kind": "mp4",
             "src": src, "subject": "tikconv", "baseline": "ffmpeg", "tools": [
                 {"tool": "tikconv", "out": o["tikconv"], "cmd": [TIKCONV, src, "--to", "mp4", "-o", o["tikconv"], "-y"]},
                 {"tool": "ffmpeg", "out": o["ffmpeg"], "cmd": FF + ["-i", src, "-c", "copy", o["ffmpeg"]]},
                 {"tool": "ffmpeg re-encode", "out": o["reencode"], "cmd": FF + ["-i", src] + MP4_REENC + [o["reencode"]]},
             ]}]


def reference(job, seconds):
    return job["src"]


def goals(res, add):
    subj, _, _, why = common.subject_and_baseline(res)
    re_, ff = res["tools"].get("ffmpeg re-encode", {}), res["tools"].get("ffmpeg", {})
    info = ""
    if ff.get("status") == "ok" and re_.get("status") == "ok":
        info = f" (ffmpeg -c copy: {re_['wall'] / ff['wall']:.0f}×)"
    text = f"remux ≥ {REMUX_GOAL:.0f}× faster than re-encoding (wall)"
    if subj.get("status") == "ok" and re_.get("status") == "ok":
        x = re_["wall"] / subj["wall"]
        add(text, x >= REMUX_GOAL, f"re-encode {re_['wall']:.2f} s ÷ tikconv remux {subj['wall']:.3f} s = {x:.0f}×{info}")
    else:
        add(text, None, f"not measured: tikconv {why}{info}")


def reference_line(res):
    return common.reference_line(res, "the source itself")
