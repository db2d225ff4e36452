"""The simulator in its own process (``python -m console.sim``), for tests that must not
share a CPU or a fate with it: the burst test measures the limiter, not the event loop the
two would share, and the kill -9 test kills the client while the venue lives on."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from types import TracebackType
from typing import Any, Self


class SimProcess:
    """``python -m console.sim`` on a free loopback port; faults over its admin endpoint."""

    def __init__(self, *, seed: int = 7, api_key: str = "sim-key", secret: str = "sim-secret"):
        self.api_key = api_key
        self.api_secret = secret
        self._args = [
            sys.executable,
            "-m",
            "console.sim",
            "--port",
            "0",
            "--seed",
            str(seed),
            "--api-key",
            api_key,
            "--api-secret",
            secret,
        ]
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""
        self.ws_url = ""

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(
            self._args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith("REST"):
                self.base_url = line.split()[1]
            if line.startswith("WS"):
                self.ws_url = line.split()[1].split("/v5/")[0]
            if line.startswith("Ctrl-C"):
                break
        if not self.base_url:
            self.close()
            raise RuntimeError("the simulator did not start")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            for stream in (self._process.stdout, self._process.stderr):
                if stream is not None:
                    stream.close()
            self._process = None

    def fault(self, **command: Any) -> None:
        """Arm a fault switch (``POST /sim/admin/faults``), e.g. ``fault(action="ban",
        seconds=1)``."""
        request = urllib.request.Request(
            self.base_url + "/sim/admin/faults",
            data=json.dumps(command).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200

    def get(self, path: str) -> dict[str, Any]:
        with urllib.request.urlopen(self.base_url + path, timeout=5) as response:
            body: dict[str, Any] = json.loads(response.read())
            return body
