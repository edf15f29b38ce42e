"""A headless Chromium driven over the DevTools protocol, for the report browser test.

The browser is started with networking disabled (no proxy-bypassing, every host name
unresolvable, background services off, a fresh profile), so a page that tried to fetch
anything would show it as a network request (and fail). Each page is loaded from
``file://``; console messages, uncaught exceptions, log entries (CSP violations land
there) and network requests are recorded while it loads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from websocket import WebSocket

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-default-browser-check",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
    "--window-size=1280,1600",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "devtools:", "chrome:")


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageLoad:
    """What happened while a page loaded: its errors and the requests it made off the page."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Browser:
    """``with Browser(profile_dir) as browser: browser.load(path)``."""

    def __init__(self, profile: Path, executable: str | None = None) -> None:
        self.profile = profile
        self.executable = executable or find_chromium()
        self.process: subprocess.Popen | None = None
        self.ws: WebSocket | None = None
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        import websocket

        if self.executable is None:
            raise RuntimeError("chromium is not installed (Debian: apt-get install chromium)")
        self.profile.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"chromium did not start (exit {self.process.poll()})")
            time.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        targets = json.loads(
            urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10).read()
        )
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=30, suppress_origin=True
        )
        for method in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
            self.send(method)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    @property
    def socket(self) -> WebSocket:
        """The page's DevTools connection (open inside ``with Browser(...)``)."""
        if self.ws is None:
            raise RuntimeError("the browser is not started: use it in a `with Browser(...)` block")
        return self.ws

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == event for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {event} within {timeout} s")
            self.events.append(json.loads(self.socket.recv()))

    def load(
        self, path: Path, *, width: int = 1280, height: int = 1600, mobile: bool = False
    ) -> PageLoad:
        """Load ``path`` from file:// at the given viewport; collect errors and requests."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        self.events = []
        url = path.resolve().as_uri()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("new Promise(r => setTimeout(r, 200))")  # let late console messages arrive
        load = PageLoad(url)
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                request_url = params.get("request", {}).get("url", "")
                if not request_url.startswith(LOCAL_SCHEMES):
                    load.requests.append(request_url)
            error = page_error(method, params)
            if error is not None:
                load.errors.append(error)
        return load

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def screenshot(self, out: Path, *, full_page: bool = False) -> Path:
        import base64

        params: dict[str, Any] = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params.update(
                captureBeyondViewport=True,
                clip={
                    "x": 0,
                    "y": 0,
                    "width": metrics["width"],
                    "height": min(metrics["height"], 6000),
                    "scale": 1,
                },
            )
        data = self.send("Page.captureScreenshot", **params)["data"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(data))
        return out


def page_error(method: str | None, params: dict[str, Any]) -> str | None:
    """The error a DevTools event reports, in one line, or None when it is not an error.

    Console errors, assertions and warnings, uncaught exceptions, log entries (CSP
    violations land there) and failed loads (a load the page aborted itself is not one).
    """
    if method == "Runtime.consoleAPICalled" and params.get("type") in (
        "error",
        "assert",
        "warning",
    ):
        values = (str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
        return f"console.{params['type']}: " + " ".join(values)
    if method == "Runtime.exceptionThrown":
        return "exception: " + json.dumps(params.get("exceptionDetails", {}))[:500]
    entry = params.get("entry", {})
    if method == "Log.entryAdded" and entry.get("level") in ("error", "warning"):
        return f"log {entry.get('source')}: {entry.get('text')} {entry.get('url', '')}"
    if method == "Network.loadingFailed" and params.get("errorText") not in (
        None,
        "net::ERR_ABORTED",
    ):
        return f"loading failed: {params.get('errorText')}"
    return None


def required() -> bool:
    """True when a missing browser fails the test instead of skipping it.

    CI sets ``NHS_INFLUENCE_REQUIRE_BROWSER=1``.
    """
    return os.environ.get("NHS_INFLUENCE_REQUIRE_BROWSER", "") not in ("", "0")
