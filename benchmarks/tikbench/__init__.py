"""tikbench: tikconv against the ffmpeg CLI doing the same job, with the same encoder settings.

common   paths, constants, small process helpers
measure  one timed run, output checks, SSIM/PSNR, x264 settings, the tiktok tool commands
standin  the cloud stand-in server (J7)
runners  running a job: warm-up, alternating timed runs, medians, references, the floor
stats    ratios, the peer's rate-quality curve, the goals every job shares
report   RESULTS.md; chart: chart.png
jobs     one module per job family, listed in jobs/__init__.py (see benchmarks/README.md)
cli      the command line (benchmarks/run)
"""
