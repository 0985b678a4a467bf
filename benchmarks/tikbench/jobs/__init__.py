"""The job registry: one module per job family, run (and reported) in this order.

A job module has:
  IDS                                  the ids it adds to --jobs (J8 runs as J8-HLG and J8-PQ)
  define(inputs, selected, seconds)    its job dicts for the selected ids; `inputs["landscape"]` is the
                                       shared 1920x1080 clip; a module makes its own inputs here
                                       (tikbench.common.gen caches them under benchmarks/inputs/)
and may have:
  run(job, tikconv_state, opts)        its own runner instead of runners.run_job (returns the result)
  reference(job, seconds)              the SSIM/PSNR reference (default: the peer's chain rendered lossless)
  measure(job, res)                    extra figures after the timed runs
  finish(job, res)                     last notes, after the per-pair ratios
  goals(res, add)                      its goals: add(text, passed or None, measured text)
  reference_line(res)                  RESULTS.md's line on the SSIM/PSNR reference (common.reference_line)
  report_section(results)              a section of RESULTS.md (lines) after the goals
"""
from . import cloud, edits, geometry, hdr, phone4k, ready, reframe, remux, slideshow, transcode

# Adding a job: a module here plus one line in this list.
MODULES = [
    geometry,   # J1-J4: landscape pad/crop/blur, rotated phone clip
    hdr,        # J8: HDR (HLG, PQ) to SDR
    phone4k,    # J9: a phone's 4K HEVC
    ready,      # J10: already TikTok-ready, copied
    remux,      # J5: MKV to MP4 by remuxing
    transcode,  # J6: AVI to MP4 without losing quality
    edits,      # J11: what local edits cost
    cloud,      # J7: local vs cloud route
    slideshow,  # J12: photos and a song
    reframe,    # R1-R3: smart reframing
]

ALL_JOBS = tuple(sorted((i for m in MODULES for i in m.IDS), key=lambda j: (j[0] != "J", int(j[1:]))))


def module_for(jid):
    """The module of a job id (J8-HLG belongs to J8's)."""
    base = jid.split("-")[0]
    return next(m for m in MODULES if base in m.IDS)


def hook(jid, name):
    """A module's optional function, or None."""
    return getattr(module_for(jid), name, None)
