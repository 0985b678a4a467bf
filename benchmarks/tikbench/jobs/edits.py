"""J11: the J1 command with and without local edits, both tikconv: what the edits cost."""
import os

from .. import common
from ..common import WORK
from ..measure import tiktok_tool_cmds

IDS = ("J11",)
EDIT_CPU_GOAL = 1.10   # a local edit adds at most 10% CPU to the same conversion without it
EDIT_PROMPT = "fade in and out, louder"


def define(inputs, selected, seconds):
    if "J11" not in selected:
        return []
    src = inputs["landscape"]
    plain = tiktok_tool_cmds(src, "pad", WORK, "J11", same_settings=False)[0]
    edited = {"tool": "tikconv edits", "out": os.path.join(WORK, "J11_tikconv_edits.mp4")}
    edited["cmd"] = [edited["out"] if a == plain["out"] else a for a in plain["cmd"]] + ["-p", EDIT_PROMPT]
    return [{"id": "J11", "title": f"J1 with local edits (-p \"{EDIT_PROMPT}\") vs J1 without", "kind": "edits",
             "fit": "pad", "src": src, "subject": "tikconv edits", "baseline": "tikconv", "tools": [edited, plain]}]


def goals(res, add):
    subj, base, have, why = common.subject_and_baseline(res)
    text = f"CPU ≤ {EDIT_CPU_GOAL:.2f}× the same conversion without edits"
    if have and base["cpu"] > 0:
        rc = subj["cpu"] / base["cpu"]
        add(text, rc <= EDIT_CPU_GOAL, f"{rc:.2f}× ({subj['cpu']:.2f} s vs {base['cpu']:.2f} s)")
    else:
        add(text, None, f"not measured: {why}")


def reference_line(res):
    return common.reference_line(res, "J1 pad reference; the edited output's fades and louder sound lower its SSIM "
                                      "by design")
