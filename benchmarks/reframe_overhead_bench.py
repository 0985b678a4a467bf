"""R4, smart reframing's analysis overhead on real footage, for benchmarks/run; also the overhead goal
of R2/R3.

Analysis overhead = the CPU of a smart conversion ÷ the CPU of the same crop path rendered without
analysing (`--reframe-in` of the smart run's own `--reframe-out`): both encode the same pictures, so
the ratio is what finding shots and subjects costs. Goal ≤ 1.10×, medians of alternating runs.
R4 runs it on opencv-doc's Megamind.avi (real dialogue, four shots, faces), fetched into a cache by
scripts/real-footage. See benchmarks/README.md.
"""
import os
import subprocess

OVERHEAD_GOAL = 1.10


def fetch_clip(h):
    """Megamind.avi's path in scripts/real-footage's cache (fetched from opencv-doc when missing)."""
    p = subprocess.run([os.path.join(h.ROOT, "scripts", "real-footage"), "--fetch", "--only", "megamind"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    path = p.stdout.strip().splitlines()[-1] if p.returncode == 0 and p.stdout.strip() else ""
    if not os.path.isfile(path):
        raise RuntimeError(f"R4: cannot fetch Megamind.avi: {p.stderr.strip()[-300:]}")
    return path


def define_job(h):
    """R4: smart, crop and render-only on the real clip (the same tools as R2/R3)."""
    src = fetch_clip(h)
    return {"id": "R4", "title": "analysis overhead of --fit smart on real footage (opencv-doc's Megamind.avi, 11 s)",
            "kind": "reframe-cost", "src": src, "clip_seconds": 11.26, "subject": "tikconv --fit smart", "baseline": "tikconv --fit crop",
            "tools": [h.reframe_tool(src, fit, "R4") for fit in ("smart", "crop", "render")]}


def goals(res, add, render_tool):
    """Smart's CPU ÷ the render-only CPU of its own path."""
    smart = res["tools"].get("tikconv --fit smart", {})
    render = res["tools"].get(render_tool, {})
    if smart.get("cpu") and render.get("cpu"):
        ratio = smart["cpu"] / render["cpu"]
        add(f"analysis overhead: CPU ≤ {OVERHEAD_GOAL:.2f}× its own path rendered (--reframe-in)", ratio <= OVERHEAD_GOAL,
            f"{ratio:.3f}× ({smart['cpu']:.2f} vs {render['cpu']:.2f} CPU-s, medians of {smart.get('n', '?')} alternating runs)")
    else:
        add(f"analysis overhead: CPU ≤ {OVERHEAD_GOAL:.2f}× its own path rendered (--reframe-in)", None,
            "not measured: " + (smart.get("status") if smart.get("status") != "ok" else render.get("status", "no runs")))
