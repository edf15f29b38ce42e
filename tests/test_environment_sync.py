"""environment.yml (conda users) and pyproject.toml (pip) list the same packages."""

from __future__ import annotations

import re
import tomllib

import yaml

from src import config

# Distribution names that conda-forge spells differently from PyPI.
CONDA_NAME = {"igraph": "python-igraph"}  # PyPI igraph is conda-forge python-igraph


def _split(requirement: str) -> tuple[str, str]:
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*", requirement)
    assert match, f"cannot read requirement {requirement!r}"
    name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
    return CONDA_NAME.get(name, name), match.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((config.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"
    ]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    pairs = dict(_split(r) for r in requirements)
    pairs["python"] = project["requires-python"].replace(" ", "")
    return pairs


def environment_requirements() -> tuple[dict[str, str], list[str]]:
    spec = yaml.safe_load((config.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = {}, []
    for entry in spec["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
        elif entry != "pip":
            name, version = _split(entry)
            conda[name] = version
    return conda, pip


def differences(expected: dict[str, str], conda: dict[str, str]) -> list[str]:
    """Every way the two lists disagree, in words."""
    out = [f"{n}: missing from environment.yml" for n in sorted(set(expected) - set(conda))]
    out += [f"{n}: only in environment.yml" for n in sorted(set(conda) - set(expected))]
    out += [
        f"{n}: pyproject {expected[n]!r} vs environment.yml {conda[n]!r}"
        for n in sorted(set(expected) & set(conda))
        if expected[n] != conda[n]
    ]
    return out


def test_environment_yml_lists_the_same_packages_and_versions_as_pyproject() -> None:
    conda, _ = environment_requirements()
    assert differences(pyproject_requirements(), conda) == []


def test_environment_yml_installs_the_project_itself() -> None:
    _, pip = environment_requirements()
    assert "-e ." in pip, "environment.yml must install the project with `pip: [-e .]`"


def test_the_sync_check_notices_a_changed_pin_a_missing_and_an_extra_package() -> None:
    conda, _ = environment_requirements()
    expected = dict(pyproject_requirements(), pandas=">=9.9", newpackage=">=1")
    del expected["numpy"]
    assert differences(expected, conda) == [
        "newpackage: missing from environment.yml",
        "numpy: only in environment.yml",
        "pandas: pyproject '>=9.9' vs environment.yml '>=2.2'",
    ]
