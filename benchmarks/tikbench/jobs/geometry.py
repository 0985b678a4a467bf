"""J1-J4: a 1920x1080 clip to 1080x1920 by pad, crop and blur; a phone's portrait clip with a display matrix."""
import os

from ..common import INPUTS, J4_FIT, SAME, WORK, lossless_reference_line
from ..inputs import H264_15M, rotated_phone_clip
from ..measure import tiktok_tool_cmds

IDS = ("J1", "J2", "J3", "J4")


def define(inputs, selected, seconds):
    if "J4" in selected:
        inputs["phone"] = rotated_phone_clip(os.path.join(INPUTS, f"phone_{seconds}s.mp4"), "1080x1920", seconds,
                                             H264_15M, "phone_untagged.mp4")
    geo = [("J1", "pad", "landscape", "1920x1080 → 1080x1920, pad"),
           ("J2", "crop", "landscape", "1920x1080 → 1080x1920, crop"),
           ("J3", "blur", "landscape", "1920x1080 → 1080x1920, blurred background"),
           ("J4", J4_FIT[0], "phone", f"portrait phone clip (1920x1080 + 90° display matrix) → 1080x1920, {J4_FIT[0]}")]
    return [{"id": jid, "title": title, "kind": "geometry", "fit": fit, "src": inputs[key],
             "tools": tiktok_tool_cmds(inputs[key], fit, WORK, jid), "floor": True,
             "subject": "tikconv", "baseline": SAME}
            for jid, fit, key, title in geo if jid in selected]


def reference_line(res):
    why = {"J3": "the blurred background uses ffmpeg's `gblur`, so a different blur in tikconv costs SSIM there",
           "J4": "ffmpeg's autorotate applied"}.get(res["id"], "same chain as the peer")
    return lossless_reference_line(res, why)
