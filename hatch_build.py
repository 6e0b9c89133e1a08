"""Build hook: compile the fast path's C module (``contracts/fastpath/src/*.c``) into the wheel.

Plain C against the Python headers, no other library. Without a working C compiler the build goes on and the
package runs without the fast path (the same verdicts, slower): ``checkout-contracts validate --help`` and
``contracts.fastpath.get()`` tell whether it is there. An editable install builds the module next to its
source, where the editable package imports it from.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCES = os.path.join("contracts", "fastpath", "src")


class FastPathHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or os.environ.get("CHECKOUT_CONTRACTS_NO_C") == "1":
            return
        name = "_fast" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":
            out = os.path.join(self.root, "contracts", "fastpath", name)
        else:
            out = os.path.join(tempfile.mkdtemp(prefix="cc-fast-"), name)
        if not _compile(os.path.join(self.root, SOURCES), out):
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][out] = f"contracts/fastpath/{name}"


def _compile(folder: str, out: str) -> bool:
    sources = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".c"))
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    include = sysconfig.get_paths()["include"]
    strict = ["-Werror=incompatible-pointer-types", "-Werror=implicit-function-declaration", "-Werror=int-conversion"]
    cmd = [*cc, "-O2", "-std=gnu99", *strict, "-shared", "-fPIC", "-fno-strict-aliasing", f"-I{include}", *sources,
           "-o", out]
    if sys.platform == "darwin":
        cmd[1:1] = ["-undefined", "dynamic_lookup"]
    try:
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        return True
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        print(f"checkout-contracts: the C fast path was not built ({detail.strip()[:300]}); "
              "bulk validation runs without it", file=sys.stderr)
        return False
