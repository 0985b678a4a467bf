"""A1: an animated GIF (people walking) → TikTok MP4; A2: a voice memo → audiogram. tikconv vs the
obvious ffmpeg recipe for each, as CPU seconds per second of output (the two outputs' lengths can
differ: tikconv plays whole cycles of a short GIF and keeps all of a sound). See benchmarks/README.md.
"""
import os
import subprocess

from .. import common
from ..common import FF, INPUTS, ROOT, TIKCONV, WORK, gen, generate_log, run_quiet

IDS = ("A1", "A2")
SETTINGS = ["--preset", "veryfast", "--crf", "23", "--audio-bitrate", "128k", "--progress", "none"]
ENC = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
SPEECH = ("This is a short voice memo for the audiogram benchmark. It talks for a while, then pauses, "
          "and then it talks again, the way a podcast clip or a note to a friend does.")


def walking_gif():
    """The tests' walking GIF (scripts/animation-fixtures: 4 s of OpenCV's vtest.avi, 320x240, 10 fps)."""
    folder = subprocess.run([os.path.join(ROOT, "scripts", "animation-fixtures")], capture_output=True, text=True, check=True)
    return os.path.join(folder.stdout.strip(), "walk.gif")


def memo():
    """About 20 s of espeak-ng speech with a 2.5 s pause, as mp3, and a cover photo."""
    d = os.path.join(INPUTS, "audiogram")
    os.makedirs(d, exist_ok=True)
    glog = generate_log()
    wav = gen(os.path.join(d, "speech.wav"), lambda t: run_quiet(["espeak-ng", "-w", t, SPEECH], glog))
    mp3 = gen(os.path.join(d, "memo.mp3"), lambda t: run_quiet(
        FF + ["-i", wav, "-f", "lavfi", "-t", "2.5", "-i", "anullsrc=r=22050:cl=mono", "-i", wav, "-filter_complex",
              "[0][1][2]concat=n=3:v=0:a=1", "-c:a", "libmp3lame", "-q:a", "4", t], glog))
    cover = gen(os.path.join(d, "cover.jpg"), lambda t: run_quiet(
        FF + ["-f", "lavfi", "-i", "testsrc2=size=1000x1000", "-frames:v", "1", "-q:v", "3", "-update", "1", t], glog))
    return mp3, cover


def define(inputs, selected, seconds):
    jobs = []
    if "A1" in selected:
        gif = walking_gif()
        o = {k: os.path.join(WORK, f"A1_{k}.mp4") for k in ("tikconv", "ffmpeg")}
        jobs.append({"id": "A1", "title": "animated GIF (4 s, 320x240, 40 frames, people walking) → 1080x1920 MP4, pad",
                     "kind": "animation", "subject": "tikconv", "baseline": "ffmpeg", "src": gif, "tools": [
                         {"tool": "tikconv", "out": o["tikconv"], "cmd": [TIKCONV, gif, "--fit", "pad", "-o", o["tikconv"], "-y"] + SETTINGS},
                         {"tool": "ffmpeg", "out": o["ffmpeg"], "cmd": FF + ["-i", gif, "-vf", common.PAD + ",fps=30"] + ENC + [o["ffmpeg"]]},
                     ]})
    if "A2" in selected:
        mp3, cover = memo()
        o = {k: os.path.join(WORK, f"A2_{k}.mp4") for k in ("tikconv", "ffmpeg")}
        waves = ("[1:a]showwaves=s=960x240:mode=cline:rate=30:colors=white[w];"
                 "[0:v]scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1[bg];"
                 "[bg][w]overlay=60:1560:shortest=1,format=yuv420p")
        jobs.append({"id": "A2", "title": "voice memo (mp3, ~20 s of speech with a pause) + cover.jpg → audiogram",
                     "kind": "audiogram", "subject": "tikconv", "baseline": "ffmpeg", "src": mp3, "tools": [
                         {"tool": "tikconv", "out": o["tikconv"], "cmd": [TIKCONV, mp3, "--cover", cover, "-o", o["tikconv"], "-y"] + SETTINGS},
                         {"tool": "ffmpeg", "out": o["ffmpeg"], "cmd": FF + ["-loop", "1", "-framerate", "30", "-i", cover, "-i", mp3,
                                                                       "-filter_complex", waves] + ENC
                          + ["-r", "30", "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2", "-shortest", o["ffmpeg"]]},
                     ]})
    return jobs


def reference(job, seconds):
    return None  # different pictures by design (loops, bars): judged by CPU per second of output


def reference_line(res):
    return common.reference_line(res, "none: the outputs differ by design; judged by CPU per second of output")


def output_seconds(path):
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
                       capture_output=True, text=True)
    try:
        return float(r.stdout.strip())
    except ValueError:
        return None


def measure(job, res):
    for t in job["tools"]:
        tr = res["tools"].get(t["tool"], {})
        if tr.get("status") == "ok":
            tr["video_s"] = output_seconds(t["out"])
            if tr.get("video_s") and tr.get("cpu"):
                tr["cpu_per_s"] = tr["cpu"] / tr["video_s"]
                res["notes"].append(f"{t['tool']}: {tr['video_s']:.2f} s of output, {tr['cpu_per_s']:.3f} CPU-s per output second")


def goals(res, add):
    t, f = res["tools"].get("tikconv", {}), res["tools"].get("ffmpeg", {})
    text = "CPU per second of output ≤ the ffmpeg recipe's"
    if t.get("cpu_per_s") and f.get("cpu_per_s"):
        r = t["cpu_per_s"] / f["cpu_per_s"]
        add(text, r <= 1.0, f"{r:.2f}× ({t['cpu_per_s']:.3f} vs {f['cpu_per_s']:.3f} CPU-s per output second)")
    else:
        add(text, None, f"not measured (tikconv {t.get('status')}, ffmpeg {f.get('status')})")
