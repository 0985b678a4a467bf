"""J7: the J1 clip end to end, local route vs cloud route (a live service with NEMO_TOKEN, else the stand-in)."""
import os

from .. import common
from ..common import TIKCONV, WORK
from ..measure import tiktok_tool_cmds
from ..measure import default_reference

IDS = ("J7",)


def define(inputs, selected, seconds):
    if "J7" not in selected:
        return []
    src = inputs["landscape"]
    local = tiktok_tool_cmds(src, "pad", WORK, "J7", same_settings=False)[0]
    local["tool"] = "tikconv local"
    c_out = os.path.join(WORK, "J7_cloud.mp4")
    return [{"id": "J7", "title": "J1 clip end to end: local vs cloud route", "kind": "cloud", "fit": "pad",
             "src": src, "subject": "tikconv local", "baseline": "tikconv cloud", "tools": [
                 local,
                 {"tool": "tikconv cloud", "out": c_out, "cloud": True,
                  "cmd": [TIKCONV, "--cloud", src, "-p", "convert to tiktok", "-o", c_out, "-y"]},
             ]}]


def reference(job, seconds):
    return default_reference({"kind": "geometry", "src": job["src"], "fit": "pad"}, seconds)


def goals(res, add):
    subj, base, have, why = common.subject_and_baseline(res)
    if have:
        add(f"local end to end faster than cloud {res.get('cloud_mode', '')} end to end", subj["wall"] < base["wall"],
            f"{subj['wall']:.2f} s local vs {base['wall']:.2f} s cloud")
    else:
        add("local end to end faster than cloud end to end", None, f"not measured: {why}")


def reference_line(res):
    return common.reference_line(res, "J1 pad reference; the cloud may choose another fit")
