"""Makes spyne 2.14 importable on Python 3.12 and later.

spyne ships its own copy of `six` (spyne.util.six) whose lazy `six.moves` importer implements only
`find_module`, which Python 3.12 no longer calls: `import spyne` then fails with "No module named
'spyne.util.six.moves'" (and on 3.11 the same importer raises ImportWarning under -W error). This
finder answers every `spyne.util.six.moves[...]` import with the matching module of the `six` package
(a dependency), whose importer implements `find_spec`; the rest of spyne's six (which has extras of
its own) stays as it is. spyne's other Python 3.13 gap, the removed
`cgi` module, is filled by the `legacy-cgi` dependency.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

_VENDORED = "spyne.util.six.moves"


class _ExistingModule(importlib.abc.Loader):
    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        pass


class _SixAlias(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != _VENDORED and not fullname.startswith(_VENDORED + "."):
            return None
        module = importlib.import_module("six.moves" + fullname[len(_VENDORED):])
        return importlib.util.spec_from_loader(fullname, _ExistingModule(module))


def install() -> None:
    """Put the alias in front of the import system (once) and load spyne's six; then take out the
    importer it appends, which only answers what the alias now answers and, lacking find_spec,
    raises ImportWarning whenever an import fails after it."""
    if not any(isinstance(finder, _SixAlias) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SixAlias())
    with warnings.catch_warnings():  # while spyne loads, before its importer is taken out
        warnings.simplefilter("ignore", ImportWarning)
        importlib.import_module("spyne")
    sys.meta_path[:] = [finder for finder in sys.meta_path if getattr(finder, "name", None) != "spyne.util.six"]
