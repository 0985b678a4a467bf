"""The inputs several jobs share, generated deterministically by ffmpeg into benchmarks/inputs/."""
import os

from .common import FF, FPS, INPUTS, gen, generate_log, run_quiet


def tone(seconds):
    """A 48 kHz beeping tone, the audio of every generated clip."""
    return ["-f", "lavfi", "-i", f"sine=frequency=440:beep_factor=4:sample_rate=48000:duration={seconds}"]


def picture(size, seconds):
    """testsrc2 at 30 fps (the grain is added by each clip's filter)."""
    return ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={FPS}:duration={seconds}"]


# ~15 Mb/s H.264 High (x264 veryfast, 15M VBV) + AAC 160k: what a camera or phone writes.
H264_15M = ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-b:v", "15M",
            "-maxrate", "15M", "-bufsize", "15M", "-g", "60", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "160k", "-ac", "2"]
AAC = ["-c:a", "aac", "-b:a", "160k", "-ac", "2"]


def landscape(seconds):
    """J1-J3, J5-J7, J11, R2 source: 1920x1080 30 fps testsrc2 with temporal grain, ~15 Mb/s H.264 High + AAC."""
    os.makedirs(INPUTS, exist_ok=True)
    src = os.path.join(INPUTS, f"landscape_{seconds}s.mp4")
    return gen(src, lambda t: run_quiet(FF + picture("1920x1080", seconds) + tone(seconds)
                                        + ["-vf", "noise=alls=20:allf=t,format=yuv420p"] + H264_15M
                                        + ["-movflags", "+faststart", t], generate_log()))


def rotated_phone_clip(path, size, seconds, encoder, untagged):
    """A phone's portrait clip: the picture stored turned clockwise with a 90 degree display matrix, added in a
    stream-copy pass; ffmpeg's autorotate shows it upright (verified: SSIM 1.0 against the unrotated source)."""
    def build(t):
        raw = os.path.join(os.path.dirname(generate_log()), untagged)
        run_quiet(FF + picture(size, seconds) + tone(seconds)
                  + ["-vf", "noise=alls=20:allf=t,transpose=clock,format=yuv420p"] + encoder + [raw], generate_log())
        run_quiet(FF + ["-i", raw, "-c", "copy", "-metadata:s:v:0", "rotate=90", "-movflags", "+faststart", t],
                  generate_log())
        os.remove(raw)
    return gen(path, build)
