"""The examples in docstrings are tests: every module of graph/ that has one runs it."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import graph


def modules_with_examples() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(graph.__path__, prefix="graph."):
        module = importlib.import_module(info.name)
        if any(test.examples for test in doctest.DocTestFinder().find(module)):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", modules_with_examples())
def test_the_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} example(s) of {name} failed (run it with -v)"


def test_the_modules_with_examples_are_found() -> None:
    assert {"graph.counting", "graph.queries.exposure", "graph.analysis.cycles"} <= set(
        modules_with_examples()
    )
