"""Installs every part of LaySo under the one name `layso` (layso.server, layso.kiosk, …).

The folders stay at the top of the checkout, as the architecture lays them out; this
maps each onto its place under `layso`, so site-packages gets no `server`, `config` or
`assets` of its own. The rest of the metadata is in pyproject.toml.
"""

from setuptools import find_packages, setup

PARTS = ("server", "kiosk", "counter_display", "ticket_printer", "config", "assets")

packages = ["layso"] + [f"layso.{name}" for name in find_packages("layso")]
package_dir = {"layso": "layso"}
for part in PARTS:
    package_dir[f"layso.{part}"] = part
    packages += [f"layso.{part}"] + [f"layso.{part}.{sub}" for sub in find_packages(part)]

setup(
    packages=packages,
    package_dir=package_dir,
    package_data={
        "layso.server": ["web/static/*", "web/templates/*.html", "web/templates/*/*.html",
                         "storage/migrations/*.py", "storage/migrations/*.mako",
                         "storage/migrations/versions/*.py"],
        "layso.assets": ["fonts/*", "sounds/*", "images/*"],
        "layso.config": ["*.toml"],
    },
)
