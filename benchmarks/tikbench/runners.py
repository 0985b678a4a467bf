"""Running a job: one warm-up run of each tool, then timed runs alternating between the tools (A B A B …),
medians, SSIM/PSNR against the job's reference, per-pair ratios; and the floor (decode, x264, AAC alone)."""
import os
import shlex

from . import jobs
from .common import (CHAINS, CURVE_JOBS, FF, FPS, H, ROOT, STANDIN, STANDIN_STATE, TIKCONV, W, WORK, job_base, log,
                     med, read_tail, run_quiet, shown)
from .measure import contract_args, default_reference, describe, quality, timed, valid_output, x264_settings
from .standin import StandIn
from .stats import pair_ratios, peer_at_subject_size


def run(job, tikconv_state, opts):
    """A job's result, by its module's runner if it has one."""
    runner = jobs.hook(job["id"], "run")
    return runner(job, tikconv_state, opts) if runner else run_job(job, opts.pairs, tikconv_state, opts)


def run_job(job, pairs, tikconv_state, opts):
    res = {"id": job["id"], "title": job["title"], "kind": job["kind"], "subject": job["subject"],
           "baseline": job["baseline"], "tools": {}, "notes": [], "floor_job": bool(job.get("floor"))}
    tools = runnable_tools(job, res, tikconv_state)
    standin, cloud_env, tools, pairs = cloud_side(tools, res, pairs, opts)
    try:
        timed_rounds(job, res, tools, pairs, standin, cloud_env)
    finally:
        if standin:
            standin.stop()
    summarise(job, res, opts)
    return res


def runnable_tools(job, res, tikconv_state):
    """Every tool gets a row; the tikconv ones are run only when tikconv was built."""
    tools = []
    for t in job["tools"]:
        r = {"tool": t["tool"], "runs": [], "status": "ok",
             "cmd": shown(t["cmd"]) if "cmd" in t else f"(completed from {t['settings_from']}'s output)"}
        res["tools"][t["tool"]] = r
        if "cmd" in t and t["cmd"][0] == TIKCONV and tikconv_state != "ok":
            r["status"] = tikconv_state
            continue
        tools.append(t)
    return tools


def cloud_side(tools, res, pairs, opts):
    """The cloud tool's environment: the live service (NEMO_TOKEN; one timed pair, it costs quota) or the
    stand-in. Returns (stand-in or None, environment, the tools still to run, pairs)."""
    if not any(t.get("cloud") for t in tools):
        return None, None, tools, pairs
    live = bool(os.environ.get("NEMO_TOKEN"))
    res["cloud_mode"] = "live" if live else "emulated"
    without_cloud = [t for t in tools if not t.get("cloud")]
    if live:
        env = dict(os.environ)
        env.update(opts.cloud_env)
        return None, env, tools, 1
    if STANDIN_STATE[0] or not os.access(STANDIN, os.X_OK):
        res["tools"]["tikconv cloud"]["status"] = STANDIN_STATE[0] or "not available (nemo-standin not built)"
        return None, None, without_cloud, pairs
    standin = StandIn(opts.standin_args, opts.cloud_env)
    try:
        standin.start()
    except (RuntimeError, OSError) as e:
        res["tools"]["tikconv cloud"]["status"] = f"not available (stand-in failed to start: {str(e).strip()[:200]})"
        standin.stop()
        return None, None, without_cloud, pairs
    res["notes"].append(f"stand-in: {shlex.join([STANDIN] + shlex.split(opts.standin_args))} (port {standin.port})")
    return standin, standin.env(), tools, pairs


def complete_from(t, tools, res):
    """Give the tools that copy t's x264 settings their command, from t's first output."""
    for u in tools:
        if u.get("settings_from") == t["tool"] and "cmd" not in u:
            st = x264_settings(t["out"])
            if st and "keyint" in st and "keyint_min" in st:
                u["cmd"] = u["make_cmd"](st)
                res["tools"][u["tool"]]["cmd"] = shown(u["cmd"])
                res["x264_settings"] = {k: st[k] for k in ("keyint", "keyint_min", "vbv_maxrate", "vbv_bufsize") if k in st}


def run_once(t, warm, tools, res, standin, cloud_env):
    """One run of tool t, recorded in res; False when it failed (the tool then leaves the rounds)."""
    tr = res["tools"][t["tool"]]
    if "cmd" not in t:
        tr["status"] = f"not measured (no x264 settings read from {t['settings_from']}'s output)"
        log(f"    {t['tool']}: {tr['status']}")
        return False
    if os.path.exists(t["out"]):
        os.remove(t["out"])
    lf = os.path.join(WORK, f"{res['id']}_{t['tool'].replace(' ', '_')}.log")
    s0 = standin.cpu_seconds() if (standin and t.get("cloud")) else None
    r = timed(t["cmd"], lf, cloud_env if t.get("cloud") else None)
    if s0 is not None:
        s1 = standin.cpu_seconds()
        r["server_cpu"] = (s1 - s0) if s1 is not None else None
    if not (r["rc"] == 0 and valid_output(t["out"])):
        tr["status"] = (f"failed (exit {r['rc']})" if r["rc"] != 0 else "failed (no valid output)")
        tr["error"] = read_tail(lf, 6).strip()[-600:]
        log(f"    {t['tool']}: {tr['status']}")
        return False
    r["warmup"] = warm
    tr["runs"].append(r)
    complete_from(t, tools, res)
    log(f"    {t['tool']:<17} {'warm-up' if warm else 'timed  '} wall {r['wall']:7.2f}s  cpu {r.get('cpu', 0):7.2f}s  "
        f"rss {r.get('rss_mb', 0):6.0f}MB")
    return True


def timed_rounds(job, res, tools, pairs, standin, cloud_env):
    """A warm-up run of each tool (not counted; none against a live service), then `pairs` rounds."""
    active = list(tools)
    rounds = [False] * pairs if res.get("cloud_mode") == "live" else [True] + [False] * pairs
    for warm in rounds:
        for t in list(active):
            if not run_once(t, warm, tools, res, standin, cloud_env):
                active.remove(t)


def summarise(job, res, opts):
    """Medians, sizes, output descriptions and SSIM/PSNR of every tool; the job's own measures; the ratios."""
    reference = jobs.hook(job["id"], "reference") or default_reference
    ref = reference(job, opts.seconds)
    res["reference"] = os.path.relpath(ref, ROOT) if ref else "—"
    for t in job["tools"]:
        summarise_tool(t, res["tools"][t["tool"]], ref, res["id"])
    measure = jobs.hook(job["id"], "measure")
    if measure:
        measure(job, res)
    subj, base = res["tools"].get(job["subject"], {}), res["tools"].get(job["baseline"], {})
    if (job_base(res["id"]) in CURVE_JOBS and subj.get("ssim") is not None and base.get("ssim") is not None
            and res.get("x264_settings")):
        res["matched"] = peer_at_subject_size(job, ref, subj, base, res["x264_settings"])
    pr = pair_ratios(subj, base)
    if pr:
        res["pair_ratio"] = pr
        res["notes"].append(f"median of per-pair ratios {job['subject']} ÷ {job['baseline']}: CPU {pr['cpu']:.2f}×, "
                            f"wall {pr['wall']:.2f}× (the table uses the ratio of medians)")
    default = res["tools"].get("ffmpeg", {}) if job["kind"] == "geometry" else {}
    pr = pair_ratios(subj, default)
    if pr:
        res["default"] = {"cpu": subj["cpu"] / default["cpu"], "wall": subj["wall"] / default["wall"],
                          "pair_cpu": pr["cpu"], "pair_wall": pr["wall"]}
    finish = jobs.hook(job["id"], "finish")
    if finish:
        finish(job, res)


def summarise_tool(t, tr, ref, jid):
    timed_runs = [r for r in tr["runs"] if not r["warmup"]]
    if tr["status"] != "ok" or not timed_runs:
        if tr["status"] == "ok":
            tr["status"] = "no timed runs"
        return
    tr["n"] = len(timed_runs)
    tr["wall"] = med([r["wall"] for r in timed_runs])
    tr["cpu"] = med([r.get("cpu") for r in timed_runs])
    tr["rss_mb"] = max(r.get("rss_mb", 0) for r in timed_runs)
    tr["rss_mb_median"] = med([r.get("rss_mb") for r in timed_runs])
    if any(r.get("server_cpu") is not None for r in timed_runs):
        tr["server_cpu"] = med([r.get("server_cpu") for r in timed_runs])
    tr["size_mb"] = os.path.getsize(t["out"]) / 1e6
    tr["output"] = describe(t["out"])
    if ref:
        tr.update(quality(t["out"], ref, os.path.join(WORK, f"{jid}_{t['tool'].replace(' ', '_')}_ssim.log")))
    else:
        tr.update({"ssim": None, "psnr": None, "qerr": "—"})


def floor(job, runs, settings=None):
    """Decode alone + x264 encode of the already-fitted raw frames alone (+ audio transcode, shown apart).
    With tikconv's x264 settings, the encode is also timed with its GOP and VBV: tikconv's own floor."""
    src, fit = job["src"], job["fit"]
    flog = os.path.join(WORK, "floor.log")
    raw = os.path.join(WORK, f"{job['id']}_fitted.yuv")
    opt, chain = CHAINS[fit]
    log(f"  floor: pre-rendering fitted raw frames ({os.path.relpath(raw, ROOT)})")
    run_quiet(FF + ["-i", src, opt, chain, "-an", "-pix_fmt", "yuv420p", "-f", "rawvideo", raw], flog)
    encode = ["ffmpeg", "-hide_banner", "-nostdin", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{W}x{H}",
              "-r", str(FPS), "-i", raw, "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]
    cmds = {
        "decode": ["ffmpeg", "-hide_banner", "-nostdin", "-noautorotate", "-i", src, "-an", "-f", "null", "-"],
        "encode": encode + ["-f", "null", "-"],
        "audio": ["ffmpeg", "-hide_banner", "-nostdin", "-i", src, "-vn", "-c:a", "aac", "-b:a", "128k", "-f", "null", "-"],
    }
    if settings:
        cmds["encode_same"] = encode + contract_args(settings) + ["-f", "null", "-"]
    out = {"cmds": {k: shown(v) for k, v in cmds.items()}}
    try:
        for k, c in cmds.items():
            rs = []
            for _ in range(runs):
                r = timed(c, flog)
                if r["rc"] != 0:
                    raise RuntimeError(f"floor {k} failed: {read_tail(flog)}")
                rs.append(r)
            out[k] = {"cpu": med([r["cpu"] for r in rs]), "wall": med([r["wall"] for r in rs]),
                      "rss_mb": max(r["rss_mb"] for r in rs)}
            log(f"    floor {k:<7} cpu {out[k]['cpu']:6.2f}s  wall {out[k]['wall']:6.2f}s")
    finally:
        if os.path.exists(raw):
            os.remove(raw)
    out["floor_cpu"] = out["decode"]["cpu"] + out["encode"]["cpu"]
    if "encode_same" in out:
        out["floor_same_cpu"] = out["decode"]["cpu"] + out["encode_same"]["cpu"]
    return out

