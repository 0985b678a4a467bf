"""J13: the J1 command with and without captions burned in (--captions), both tikconv: what the
burn-in costs. The SubRip file shows a cue most of the time (1.2 s cues every 1.5 s, one and two
lines, CJK and emoji), so the overlay is blended into most frames and rendered at every change."""
import os

from .. import common
from ..common import INPUTS, WORK
from ..measure import tiktok_tool_cmds

IDS = ("J13",)
CPU_GOAL = 1.10
LINES = ["Welcome back to the channel", "Today we are trying something a little different, so stay until the end",
         "This is the part everyone asks about", "链接在简介里", "Thanks for watching! 🎉"]


def srt_time(t):
    ms = int(round(t * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def make_srt(seconds):
    def build(t):
        cues, n, start = [], 0, 0.2
        while start < seconds:
            n += 1
            cues.append(f"{n}\n{srt_time(start)} --> {srt_time(start + 1.2)}\n{LINES[n % len(LINES)]}\n")
            start += 1.5
        with open(t, "w", encoding="utf-8") as f:
            f.write("\n".join(cues))
    return common.gen(os.path.join(INPUTS, f"captions_{seconds}s.srt"), build)


def define(inputs, selected, seconds):
    if "J13" not in selected:
        return []
    src = inputs["landscape"]
    plain = tiktok_tool_cmds(src, "pad", WORK, "J13", same_settings=False)[0]
    burned = {"tool": "tikconv captions", "out": os.path.join(WORK, "J13_tikconv_captions.mp4")}
    burned["cmd"] = [burned["out"] if a == plain["out"] else a for a in plain["cmd"]] + ["--captions", make_srt(seconds)]
    return [{"id": "J13", "title": "J1 with captions burned in (--captions, a cue most of the time) vs J1 without",
             "kind": "edits", "fit": "pad", "src": src, "subject": "tikconv captions", "baseline": "tikconv",
             "tools": [burned, plain]}]


def goals(res, add):
    subj, base, have, why = common.subject_and_baseline(res)
    text = f"CPU ≤ {CPU_GOAL:.2f}× the same conversion without captions"
    if have and base["cpu"] > 0:
        r = subj["cpu"] / base["cpu"]
        pair = (res.get("pair_ratio") or {}).get("cpu")
        add(text, r <= CPU_GOAL, f"{r:.2f}× ({subj['cpu']:.2f} s vs {base['cpu']:.2f} s)"
            + (f"; median of per-pair ratios {pair:.2f}×" if pair else ""))
    else:
        add(text, None, f"not measured: {why}")


def reference_line(res):
    return common.reference_line(res, "J1 pad reference; the burned-in text lowers the SSIM by design")
