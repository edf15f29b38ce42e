"""What manifests record: paths from the project root, every package, the git state."""

from __future__ import annotations

import subprocess
from importlib import metadata
from pathlib import Path

import pytest

from src import config
from src.batch.manifest import (
    direct_dependencies,
    from_portable,
    git_state,
    installed_packages,
    portable,
    versions,
)


def test_paths_are_written_from_the_project_root_or_the_home_folder(tmp_path: Path) -> None:
    root = config.PROJECT_ROOT
    assert portable(root / "data" / "processed" / "2024", root) == "data/processed/2024"
    home = Path.home() / "somewhere" / "data"
    assert portable(home, Path("/elsewhere")) == "~/somewhere/data"
    assert portable(Path("/srv/nhs/raw"), root) == "/srv/nhs/raw"
    assert portable("relative/x", root) == "relative/x"
    for path in (root / "data" / "raw", home, Path("/srv/nhs/raw")):
        assert from_portable(portable(path, root), root) == path


def test_every_package_that_can_change_a_number_is_recorded() -> None:
    direct = direct_dependencies()
    assert {"igraph", "msgspec", "pandas", "scikit-learn", "papermill"} <= set(direct)
    assert "pytest" not in direct, "test tools are not dependencies of the results"
    recorded = versions()
    for name in [*direct, "scipy", "python", "nhs-influence"]:
        assert recorded[name] and recorded[name] != "not installed", name
    assert recorded["igraph"] == metadata.version("igraph")
    packages = installed_packages()
    assert len(packages) > len(direct) and packages["msgspec"] == metadata.version("msgspec")


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_the_git_state_is_the_commit_and_whether_the_tree_was_dirty(tmp_path: Path) -> None:
    assert git_state(tmp_path) == {
        "commit": None,
        "dirty": None,
        "note": "not a git checkout (or git not found)",
    }
    try:
        git(tmp_path, "init", "-q")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not installed")
    (tmp_path / "a.py").write_text("x = 1\n")
    git(tmp_path, "add", "a.py")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "first")
    state = git_state(tmp_path)
    assert len(state["commit"]) == 40 and state["dirty"] is False
    (tmp_path / "a.py").write_text("x = 2\n")
    state = git_state(tmp_path)
    assert state["dirty"] is True and state["changed"] == ["a.py"]
    inner = tmp_path / "inner"
    inner.mkdir()
    assert git_state(inner)["commit"] is None, "a folder inside a checkout is not one"
