"""pytester's in-process runs drop every module first imported during a run, so each run would import (and
assertion-rewrite) Hypothesis, Werkzeug and the plugin's own modules again, about a second per run. Importing
them here, once, keeps the plugin tests fast."""
import importlib

for _name in ("hypothesis", "werkzeug.serving", "contracts.fake.server", "contracts.live.paiwise",
              "contracts.live.swedbankpay", "contracts.report.text", "contracts.inputs", "contracts.routes",
              "contracts.bulk", "contracts.inputs.yamlin", "contracts.config", "requests", "httpx"):
    try:
        importlib.import_module(_name)
    except ImportError:  # optional (requests / httpx) or not built yet
        pass
