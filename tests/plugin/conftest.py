"""pytester's in-process runs drop every module first imported during a run, so each run would import (and
assertion-rewrite) Hypothesis, Werkzeug and the plugin's own modules again, about a second per run. Importing
them here, once, keeps the plugin tests fast."""
import importlib

for _name in ("hypothesis", "werkzeug.serving", "checkout_contracts.fake.server", "checkout_contracts.live.paiwise",
              "checkout_contracts.live.swedbankpay", "checkout_contracts.report.text", "checkout_contracts.inputs", "checkout_contracts.routes",
              "checkout_contracts.bulk", "checkout_contracts.config", "requests", "httpx",
              # PyYAML's C extension cannot be imported twice: a yaml package imported again after a run would
              # not recognise the events of the extension kept from the first import (every YAML file then reads
              # as empty), so it is imported once, here
              "yaml", "checkout_contracts.inputs.yamlin"):
    try:
        importlib.import_module(_name)
    except ImportError:  # optional (requests / httpx) or not built yet
        pass
