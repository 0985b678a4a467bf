"""chart.png: median CPU and wall seconds per job and tool (matplotlib; without it, no chart)."""
from .common import FLOOR, SAME, log


def draw_chart(path, results, floors):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("  matplotlib not installed (pip install matplotlib): no chart")
        return False
    colors = {"tikconv": "#1f77b4", "ffmpeg": "#ff7f0e", "ffmpeg re-encode": "#d62728", SAME: "#ffbb78",
              "tikconv local": "#1f77b4", "tikconv cloud": "#2ca02c", FLOOR: "#999999",
              "tikconv --reencode": "#9467bd", "tikconv --fit smart": "#8c6bb1", "tikconv --fit crop": "#1f77b4",
              "tikconv --reframe-in (render only)": "#c5b0d5"}
    results = [r for r in results if r["tools"]]  # R1 has no timed tools
    fig, axes = plt.subplots(1, 2, figsize=(16, 5))
    for ax, metric, title in ((axes[0], "cpu", "CPU seconds (user+sys), median"),
                              (axes[1], "wall", "Wall seconds, median")):
        x = 0.0
        ticks, labels, seen = [], [], set()
        for res in results:
            bars = [(n, tr.get(metric) if tr["status"] == "ok" else None) for n, tr in res["tools"].items()]
            if metric == "cpu" and res["id"] in floors:
                f = floors[res["id"]]
                bars.append((FLOOR, (f.get("floor_same_cpu") or f["floor_cpu"]) + f["audio"]["cpu"]))
            start = x
            for n, val in bars:
                if val is None:
                    ax.text(x, 0, f"{n}: n/a", ha="center", va="bottom", fontsize=7, rotation=90)
                else:
                    lab = "tikconv" if n in ("tikconv local", "tikconv --fit crop") else n
                    ax.bar(x, val, 0.8, color=colors.get(n, "#8c564b"), label=lab if lab not in seen else None)
                    ax.text(x, val, f"{val:.1f}" if val >= 1 else f"{val:.2f}", ha="center", va="bottom", fontsize=7)
                    seen.add(lab)
                x += 1
            ticks.append((start + x - 1) / 2)
            labels.append(res["id"])
            x += 1
        ax.set_xlim(-0.8, x - 0.2)
        ax.set_xticks(ticks)
        ax.set_xticklabels(labels)
        ax.set_title(title)
        ax.set_ylabel("seconds")
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, frameon=False)
    fig.suptitle("tikconv vs the ffmpeg CLI (same preset, CRF and AAC; the goals' peer also has tikconv's GOP and VBV)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True

