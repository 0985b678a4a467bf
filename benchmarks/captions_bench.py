"""J13, captions burned in (--captions), for benchmarks/run.

J1's command (1920x1080 → 1080x1920, pad) with and without `--captions` of a SubRip file that
shows a cue most of the time (1.2 s cues every 1.5 s, one and two lines): what the burn-in costs.
Goal: ≤ 1.10× the CPU of the same conversion without captions. See benchmarks/README.md ("J13").
"""
import os
import re

CPU_GOAL = 1.10
LINES = ["Welcome back to the channel", "Today we are trying something a little different, so stay until the end",
         "This is the part everyone asks about", "链接在简介里", "Thanks for watching! 🎉"]


def srt_time(t):
    ms = int(round(t * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def make_srt(h, seconds):
    path = os.path.join(h.INPUTS, f"captions_{seconds}s.srt")

    def build(t):
        cues, n, start = [], 0, 0.2
        while start < seconds:
            n += 1
            cues.append(f"{n}\n{srt_time(start)} --> {srt_time(start + 1.2)}\n{LINES[n % len(LINES)]}\n")
            start += 1.5
        with open(t, "w", encoding="utf-8") as f:
            f.write("\n".join(cues))
    return h.gen(path, build)


def define_job(h, inputs):
    src = inputs["landscape"]
    # The clip's length is in its name (landscape_10s.mp4).
    seconds = int(re.search(r"_(\d+)s\.mp4$", src).group(1))
    plain = h.tiktok_tool_cmds(src, "pad", h.WORK, "J13", same_settings=False)[0]
    burned = {"tool": "tikconv captions", "out": os.path.join(h.WORK, "J13_tikconv_captions.mp4")}
    burned["cmd"] = [burned["out"] if a == plain["out"] else a for a in plain["cmd"]] + ["--captions", make_srt(h, seconds)]
    return {"id": "J13", "title": "J1 with captions burned in (--captions, a cue most of the time) vs J1 without",
            "kind": "edits", "fit": "pad", "src": src, "subject": "tikconv captions", "baseline": "tikconv",
            "tools": [burned, plain]}


def goals(res, add):
    subj, base = res["tools"].get("tikconv captions", {}), res["tools"].get("tikconv", {})
    text = f"CPU ≤ {CPU_GOAL:.2f}× the same conversion without captions"
    if subj.get("status") == "ok" and base.get("status") == "ok" and base.get("cpu"):
        r = subj["cpu"] / base["cpu"]
        pair = res.get("pair_ratio", {}).get("cpu")
        add(text, r <= CPU_GOAL, f"{r:.2f}× ({subj['cpu']:.2f} s vs {base['cpu']:.2f} s)"
            + (f"; median of per-pair ratios {pair:.2f}×" if pair else ""))
    else:
        add(text, None, f"not measured (captions {subj.get('status')}, plain {base.get('status')})")
