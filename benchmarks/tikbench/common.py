"""Paths, constants shared by several jobs, and small process helpers."""
import os
import shlex
import statistics
import subprocess

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # benchmarks/
ROOT = os.path.dirname(HERE)
INPUTS = os.path.join(HERE, "inputs")
WORK = os.path.join(HERE, "work")
TIKCONV = os.path.join(ROOT, ".build", "release", "tikconv")
STANDIN = os.path.join(ROOT, ".build", "release", "nemo-standin")
GNU_TIME = "/usr/bin/time"

W, H, FPS = 1080, 1920, 30

# The peer, exactly as a user would type it (same encoder settings as tikconv's tiktok plan).
PAD = "scale=1080:1920:force_original_aspect_ratio=decrease,pad=1080:1920:(ow-iw)/2:(oh-ih)/2,setsar=1"
CROP = "scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,setsar=1"
BLUR = ("[0:v]split[a][b];[a]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,"
        "gblur=sigma=20[bg];[b]scale=1080:1920:force_original_aspect_ratio=decrease[fg];"
        "[bg][fg]overlay=(W-w)/2:(H-h)/2,setsar=1")
CHAINS = {"pad": ("-vf", PAD), "crop": ("-vf", CROP), "blur": ("-filter_complex", BLUR)}
TIKTOK_ENC = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p",
              "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart"]
MP4_REENC = ["-c:v", "libx264", "-crf", "18", "-preset", "veryfast", "-c:a", "aac", "-b:a", "256k"]
FF = ["ffmpeg", "-hide_banner", "-nostdin", "-y"]

# Goals shared by the tiktok jobs. The peer is the ffmpeg recipe at tikconv's own x264 settings
# (GOP and VBV read from tikconv's output); the recipe with x264's default GOP stays in the table
# for information only (the 0.95x/0.8x/0.6x CPU and 250 MB goals before it are retired).
CPU_GOAL = {"J1": 1.00, "J2": 1.00, "J3": 1.00, "J4": 1.00, "J8": 0.50, "J9": 0.70}  # tikconv CPU / peer CPU
FLOOR_GOAL = 1.03      # J1-J4: tikconv CPU / (decode + x264 at tikconv's settings + AAC), each timed alone
RSS_PEER_JOBS = ("J1", "J2", "J3", "J4", "J8")  # tikconv peak RSS <= the peer's
CURVE_JOBS = ("J1", "J2", "J3", "J4")  # SSIM at tikconv's size within SSIM_TOL of the peer's rate-quality curve
SSIM_TOL = 0.002
REMUX_GOAL = 50.0      # J5 remux, J10 already-ready copy: wall of re-encoding / wall of tikconv

SAME = "ffmpeg, tikconv's x264 settings"  # the peer's chain with the GOP and VBV read from tikconv's output
FLOOR = "floor: decode + x264 (tikconv's settings) + AAC"  # the chart's grey bar

# Set from the command line.
J4_FIT = ["pad"]            # --j4-fit
RUN_TIMEOUT = [1800.0]      # --timeout
STANDIN_STATE = [None]      # set when building the stand-in failed


def job_base(jid):
    """J8-HLG and J8-PQ share J8's goals."""
    return jid.split("-")[0]


def chain_for(fit, pre=None):
    """(option, filter chain) of the peer's fit, with `pre` (e.g. the tone mapping) applied first."""
    opt, chain = CHAINS[fit]
    if not pre:
        return opt, chain
    if opt == "-filter_complex":
        return opt, chain.replace("[0:v]split", f"[0:v]{pre},split", 1)
    return opt, f"{pre},{chain}"


def log(msg):
    print(msg, flush=True)


def run_quiet(cmd, logfile=None, env=None, check=True, cwd=None):
    """Run an untimed helper command (input generation, references, SSIM)."""
    with open(logfile or os.devnull, "wb") as lf:
        rc = subprocess.run(cmd, stdout=lf, stderr=subprocess.STDOUT, env=env, cwd=cwd).returncode
    if check and rc != 0:
        tail = read_tail(logfile) if logfile else ""
        raise RuntimeError(f"command failed ({rc}): {shlex.join(cmd)}\n{tail}")
    return rc


def read_tail(path, n=12):
    try:
        with open(path, "r", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def capture(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


def gen(path, build):
    """Generate an input once (cached); write to a temp name then rename, so a killed run leaves no half file."""
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    tmp = path + ".part" + os.path.splitext(path)[1]
    log(f"  generating {os.path.relpath(path, ROOT)}")
    build(tmp)
    os.replace(tmp, path)
    return path


def generate_log():
    return os.path.join(WORK, "generate.log")


def shown(cmd):
    """A command as text, with paths relative to the repository root (where `make bench` runs)."""
    return shlex.join(os.path.relpath(a, ROOT) if a.startswith(ROOT + os.sep) else a for a in cmd)


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def fmt(x, spec, none="—"):
    return none if x is None else format(x, spec)


def reference_line(res, note):
    """RESULTS.md's line naming a job's SSIM/PSNR reference; `note` says what it is."""
    return f"- Reference for SSIM/PSNR: `{res.get('reference', '—')}` ({note})"


def lossless_reference_line(res, why):
    return reference_line(res, f"lossless x264 -qp 0 render of the ffmpeg filter chain; {why}")


def cpu_ratio_goal(res, add, bound, text):
    """The goal "subject's CPU ≤ bound × baseline's"."""
    subj, base, have, why = subject_and_baseline(res)
    if have and base["cpu"] > 0:
        ratio = subj["cpu"] / base["cpu"]
        add(text, ratio <= bound, f"{ratio:.2f}× ({subj['cpu']:.2f} s vs {base['cpu']:.2f} s)")
    else:
        add(text, None, f"not measured: {why}")


def subject_and_baseline(res):
    """(subject's figures, baseline's figures, both measured, why not) of a job's result."""
    tools = res["tools"]
    subj, base = tools.get(res["subject"], {}), tools.get(res["baseline"], {})
    have = subj.get("status") == "ok" and base.get("status") == "ok" and subj.get("cpu") is not None
    why = subj.get("status") if subj.get("status") != "ok" else base.get("status", "missing")
    return subj, base, have, why
