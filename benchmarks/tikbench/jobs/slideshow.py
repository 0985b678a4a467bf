"""J12, the offline photo slideshow.

12 mixed photos (a 24 MP JPEG, an iPhone-size HEIC, a portrait, a rotated-EXIF one, …), 3 s each
with 0.5 s crossfades and a song: tikconv's CPU against x264 alone encoding tikconv's own frames
at its settings (the goal: the very pictures its encoder gets, written raw by a run with
TIKCONV_DEBUG_FRAMES), the ffmpeg recipe people use (zoompan + xfade + loudnorm) for
information, tikconv with 60 photos (peak RSS must not grow with the count), and a shake
measure: phase correlation between consecutive frames within each photo, for both outputs.
See benchmarks/README.md ("J12").
"""
import os
import struct
import subprocess

from .. import common
from ..common import FF, GNU_TIME, INPUTS, TIKCONV, WORK, capture, gen, generate_log, log, run_quiet
from ..measure import contract_args, x264_floor, x264_settings

IDS = ("J12",)
PHOTOS = 12
PHOTO_S, FADE_S = 3.0, 0.5
MANY, MANY_PHOTO_S = 60, 0.5
RSS_GOAL_MB = 400
# × the CPU of x264 alone encoding the slideshow's own frames at the same settings: the very
# pictures tikconv hands its encoder (written raw by a run with TIKCONV_DEBUG_FRAMES), encoded by
# the ffmpeg CLI with tikconv's x264 options, only that encode timed (`x264_on_frames`). Not the
# output decoded (`x264_floor`, kept for information): the first encode has smoothed the fine
# noise away, and x264 spends ~10% less on those pictures than on the ones tikconv gives it.
# The ffmpeg recipe's row stays for information.
X264_ALONE_GOAL = 1.15

# (name, width, height, lavfi picture, how it is stored). The HEIC is 7th: its decode needs ~45 MB
# for a moment (libheif + libde265), and the show's peak is when that lands on x264's frame pool,
# which fills over the first seconds; as 2nd photo it would be decoded at frame 0, before the pool
# exists, and the 12-photo run would show a peak the show does not have. Detail (noise, fine
# patterns) so the JPEGs are realistically large and the shake measure has texture to correlate.
SPECS = [
    ("01_24mp.jpg", 6000, 4000, "testsrc2", "jpg"),
    ("02_story.webp", 1080, 1920, "mandelbrot", "webp"),
    ("03_portrait.jpg", 3024, 4032, "smptehdbars", "jpg"),
    ("04_exif6.jpg", 4032, 3024, "testsrc2", "exif6"),
    ("05_12mp.jpg", 4000, 3000, "cellauto", "jpg"),
    ("06_fullhd.png", 1920, 1080, "testsrc2", "png"),
    ("07_iphone.heic", 4032, 3024, "mandelbrot", "heic"),
    ("08_square.jpg", 3000, 3000, "smptebars", "jpg"),
    ("09_tablet.png", 2048, 1536, "cellauto", "png"),
    ("10_phone.jpg", 4032, 3024, "mandelbrot", "jpg"),
    ("11_pano.jpg", 6000, 2000, "testsrc2", "jpg"),
    ("12_old.jpg", 1600, 1200, "smptehdbars", "jpg"),
]


def source(kind, w, h):
    base = {"testsrc2": f"testsrc2=size={w}x{h}", "mandelbrot": f"mandelbrot=size={w}x{h}",
            "smptehdbars": f"smptehdbars=size={w}x{h}", "smptebars": f"smptebars=size={w}x{h}",
            "cellauto": f"cellauto=size={w}x{h}:rule=110"}[kind]
    return base + ",noise=alls=12:allf=u,format=yuv420p"


def exif_orientation(path, orientation):
    """Inserts an APP1 Exif segment (big-endian TIFF, IFD0: Orientation) after a JPEG's SOI."""
    src = open(path, "rb").read()
    tiff = b"MM" + struct.pack(">HI", 42, 8) + struct.pack(">H", 1) + struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) \
        + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + tiff
    open(path, "wb").write(src[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + src[2:])


def make_inputs():
    """The 12 photos, the JPEG the ffmpeg recipe gets for the HEIC (ffmpeg 5.1 cannot read HEIC), the song."""
    d = os.path.join(INPUTS, "slideshow")
    os.makedirs(d, exist_ok=True)
    glog = generate_log()
    photos, for_ffmpeg = [], []
    for name, w, hh, kind, store in SPECS:
        path = os.path.join(d, name)
        if store == "heic":
            jpg = os.path.join(d, name.replace(".heic", "_as.jpg"))
            gen(jpg, lambda t, w=w, hh=hh, kind=kind: run_quiet(FF + ["-f", "lavfi", "-i", source(kind, w, hh), "-frames:v", "1",
                                                                    "-q:v", "2", "-update", "1", t], glog))
            gen(path, lambda t, jpg=jpg: run_quiet(["heif-enc", "-q", "75", jpg, "-o", t], glog))
            photos.append(path)
            for_ffmpeg.append(jpg)
            continue
        ext = {"exif6": "jpg"}.get(store, store)
        extra = {"jpg": ["-q:v", "3"], "png": [], "webp": ["-c:v", "libwebp", "-quality", "80"]}[ext]

        def build(t, w=w, hh=hh, kind=kind, store=store, extra=extra):
            run_quiet(FF + ["-f", "lavfi", "-i", source(kind, w, hh), "-frames:v", "1"] + extra + ["-update", "1", t], glog)
            if store == "exif6":
                exif_orientation(t, 6)
        photos.append(gen(path, build))
        for_ffmpeg.append(path)
    song = os.path.join(d, "song.mp3")
    # 42 s: a kick on every beat at 120 BPM, a bass line and a chord, at a modest level.
    kick = "0.6*exp(-25*mod(t\\,0.5))*sin(2*PI*60*mod(t\\,0.5))"
    tones = "0.08*sin(2*PI*110*t)+0.05*sin(2*PI*220*t)*(0.6+0.4*sin(2*PI*0.25*t))+0.04*sin(2*PI*330*t)"
    gen(song, lambda t: run_quiet(FF + ["-f", "lavfi", "-i", f"aevalsrc={kick}+{tones}|{kick}+{tones}:d=42:s=44100",
                                              "-c:a", "libmp3lame", "-b:a", "192k", t], glog))
    return {"photos": photos, "ffmpeg_photos": for_ffmpeg, "song": song}


def ffmpeg_recipe(photos, song, out, enc):
    """The recipe people type: per photo, the blurred fill (scale+crop+gblur under the fitted photo),
    then zoompan (12% zoom over 3.5 s, as 105 frames from one picture), chained by xfade fades
    centred on the cuts, and the song trimmed, faded and loudnorm'ed to -14 LUFS."""
    n = len(photos)
    clip = PHOTO_S + FADE_S
    frames = int(round(clip * 30))
    args, chains = [], []
    for i, p in enumerate(photos):
        args += ["-i", p]
        chains.append(
            f"[{i}:v]split[b{i}][f{i}];"
            f"[b{i}]scale=1080:1920:force_original_aspect_ratio=increase,crop=1080:1920,gblur=sigma=20[bg{i}];"
            f"[f{i}]scale=1080:1920:force_original_aspect_ratio=decrease[fg{i}];"
            f"[bg{i}][fg{i}]overlay=(W-w)/2:(H-h)/2,"
            f"zoompan=z='min(zoom+{0.12 / frames:.6f},1.12)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d={frames}:s=1080x1920:fps=30,"
            f"setsar=1,format=yuv420p[v{i}]")
    last = "v0"
    for k in range(1, n):
        chains.append(f"[{last}][v{k}]xfade=transition=fade:duration={FADE_S}:offset={k * PHOTO_S - FADE_S / 2}[x{k}]")
        last = f"x{k}"
    total = n * PHOTO_S
    chains.append(f"[{n}:a]atrim=0:{total},afade=t=out:st={total - 2}:d=2,loudnorm=I=-14:TP=-1:LRA=11,aresample=48000,aformat=channel_layouts=stereo[a]")
    return (args + ["-i", song, "-filter_complex", ";".join(chains), "-map", f"[{last}]", "-map", "[a]",
                    "-t", f"{total}", "-r", "30"] + enc + [out])


def define(inputs, selected, seconds):
    if "J12" not in selected:
        return []
    photos = make_inputs()
    o = {k: os.path.join(WORK, f"J12_{k}.mp4") for k in ("tikconv", "ffmpeg", "many")}
    enc = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
           "-movflags", "+faststart"]
    settings = ["--preset", "veryfast", "--crf", "23", "--audio-bitrate", "128k"]
    many = (photos["photos"] * (MANY // PHOTOS + 1))[:MANY]
    return [{"id": "J12", "title": f"{PHOTOS} mixed photos (24 MP JPEG, HEIC, portrait, EXIF-rotated) → slideshow, "
                                  f"{PHOTO_S:g} s each, {FADE_S:g} s crossfades, music",
             "kind": "slideshow", "subject": "tikconv", "baseline": "ffmpeg", "src": photos["photos"][0],
             "tools": [
                 {"tool": "tikconv", "out": o["tikconv"], "cmd": [TIKCONV] + photos["photos"]
                  + ["--music", photos["song"], "--local", "-o", o["tikconv"], "-y", "--progress", "none"] + settings},
                 {"tool": "ffmpeg", "out": o["ffmpeg"],
                  "cmd": FF + ffmpeg_recipe(photos["ffmpeg_photos"], photos["song"], o["ffmpeg"], enc)},
                 {"tool": f"tikconv {MANY} photos", "out": o["many"], "cmd": [TIKCONV] + many
                  + ["--music", photos["song"], "--local", "--photo-duration", f"{MANY_PHOTO_S:g}", "-o", o["many"], "-y",
                     "--progress", "none"] + settings},
             ]}]


# ---------------------------------------------------------------- shake

def frames_gray(path, crop):
    """Yields the centre crop of every frame as a float array (ffmpeg decodes, numpy reads)."""
    import numpy as np
    w, hh, x, y = crop
    p = subprocess.Popen(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-vf", f"crop={w}:{hh}:{x}:{y},format=gray",
                          "-f", "rawvideo", "-"], stdout=subprocess.PIPE)
    size = w * hh
    while True:
        b = p.stdout.read(size)
        if len(b) < size:
            break
        yield np.frombuffer(b, dtype=np.uint8).reshape(hh, w).astype(np.float64)
    p.wait()


def phase_shift(a, b, window):
    """Sub-pixel translation of b against a by phase correlation (parabolic peak refinement)."""
    import numpy as np
    fa, fb = np.fft.fft2(a * window), np.fft.fft2(b * window)
    r = fa * np.conj(fb)
    r /= np.abs(r) + 1e-9
    c = np.real(np.fft.ifft2(r))
    py, px = np.unravel_index(np.argmax(c), c.shape)
    hh, w = c.shape

    def refine(m, z, p):
        d = m - 2 * z + p
        return 0.5 * (m - p) / d if d != 0 else 0.0
    dx = px + refine(c[py, (px - 1) % w], c[py, px], c[py, (px + 1) % w])
    dy = py + refine(c[(py - 1) % hh, px], c[py, px], c[(py + 1) % hh, px])
    if dx > w / 2:
        dx -= w
    if dy > hh / 2:
        dy -= hh
    return -dx, -dy


def shake(path, photos, photo_s, fade_s):
    """Per photo, on the frames that show it alone (no crossfade): the displacement between
    consecutive frames of the centre 512x512 (phase correlation). Jerk = mean |change of that
    displacement| from one frame to the next (px/frame²: 0 for steady motion, about 1 for
    whole-pixel steps); reversals = share of frame pairs whose motion turns back (> 90°, both
    moving over 0.05 px)."""
    try:
        import numpy as np
    except ImportError:
        return {"error": "numpy not installed (scripts/setup bench installs it)"}
    crop = (512, 512, 284, 704)
    win = np.outer(np.hanning(512), np.hanning(512))
    solo = set()
    for i in range(photos):
        a, b = i * photo_s + (fade_s / 2 if i else 0), (i + 1) * photo_s - (fade_s / 2 if i < photos - 1 else 0)
        solo.update(range(int(np.ceil(a * 30)) + 1, int(np.floor(b * 30))))
    moves, prev = [], None
    for i, f in enumerate(frames_gray(path, crop)):
        # Both frames showing one photo alone (a crossfade separates one photo's frames from the next's).
        if prev is not None and i in solo and (i - 1) in solo:
            moves.append((i, phase_shift(prev, f, win)))
        prev = f
    jerks, turns, pairs = [], 0, 0
    for (i0, m0), (i1, m1) in zip(moves, moves[1:]):
        if i1 != i0 + 1:
            continue
        jerks.append(((m1[0] - m0[0]) ** 2 + (m1[1] - m0[1]) ** 2) ** 0.5)
        if np.hypot(*m0) > 0.05 and np.hypot(*m1) > 0.05:
            pairs += 1
            turns += (m0[0] * m1[0] + m0[1] * m1[1]) < 0
    if not jerks:
        return {"error": "no frames measured"}
    return {"jerk": float(np.mean(jerks)), "jerk_p95": float(np.percentile(jerks, 95)),
            "reversals": turns / pairs if pairs else 0.0, "pairs": len(jerks),
            "speed": float(np.median([np.hypot(*m) for _, m in moves]))}


def duration(path):
    out = capture(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path])
    try:
        return float(out.strip())
    except ValueError:
        return None


def encoder_frames(job):
    """A run of tikconv's command (untimed) that also writes the raw yuv420p pictures its encoder
    gets: (the raw file, that run's output, whose x264 options the floor copies), or None."""
    cmd = list(next(x["cmd"] for x in job["tools"] if x["tool"] == "tikconv"))
    raw, out = os.path.join(WORK, "J12_encoder_frames.yuv"), os.path.join(WORK, "J12_encoder_frames.mp4")
    cmd[cmd.index("-o") + 1] = out
    log("  J12: tikconv again, writing the frames its encoder gets (for x264 alone)")
    r = subprocess.run(cmd, env=dict(os.environ, TIKCONV_DEBUG_FRAMES=raw), capture_output=True)
    if r.returncode != 0 or not os.path.exists(raw):
        return None
    return raw, out


def x264_on_frames(raw, out):
    """CPU of the ffmpeg CLI encoding the raw frames with x264 as tikconv did (its options from
    `out`). The timed process also reads the file (~0.5 CPU-s of 3.4 GB from the page cache)."""
    st = x264_settings(out)
    if not st or "keyint" not in st:
        return None
    tf = os.path.join(WORK, "J12_floor_time.out")
    r = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", tf, "ffmpeg", "-v", "error", "-nostdin", "-f", "rawvideo",
                        "-pix_fmt", "yuv420p", "-s", "1080x1920", "-r", "30", "-i", raw, "-c:v", "libx264", "-preset", "veryfast",
                        "-crf", "23"] + contract_args(st) + ["-f", "null", "-"], capture_output=True)
    try:
        e, u, sy, m = open(tf).read().split()[-4:]
        return {"cpu": float(u) + float(sy), "rss_mb": int(m) / 1024.0, "wall": float(e)} if r.returncode == 0 else None
    except (OSError, ValueError):
        return None


def floor_on_frames(job, runs):
    """`x264_on_frames` `runs` times: the run with the median CPU, and every run's CPU."""
    got_frames = encoder_frames(job)
    if not got_frames:
        return None
    raw, out = got_frames
    try:
        got = [f for f in (x264_on_frames(raw, out) for _ in range(runs)) if f]
    finally:
        os.remove(raw)
    if not got:
        return None
    got.sort(key=lambda f: f["cpu"])
    return dict(got[len(got) // 2], runs=len(got), cpus=[f["cpu"] for f in got])


def song_of(job):
    cmd = next(x["cmd"] for x in job["tools"] if x["tool"] == "tikconv")
    return cmd[cmd.index("--music") + 1]


def aac_alone(song, seconds):
    """CPU of the song's decode + AAC-LC 128k encode alone for `seconds` (the audio x264 alone has not)."""
    if not seconds:
        return None
    tf = os.path.join(WORK, "J12_aac_time.out")
    r = subprocess.run([GNU_TIME, "-f", "%e %U %S %M", "-o", tf, "ffmpeg", "-v", "error", "-nostdin", "-i", song, "-t",
                        f"{seconds:.3f}", "-vn", "-ar", "48000", "-ac", "2", "-c:a", "aac", "-b:a", "128k", "-f", "null", "-"],
                       capture_output=True)
    try:
        e, u, sy, _ = open(tf).read().split()[-4:]
        return {"cpu": float(u) + float(sy), "wall": float(e)} if r.returncode == 0 else None
    except (OSError, ValueError):
        return None


def measure(job, res):
    """After the timed runs: slideshow length, shake of both outputs (into res)."""
    t = {x["tool"]: x for x in job["tools"]}
    for name in ("tikconv", "ffmpeg"):
        tr = res["tools"].get(name, {})
        if tr.get("status") == "ok":
            tr["shake"] = shake(t[name]["out"], PHOTOS, PHOTO_S, FADE_S)
            tr["video_s"] = duration(t[name]["out"])
    if res["tools"].get("tikconv", {}).get("status") == "ok":
        # As many runs as tikconv's timed ones, at most 3 (like the J1–J4 floors).
        runs = max(1, min(3, sum(not r.get("warmup") for r in res["tools"]["tikconv"].get("runs", []))))
        res["x264_floor"] = f = floor_on_frames(job, runs)
        if f:
            res["notes"].append(f"x264 alone encoding the very frames tikconv gives its encoder (written raw by a run with "
                                f"TIKCONV_DEBUG_FRAMES), with its x264 options, by the ffmpeg CLI (median of {f['runs']} runs: "
                                f"{', '.join(f'{c:.1f}' for c in f['cpus'])} CPU-s) takes {f['cpu']:.1f} s CPU, "
                                f"{f['wall']:.1f} s wall ({f['rss_mb']:.0f} MB peak) — tikconv's decoding, drawing and music "
                                f"cost the rest of its CPU")
        d = x264_floor(t["tikconv"]["out"])
        if d:
            res["x264_decoded_output"] = d
            res["notes"].append(f"for information, x264 alone on tikconv's output decoded (the first encode has smoothed its "
                                f"fine noise, so these frames are cheaper to encode), one run: {d['cpu']:.1f} CPU-s")
        a = aac_alone(song_of(job), duration(t["tikconv"]["out"]))
        if a:
            res["aac_alone"] = a
            res["notes"].append(f"the song alone, decoded and encoded to AAC 128k for the show's length by the ffmpeg CLI: "
                                f"{a['cpu']:.2f} CPU-s (part of tikconv's CPU, not of x264 alone's)")
    res["notes"].append("ffmpeg gets the HEIC as the JPEG it was made from: FFmpeg 5.1 cannot read HEIC (tikconv reads it "
                        "through libheif). ffmpeg ignores the EXIF orientation, so 04_exif6.jpg comes out on its side there.")
    res["notes"].append(f"the {MANY}-photo run shows each photo {MANY_PHOTO_S:g} s (the 12 photos repeated) to keep the run short; "
                        "only its peak RSS is compared")
    for name in ("tikconv", "ffmpeg"):
        s = res["tools"].get(name, {}).get("shake")
        if s and not s.get("error"):
            res["notes"].append(f"shake, {name}: jerk {s['jerk']:.3f} px/frame² (95th percentile {s['jerk_p95']:.3f}), "
                                f"motion reversals {s['reversals'] * 100:.1f}% of {s['pairs']} frame pairs, "
                                f"median motion {s['speed']:.2f} px/frame")
        elif s:
            res["notes"].append(f"shake, {name}: not measured ({s['error']})")


def goals(res, add):
    tools = res["tools"]
    t, f, m = tools.get("tikconv", {}), tools.get("ffmpeg", {}), tools.get(f"tikconv {MANY} photos", {})
    ok_t = t.get("status") == "ok"
    floor = res.get("x264_floor")
    name = f"CPU ≤ {X264_ALONE_GOAL:.2f}× x264 alone on its frames"
    if ok_t and floor and floor.get("cpu"):
        r = t["cpu"] / floor["cpu"]
        aac = res.get("aac_alone")
        less = f"; {(t['cpu'] - aac['cpu']) / floor['cpu']:.2f}× less the song's AAC alone ({aac['cpu']:.1f} s)" if aac else ""
        add(name, r <= X264_ALONE_GOAL, f"{r:.2f}× ({t['cpu']:.1f} s vs {floor['cpu']:.1f} s){less}")
    else:
        add(name, None, f"not measured (tikconv {t.get('status')}, x264 alone {'ok' if floor else 'failed'})")
    if ok_t:
        add(f"peak RSS ≤ {RSS_GOAL_MB} MB", t["rss_mb"] <= RSS_GOAL_MB, f"{t['rss_mb']:.0f} MB")
    if ok_t and m.get("status") == "ok":
        add(f"peak RSS not growing with the photo count ({PHOTOS} vs {MANY}: within 10%)", m["rss_mb"] <= t["rss_mb"] * 1.1,
            f"{t['rss_mb']:.0f} MB vs {m['rss_mb']:.0f} MB ({(m['rss_mb'] / t['rss_mb'] - 1) * 100:+.0f}%)")
    st, sf = t.get("shake") or {}, f.get("shake") or {}
    if "jerk" in st and "jerk" in sf:
        add("no shake: smooth, monotonic motion (jerk below the ffmpeg recipe's, < 1% reversals)",
            st["jerk"] < sf["jerk"] and st["reversals"] < 0.01,
            f"jerk {st['jerk']:.3f} vs ffmpeg {sf['jerk']:.3f} px/frame², reversals {st['reversals'] * 100:.1f}% vs "
            f"{sf['reversals'] * 100:.1f}%")
    else:
        add("no shake: smooth, monotonic motion", None, st.get("error") or sf.get("error") or "not measured")


def reference(job, seconds):
    return None  # judged by shake, time and memory


def reference_line(res):
    return common.reference_line(res, "none: judged by shake, time and memory")
