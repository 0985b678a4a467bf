"""J8: HDR (HLG and PQ, BT.2020, 10-bit HEVC) to SDR BT.709, against zscale + tonemap=hable + the blur chain."""
import os

from ..common import (FF, INPUTS, SAME, WORK, fmt, gen, generate_log, lossless_reference_line, run_quiet,
                      subject_and_baseline)
from ..inputs import AAC, picture, tone
from ..measure import tiktok_tool_cmds

IDS = ("J8",)
HDR_SSIM_GOAL = 0.94   # SSIM against the zscale + tonemap=hable reference (the HDR fidelity test's bound)

# HDR (PQ/HLG BT.2020) to SDR BT.709 as a user would type it: zimg linearises, tonemap=hable, zimg
# converts to BT.709 limited range; then the same fit chain. agamma=0 as in the HDR fidelity test
# (zimg <= 3.0.5's approximate transfer functions are wrong on AVX-512 CPUs).
TONEMAP = ("zscale=t=linear:npl=100:agamma=0,format=gbrpf32le,zscale=p=bt709:agamma=0,tonemap=tonemap=hable,"
           "zscale=t=bt709:m=bt709:r=tv:agamma=0,format=yuv420p")


def clip(trc, key, seconds):
    """HDR as phones and cameras write it: 10-bit HEVC 1080p tagged BT.2020 with HLG or PQ, plus AAC."""
    return gen(os.path.join(INPUTS, f"{key}_{seconds}s.mp4"), lambda t: run_quiet(
        FF + picture("1920x1080", seconds) + tone(seconds)
        + ["-vf", "noise=alls=20:allf=t,format=yuv420p10le", "-c:v", "libx265", "-preset", "ultrafast", "-crf", "22",
           "-tag:v", "hvc1", "-x265-params",
           f"log-level=error:colorprim=bt2020:transfer={trc}:colormatrix=bt2020nc",
           "-color_primaries", "bt2020", "-color_trc", trc, "-colorspace", "bt2020nc", "-color_range", "tv"]
        + AAC + ["-movflags", "+faststart", t], generate_log()))


def define(inputs, selected, seconds):
    if "J8" not in selected:
        return []
    jobs = []
    for kind, trc in (("HLG", "arib-std-b67"), ("PQ", "smpte2084")):
        jid, src = f"J8-{kind}", clip(trc, f"hdr_{kind.lower()}", seconds)
        # `--fit blur` given: the peer's chain is the blur fit (a landscape source's default is smart reframing).
        jobs.append({"id": jid, "title": f"HDR ({kind}) 10-bit HEVC 1920x1080 → 1080x1920 SDR, blur fit",
                     "kind": "geometry", "fit": "blur", "pre": TONEMAP, "src": src, "floor": True,
                     "tools": tiktok_tool_cmds(src, "blur", WORK, jid, default_peer=False, pre=TONEMAP),
                     "subject": "tikconv", "baseline": SAME})
    return jobs


def goals(res, add):
    subj, base, _, why = subject_and_baseline(res)
    text = f"SSIM ≥ {HDR_SSIM_GOAL} against the zscale + tonemap=hable reference"
    if subj.get("ssim") is not None:
        add(text, subj["ssim"] >= HDR_SSIM_GOAL, f"{subj['ssim']:.4f} (peer {fmt(base.get('ssim'), '.4f')})")
    else:
        add(text, None, f"not measured: {subj.get('qerr') or why}")


def reference_line(res):
    return lossless_reference_line(res, "zscale linearisation, tonemap=hable, zscale to BT.709, then the blur chain "
                                        "with `gblur`")
