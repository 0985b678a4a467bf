"""The cloud stand-in (.build/release/nemo-standin) on a free loopback port, for J7 without NEMO_TOKEN."""
import os
import shlex
import signal
import socket
import subprocess
import time

from .common import ROOT, STANDIN, WORK, read_tail


class StandIn:
    def __init__(self, args_template, extra_env):
        self.proc = None
        self.template = args_template
        self.extra_env = extra_env
        self.logfile = os.path.join(WORK, "standin.log")

    def start(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        # The "rendered" video the stand-in serves: a bundled clip (only its download time matters).
        mp4 = os.path.join(ROOT, "TestMedia", "h264_aac_16x9.mp4")
        args = [a.replace("{port}", str(self.port)).replace("{mp4}", mp4) for a in shlex.split(self.template)]
        self.lf = open(self.logfile, "wb")
        self.proc = subprocess.Popen([STANDIN] + args, stdout=self.lf, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nemo-standin exited ({self.proc.returncode}): {read_tail(self.logfile)}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("nemo-standin did not listen within 30 s")

    def cpu_seconds(self):
        """user+sys of the stand-in process so far (it may render on this same machine)."""
        try:
            f = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
            return (int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError, AttributeError):
            return None

    def env(self):
        e = dict(os.environ)
        e["NEMO_API_BASE"] = f"http://127.0.0.1:{self.port}"
        e.update(self.extra_env)
        return e

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.lf.close()

