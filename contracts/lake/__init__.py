"""Lake scale: ``validate``'s verdicts on the engine a team already runs — Dask or Spark — over object storage,
from the engine-neutral bulk core (:mod:`checkout_contracts.bulk`).

* :mod:`.results` — every record's verdict as an Arrow table (:data:`results.SCHEMA`), and :func:`reconcile`:
  ``total = valid + invalid + unreadable``, each unit counted once, the records each counted unit holds;
* :mod:`.dask` — ``validate(paths, …) → dask DataFrame`` (``dd.from_map`` over the units), ``summary(ddf)``;
* :mod:`.spark` — ``validate(spark, paths, …) → DataFrame`` (``mapInArrow`` over a DataFrame of units),
  ``summary(df)``.

The engines plan on the driver from file sizes (:func:`checkout_contracts.bulk.plan.plan`), count the line breaks of the
ranges on the workers (so every record carries its file line number), and judge the units on the workers, which
read their own bytes (a path, or an fsspec URL: ``s3://…``, ``gs://…``, ``abfs://…``, ``file://…``). Workers need
the installed package (``pip install 'checkout-contracts[dask]'`` / ``[spark]``; ``[s3]`` for ``s3://``), not
code shipped as a zip: the schema files and the compiled fast path come with the wheel (:func:`check_install`)."""
from __future__ import annotations

import os

__all__ = ["check_install", "ShippedAsZip"]


class ShippedAsZip(RuntimeError):
    """The package is imported from a zip (Spark ``--py-files``, a zipped egg): its schema files cannot be read."""


def check_install() -> str:
    """Where the package is installed; :class:`ShippedAsZip` when it was shipped as a zip."""
    from .. import registry
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not os.path.isdir(here):  # …/deps.zip/contracts: a zip import
        raise ShippedAsZip(
            f"checkout-contracts is imported from a zip ({here}): its schema files and compiled fast path are not "
            "there. Install the wheel on every worker (pip install 'checkout-contracts[spark]', a cluster library "
            "on Databricks, a bootstrap action on EMR) instead of shipping the code with --py-files.")
    registry.schema_dir()  # raises when the schema files are missing
    return here
