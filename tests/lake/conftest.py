"""Fixtures of the lake tests: the hostile mix (local and in an S3-compatible server on loopback) and the local
engine's verdicts on it (what every engine must reproduce)."""
from __future__ import annotations

from pathlib import Path

import pytest

from lake_helpers import hostile_files, rows_of


@pytest.fixture(scope="session")
def hostile_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("captures")
    for name, data in hostile_files().items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="session")
def local_rows(hostile_dir) -> list[tuple]:
    """The local engine's verdicts (``validate --jobs 1``): what every engine must reproduce."""
    from checkout_contracts import bulk
    return rows_of(o for batch in bulk.Run([str(hostile_dir)], bulk.Options()) for o in batch)


@pytest.fixture(scope="session")
def s3(hostile_dir):
    """An S3-compatible server (moto, server mode) on 127.0.0.1 holding the hostile mix in ``s3://captures/``;
    yields the fsspec storage options."""
    pytest.importorskip("moto.server", reason="the lake tests need moto[server]: pip install -e '.[test]'")
    s3fs = pytest.importorskip("s3fs", reason="the lake tests need s3fs: pip install -e '.[test]'")
    from moto.server import ThreadedMotoServer
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    options = {"key": "testing", "secret": "testing", "client_kwargs": {"endpoint_url": f"http://{host}:{port}"}}
    fs = s3fs.S3FileSystem(**options)
    fs.mkdir("captures")
    for path in sorted(hostile_dir.iterdir()):
        fs.pipe(f"captures/{path.name}", path.read_bytes())
    try:
        yield options
    finally:
        server.stop()


