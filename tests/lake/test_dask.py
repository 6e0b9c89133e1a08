"""Dask on a real ``distributed.LocalCluster`` (2 worker processes): the local engine's verdicts, from local files
and from an S3-compatible server, reconciled; ``validate --engine dask`` writes the local engine's report; no
payload byte in any log."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("dask.dataframe", reason="the lake tests need dask[dataframe]: pip install -e '.[test]'")
distributed = pytest.importorskip("distributed", reason="the lake tests need distributed: pip install -e '.[test]'")
pa = pytest.importorskip("pyarrow")

from checkout_contracts.lake import dask as cc  # noqa: E402
from lake_helpers import CHUNK, PAN, rows_of  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster, distributed.Client(cluster) as c:
        yield c


def _rows(ddf) -> list[tuple]:
    frame = ddf.compute()
    return rows_of(pa.Table.from_pandas(frame, preserve_index=False).to_pylist())


def _no_pan_in_logs(client, capfd) -> None:
    captured = capfd.readouterr()
    logs = json.dumps([client.get_worker_logs(), client.get_scheduler_logs()], default=str)
    for text in (captured.out, captured.err, logs):
        assert PAN not in text


def test_local_files_give_the_local_verdicts(client, hostile_dir, local_rows, capfd):
    ddf = cc.validate(str(hostile_dir), chunk=CHUNK)
    assert ddf.npartitions > 10  # the big files' ranges, the other files
    assert _rows(ddf) == local_rows
    summary = cc.summary(ddf)
    assert summary["reconciled"], summary["problems"]
    assert summary["total"] == len(local_rows)
    _no_pan_in_logs(client, capfd)


def test_from_s3_and_to_parquet(client, s3, local_rows, tmp_path, capfd):
    import pyarrow.parquet as pq
    from checkout_contracts.lake.results import reconcile_parquet
    ddf = cc.validate("s3://captures/", storage_options=s3, chunk=CHUNK)
    ddf.to_parquet(str(tmp_path / "out"), write_index=False)
    assert rows_of(pq.read_table(tmp_path / "out").to_pylist()) == local_rows
    summary = reconcile_parquet(str(tmp_path / "out"), cc._EXPECTED[ddf._name])
    assert summary["reconciled"] and summary["total"] == len(local_rows), summary
    _no_pan_in_logs(client, capfd)


def test_cli_engine_dask_writes_the_local_report(client, hostile_dir, tmp_path, monkeypatch, capsys):
    from checkout_contracts import bulk
    from checkout_contracts.cli import main
    monkeypatch.setattr(bulk.plan, "CHUNK", CHUNK)        # the local engine's ranges …
    monkeypatch.setattr(bulk.plan, "LAKE_CHUNK", CHUNK)   # … and the engine's
    reports = {}
    for engine in ("local", "dask"):
        extra = ["--scheduler", client.scheduler.address] if engine == "dask" else []
        rc = main(["validate", "--engine", engine, *extra, "--format", "json", "--drift-report", "--results",
                   str(tmp_path / f"{engine}.parquet"), str(hostile_dir)])
        reports[engine] = (rc, capsys.readouterr().out)
    assert reports["dask"] == reports["local"]
    assert reports["local"][0] == 1 and '"unknown_fields"' in reports["local"][1]  # the drift, merged across units
    import pyarrow.parquet as pq
    local, remote = (pq.read_table(tmp_path / f"{e}.parquet").drop(["unit"]) for e in ("local", "dask"))
    assert local.equals(remote) and local.num_rows > 100


def test_the_local_engine_reads_s3_urls_too(s3, local_rows, tmp_path, monkeypatch, capsys):
    """Three engines from the S3-compatible server: the local one too (credentials and endpoint from the usual
    environment)."""
    import pyarrow.parquet as pq
    from checkout_contracts import bulk
    from checkout_contracts.cli import main
    monkeypatch.setattr(bulk.plan, "CHUNK", CHUNK)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3["key"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3["secret"])
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3["client_kwargs"]["endpoint_url"])
    rc = main(["validate", "--jobs", "1", "--format", "json", "--results", str(tmp_path / "r.parquet"),
               "s3://captures/"])
    report = json.loads(capsys.readouterr().out)
    assert rc == 1 and report["summary"]["sources"] == 6
    assert rows_of(pq.read_table(tmp_path / "r.parquet").to_pylist()) == local_rows
