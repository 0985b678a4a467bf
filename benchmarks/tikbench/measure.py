"""Measuring one run and one output: GNU time, ffprobe, SSIM/PSNR, x264's own settings; the
commands of tikconv's tiktok plan and of the ffmpeg recipe doing the same."""
import json
import os
import re
import signal
import subprocess
import threading
import time

from .common import (FF, GNU_TIME, ROOT, RUN_TIMEOUT, SAME, TIKCONV, TIKTOK_ENC, WORK, capture, chain_for, log,
                     read_tail, run_quiet)


def timed(cmd, logfile, env=None):
    """One timed run under GNU time. Wall is measured here (perf_counter, ms resolution); %e is kept too.
    The run gets its own process group so a hung run can be killed (that group only) after --timeout seconds."""
    tf = os.path.join(WORK, "time.out")
    if os.path.exists(tf):
        os.remove(tf)
    full = [GNU_TIME, "-f", "%e %U %S %M", "-o", tf] + cmd
    t0 = time.perf_counter()
    with open(logfile, "wb") as lf:
        p = subprocess.Popen(full, stdout=lf, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        # A blocking wait, with the timeout enforced by a watchdog thread: Popen.wait(timeout=…)
        # polls with sleeps of up to 50 ms, which rounded every wall time up to the next poll
        # (a 0.16 s remux read as 0.165 or 0.215 s).
        expired = threading.Event()

        def kill():
            expired.set()
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        watchdog = threading.Timer(RUN_TIMEOUT[0], kill)
        watchdog.start()
        try:
            rc = p.wait()
        except BaseException:
            kill()
            p.wait()
            raise
        finally:
            watchdog.cancel()
        if expired.is_set():
            lf.write(f"\n[benchmarks/run: killed after {RUN_TIMEOUT[0]:.0f} s timeout]\n".encode())
            return {"rc": -9, "wall": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    r = {"rc": rc, "wall": wall}
    try:
        last = open(tf).read().strip().splitlines()[-1].split()
        e, u, sy, m = float(last[0]), float(last[1]), float(last[2]), int(last[3])
        r.update({"time_e": e, "user": u, "sys": sy, "cpu": u + sy, "rss_mb": m / 1024.0})
    except (OSError, IndexError, ValueError):
        r["rc"] = rc or -1
    return r


def valid_output(path):
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return False
    out = capture(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
    try:
        return float(out.strip()) > 0
    except ValueError:
        return False


def describe(path):
    """Short description of an output: codecs, profile, size, pix_fmt, moov position."""
    j = capture(["ffprobe", "-v", "error", "-show_entries",
                 "stream=codec_type,codec_name,profile,width,height,pix_fmt:stream_side_data=rotation",
                 "-of", "json", path])
    try:
        streams = json.loads(j).get("streams", [])
    except ValueError:
        return "unreadable"
    parts = []
    for st in streams:
        if st.get("codec_type") == "video":
            p = f"{st.get('codec_name')} {st.get('profile', '')} {st.get('width')}x{st.get('height')} {st.get('pix_fmt')}"
            rot = [sd.get("rotation") for sd in st.get("side_data_list", []) if "rotation" in sd]
            if rot and rot[0]:
                p += f" rot{rot[0]}"
            parts.append(p)
        elif st.get("codec_type") == "audio":
            parts.append(f"{st.get('codec_name')}")
    order = moov_position(path)
    return " + ".join(parts) + (f", {order}" if order else "")


def moov_position(path):
    if not path.endswith(".mp4"):
        return ""
    try:
        with open(path, "rb") as f:
            while True:
                hdr = f.read(8)
                if len(hdr) < 8:
                    return "no moov"
                size = int.from_bytes(hdr[:4], "big")
                kind = hdr[4:8].decode("latin1")
                if size == 1:
                    size = int.from_bytes(f.read(8), "big")
                    f.seek(size - 16, 1)
                elif size == 0:
                    return "no moov"
                else:
                    f.seek(size - 8, 1)
                if kind == "moov":
                    return "moov first"
                if kind == "mdat":
                    return "moov last"
    except OSError:
        return ""


def quality(out, ref, logfile):
    """SSIM All and PSNR average of out against ref, by ffmpeg's ssim/psnr filters (an independent tool)."""
    # The filters pair frames by time, so the reference must keep exact frame times (see
    # reference_for); the mp4 jobs' reference is the source, whose times the outputs keep.
    rc = run_quiet(["ffmpeg", "-hide_banner", "-nostdin", "-i", out, "-i", ref, "-lavfi",
                    "[0:v][1:v]ssim;[0:v][1:v]psnr", "-f", "null", "-"], logfile, check=False)
    text = read_tail(logfile, 400)
    ssim = re.findall(r"SSIM .*All:([0-9.]+)", text)
    psnr = re.findall(r"PSNR .*average:([0-9.]+|inf)", text)
    if rc != 0 or not ssim:
        err = "size mismatch" if "must be same" in text or "not match" in text else "failed"
        return {"ssim": None, "psnr": None, "qerr": err}
    return {"ssim": float(ssim[-1]), "psnr": float(psnr[-1]) if psnr else None}



def x264_settings(path):
    """The option string x264 writes into an SEI of the stream it encodes, as a dict."""
    with open(path, "rb") as f:
        head = f.read(4 << 20)
    m = re.search(rb"x264 - core [^\x00]*? options: ([^\x00]*)", head)
    if not m:
        return None
    return dict(kv.split("=", 1) for kv in m.group(1).decode("ascii", "replace").split() if "=" in kv)


def contract_args(settings):
    """ffmpeg options that give the peer tikconv's own GOP and VBV (the tiktok plan's output contract:
    a keyframe every 2 s, the declared level's rate limits), everything else staying the peer's."""
    args = ["-g", settings["keyint"], "-keyint_min", settings["keyint_min"]]
    if int(settings.get("vbv_maxrate", "0")) > 0:
        args += ["-maxrate", settings["vbv_maxrate"] + "k", "-bufsize", settings["vbv_bufsize"] + "k"]
    return args


def tiktok_tool_cmds(src, fit, outdir, job, same_settings=True, default_peer=True, pre=None, fit_flag=True):
    """tikconv's tiktok plan and the ffmpeg recipe doing the same. `pre` goes before the fit chain (J8's
    tone mapping); `fit_flag` False leaves tikconv at its default fit, as a user would run it (J9: portrait, a pure scale)."""
    t_out = os.path.join(outdir, f"{job}_tikconv.mp4")
    f_out = os.path.join(outdir, f"{job}_ffmpeg.mp4")
    s_out = os.path.join(outdir, f"{job}_ffmpeg_same.mp4")
    opt, chain = chain_for(fit, pre)
    tools = [{"tool": "tikconv", "out": t_out, "cmd": [TIKCONV, src, "-o", t_out, "-y"] + (["--fit", fit] if fit_flag else [])
              + ["--preset", "veryfast", "--crf", "23", "--audio-bitrate", "128k"]}]
    if default_peer:
        # x264's default GOP and no VBV: in the table for information (the goals' peer is the next one).
        tools.append({"tool": "ffmpeg", "out": f_out, "cmd": FF + ["-i", src, opt, chain] + TIKTOK_ENC + [f_out]})
    if same_settings:
        # The goals' peer: the same recipe told tikconv's GOP and VBV (its output contract), so x264 does the
        # same work on both sides. Its command is completed after tikconv's warm-up run, from the settings x264
        # wrote into tikconv's output.
        tools.append({"tool": SAME, "out": s_out, "settings_from": "tikconv",
                      "make_cmd": lambda st: FF + ["-i", src, opt, chain] + TIKTOK_ENC + contract_args(st) + [s_out]})
    return tools



def frame_md5s(path):
    """MD5 of every decoded video frame (ffmpeg's framemd5), or None when ffmpeg cannot read the file."""
    r = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i", path, "-map", "0:v:0", "-f", "framemd5", "-"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    return [line.rsplit(",", 1)[-1].strip() for line in r.stdout.splitlines() if line and not line.startswith("#")]


def x264_floor(path, tag="J12"):
    """CPU of x264 alone encoding tikconv's own frames with tikconv's settings (read from its
    output): ffmpeg decodes the output to raw frames in one process, a second ffmpeg encodes them
    and only the second is timed. No pipeline around this x264 can use less."""
    st = x264_settings(path)
    if not st or "keyint" not in st:
        return None
    tf = os.path.join(WORK, f"{tag}_floor_time.out")
    dec = subprocess.Popen(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"],
                           stdout=subprocess.PIPE)
    enc = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", tf, "ffmpeg", "-v", "error", "-nostdin", "-f", "rawvideo",
                          "-pix_fmt", "yuv420p", "-s", "1080x1920", "-r", "30", "-i", "-", "-c:v", "libx264", "-preset", "veryfast",
                          "-crf", "23"] + contract_args(st) + ["-f", "null", "-"], stdin=dec.stdout, capture_output=True)
    dec.stdout.close()
    dec.wait()
    try:
        e, u, sy, m = open(tf).read().split()[-4:]
        return {"cpu": float(u) + float(sy), "rss_mb": int(m) / 1024.0, "wall": float(e)} if enc.returncode == 0 else None
    except (OSError, ValueError):
        return None


def default_reference(job, seconds):
    """The lossless ideal output: the peer's filter chain, x264 -qp 0, yuv420p."""
    key = os.path.splitext(os.path.basename(job["src"]))[0]
    # NUT keeps the encoder's 1/30 time base: every reference frame sits exactly where a 30 fps
    # output frame does. (Matroska rounds to milliseconds, which put every third frame of a
    # 30 fps MP4 against its neighbour when the SSIM filter paired frames by time.)
    ref = os.path.join(WORK, f"ref_{key}_{job['fit']}.nut")
    if not (os.path.exists(ref) and os.path.getsize(ref) > 0):
        log(f"  rendering lossless reference {os.path.relpath(ref, ROOT)}")
        opt, chain = chain_for(job["fit"], job.get("pre"))
        tmp = ref + ".part.nut"
        run_quiet(FF + ["-i", job["src"], opt, chain, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0",
                        "-pix_fmt", "yuv420p", tmp], os.path.join(WORK, "reference.log"))
        os.replace(tmp, ref)
    return ref

