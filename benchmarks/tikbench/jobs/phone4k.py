"""J9: a phone's 4K clip (3840x2160 HEVC with a 90° display matrix) at tikconv's default fit."""
import os

from ..common import INPUTS, SAME, WORK, lossless_reference_line
from ..inputs import AAC, rotated_phone_clip
from ..measure import tiktok_tool_cmds

IDS = ("J9",)


def define(inputs, selected, seconds):
    if "J9" not in selected:
        return []
    hevc = ["-c:v", "libx265", "-preset", "ultrafast", "-crf", "24", "-tag:v", "hvc1", "-x265-params", "log-level=error"]
    src = rotated_phone_clip(os.path.join(INPUTS, f"phone4k_{seconds}s.mp4"), "2160x3840", seconds, hevc + AAC,
                             "phone4k_untagged.mp4")
    return [{"id": "J9", "title": "phone 4K: 3840x2160 HEVC + 90° display matrix → 1080x1920, default fit",
             "kind": "geometry", "fit": "pad", "src": src, "floor": True,
             "tools": tiktok_tool_cmds(src, "pad", WORK, "J9", default_peer=False, fit_flag=False),
             "subject": "tikconv", "baseline": SAME}]


def reference_line(res):
    return lossless_reference_line(res, "ffmpeg's autorotate applied")
