"""J6: AVI (MPEG-4 Part 2 + MP3) to MP4 without losing quality, against ffmpeg's re-encode."""
import os

from .. import common
from ..common import FF, INPUTS, MP4_REENC, SSIM_TOL, TIKCONV, WORK, gen, generate_log, run_quiet

IDS = ("J6",)


def define(inputs, selected, seconds):
    if "J6" not in selected:
        return []
    src = gen(os.path.join(INPUTS, f"mpeg4_mp3_{seconds}s.avi"),
              lambda t: run_quiet(FF + ["-i", inputs["landscape"], "-c:v", "mpeg4", "-vtag", "XVID", "-b:v", "10M",
                                        "-c:a", "libmp3lame", "-b:a", "192k", t], generate_log()))
    t_out, f_out = os.path.join(WORK, "J6_tikconv.mp4"), os.path.join(WORK, "J6_ffmpeg.mp4")
    return [{"id": "J6", "title": "AVI (MPEG-4 Part 2 + MP3) → MP4 without losing quality", "kind": "mp4",
             "src": src, "subject": "tikconv", "baseline": "ffmpeg", "tools": [
                 {"tool": "tikconv", "out": t_out, "cmd": [TIKCONV, src, "--to", "mp4", "-o", t_out, "-y"]},
                 {"tool": "ffmpeg", "out": f_out, "cmd": FF + ["-i", src] + MP4_REENC + [f_out]},
             ]}]


def reference(job, seconds):
    return job["src"]


def goals(res, add):
    subj, base, have, why = common.subject_and_baseline(res)
    text = f"SSIM within {SSIM_TOL} of ffmpeg at equal or smaller size"
    if have and subj.get("ssim") is not None and base.get("ssim") is not None:
        d = subj["ssim"] - base["ssim"]
        ssim_ok, size_ok = d >= -SSIM_TOL, subj["size_mb"] <= base["size_mb"]
        why_miss = ", ".join(w for w, bad in (("SSIM too low", not ssim_ok), ("output larger", not size_ok)) if bad)
        add(text, ssim_ok and size_ok,
            (f"{why_miss}: " if why_miss else "") +
            f"SSIM {subj['ssim']:.4f} vs ffmpeg {base['ssim']:.4f} ({d:+.4f}), size {subj['size_mb']:.2f} vs "
            f"{base['size_mb']:.2f} MB ({(subj['size_mb'] / base['size_mb'] - 1) * 100:+.1f}%)")
    else:
        q = subj.get("qerr") if subj.get("status") == "ok" else why
        add(text, None, f"not measured: tikconv {q}")


def reference_line(res):
    return common.reference_line(res, "the source itself")
