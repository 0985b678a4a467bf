#!/usr/bin/env python3
"""Draws a reframe path (reframe-bench --raw output) on raw yuv420p frames: one tile every
`step` frames, the window in green (red: fill). For looking at real footage before the
engine's --preview exists. Needs python3-opencv (scripts/setup installs it).

usage: sheet.py FRAMES.yuv WxH FPS PATH.json OUT.jpg [step]
"""
import json, sys
import cv2
import numpy as np

frames, size, fps, path_file, out = sys.argv[1:6]
step = int(sys.argv[6]) if len(sys.argv) > 6 else 12
W, H = map(int, size.split("x"))
fps = float(fps)
path = json.load(open(path_file))
frame_bytes = W * H * 3 // 2


def window(t):
    shot = [s for s in path["shots"] if s["start"] <= t][-1] if t >= path["shots"][0]["start"] else path["shots"][0]
    keys = shot["keyframes"]
    if shot["mode"] == "fill":
        return shot["mode"], (0, 0, path["sourceWidth"], path["sourceHeight"])
    if t <= keys[0]["t"]:
        k = keys[0]
    elif t >= keys[-1]["t"]:
        k = keys[-1]
    else:
        a, b = next((a, b) for a, b in zip(keys, keys[1:]) if a["t"] <= t <= b["t"])
        f = (t - a["t"]) / (b["t"] - a["t"])
        k = {c: a[c] + (b[c] - a[c]) * f for c in "xywh"}
    return shot["mode"], (k["x"], k["y"], k["w"], k["h"])


data = open(frames, "rb").read()
tiles = []
for i in range(0, len(data) // frame_bytes, step):
    yuv = np.frombuffer(data[i * frame_bytes:(i + 1) * frame_bytes], np.uint8).reshape(H * 3 // 2, W)
    img = cv2.cvtColor(yuv, cv2.COLOR_YUV2BGR_I420)
    mode, (x, y, w, h) = window(i / fps)
    s = W / path["sourceWidth"]
    colour = (0, 0, 255) if mode == "fill" else (0, 255, 0)
    cv2.rectangle(img, (int(x * s), int(y * s)), (int((x + w) * s) - 1, int((y + h) * s) - 1), colour, 3)
    cv2.putText(img, f"{i / fps:.1f}s {mode}", (5, 20), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 2)
    tiles.append(cv2.resize(img, (240, 240 * H // W)))
while len(tiles) % 6:
    tiles.append(np.zeros_like(tiles[0]))
cv2.imwrite(out, np.vstack([np.hstack(tiles[r:r + 6]) for r in range(0, len(tiles), 6)]), [cv2.IMWRITE_JPEG_QUALITY, 80])
