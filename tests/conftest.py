import os

# Qt needs a screen; CI and developer machines here have none.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from tests.support.live_server import LiveServer, write_test_config

OUTPUT_DIR = Path(__file__).resolve().parents[1] / "test-output"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the whole run: a second sync
    Playwright in the same process would find the first one's event loop running."""
    import shutil

    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
