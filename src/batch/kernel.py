"""The project's Jupyter kernel, and the kernel manager the batch executes notebooks with.

``make install`` registers a kernel named :data:`KERNEL_NAME` in the environment's own
``share/jupyter/kernels`` (so it goes with ``.venv``), running this environment's Python.
JupyterLab (``make lab``), papermill and the batch use it by name, so no other Jupyter
or Python on the machine can be picked by mistake.

:func:`kernel_manager_class` gives papermill a kernel manager that keeps the log quiet
and truthful:

- the kernel talks over IPC (Unix sockets in a private folder), not TCP: over TCP every
  kernel warns at start-up that it runs without encryption;
- a kernel that has run its notebook is shut down by a shutdown request alone.
  ``jupyter_client`` first sends SIGINT to every kernel it shuts down; papermill's last
  request (``kernel_info``, after the last cell) may still be in hand when it lands, and
  the kernel then logs "KeyboardInterrupt caught in kernel." on a good run. A hung cell
  is still stopped: the kernel that ignores the request gets SIGTERM, then SIGKILL;
- what the kernel process itself writes to stderr goes to a file, so the batch can name
  the year and step it came from (it is logged and kept in the manifest, never dropped).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

#: The project kernel's name (``--kernel`` and the notebooks' metadata use it).
KERNEL_NAME = "nhs-influence"
#: What JupyterLab shows for it.
KERNEL_DISPLAY_NAME = "nhs-influence (.venv)"


def kernel_python(name: str) -> str | None:
    """The Python that kernel ``name`` runs (its spec's first argument), or None if unknown."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        return None
    return str(spec.argv[0]) if spec.argv else None


def install_kernel(prefix: Path | None = None) -> Path:
    """Register :data:`KERNEL_NAME`, running this Python, in ``<prefix>/share/jupyter/kernels``.

    ``prefix`` defaults to this environment (``sys.prefix``: ``.venv``). Returns the
    kernel's folder. Installing again replaces it.
    """
    from ipykernel.kernelspec import install

    folder = install(
        kernel_name=KERNEL_NAME,
        display_name=KERNEL_DISPLAY_NAME,
        prefix=str(prefix or sys.prefix),
    )
    return Path(folder)


def ensure_kernel(name: str) -> str | None:
    """Make sure kernel ``name`` can start; returns what was done (for the log), or None.

    The project kernel is registered in this environment when it is missing (``make
    install`` does it; a ``pip install`` alone does not). Another name is left to Jupyter,
    which names the kernels it knows if it has none by that name.
    """
    if name != KERNEL_NAME or kernel_python(name) is not None:
        return None
    folder = install_kernel()
    return f"registered the project kernel {KERNEL_NAME!r} (this Python) in {folder}"


def kernel_manager_class(stderr: Path | None = None, sockets: Path | None = None) -> type[Any]:
    """A kernel manager class for papermill (``kernel_manager_class=``); see the module doc.

    ``stderr``: file that receives what the kernel process writes to its stderr (None:
    this process's stderr). ``sockets``: a private folder for the IPC sockets (None: TCP).
    """
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class StepKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self) -> str:
            return "tcp" if sockets is None else "ipc"

        @default("ip")
        def _ip_default(self) -> str:
            if sockets is None:
                return str(super()._ip_default())
            # a path per kernel: kernels started from the same folder must not share sockets
            return str(sockets / f"kernel-{id(self):x}")

        async def _async_interrupt_kernel(self) -> None:
            if self.shutting_down:  # the notebook has finished: a shutdown request is enough
                return
            await super()._async_interrupt_kernel()

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            if stderr is None:
                await super()._async_launch_kernel(kernel_cmd, **kw)
                return
            # the kernel process keeps its own copy of the descriptor
            with open(stderr, "ab") as handle:
                await super()._async_launch_kernel(kernel_cmd, **{**kw, "stderr": handle})

    return StepKernelManager
