import os

# Qt needs a screen; CI and developer machines here have none.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from tests.support.live_server import LiveServer, write_test_config

OUTPUT_DIR = Path(__file__).resolve().parents[1] / "test-output"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Screenshots and other artefacts a person should look at after the run."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture
def test_config(tmp_path) -> Path:
    return write_test_config(tmp_path / "layso.toml")


@pytest.fixture
def live_server(tmp_path, test_config):
    """A fresh `layso server` process on SQLite with the bundled commune config.

    Users: admin/admin-pass-123 (admin) and canbo1/canbo-pass-123 (clerk).
    """
    server = LiveServer(test_config, tmp_path / "data")
    server.data_dir.mkdir(parents=True, exist_ok=True)
    server.start()
    server.add_user("admin", "admin", "admin-pass-123")
    server.add_user("canbo1", "clerk", "canbo-pass-123")
    yield server
    server.stop()
