"""Makes spyne 2.14 importable on Python 3.12 and later.

spyne ships its own copy of `six` (spyne.util.six) whose lazy `six.moves` importer implements only
`find_module`, which Python 3.12 no longer calls: `import spyne` then fails with "No module named
'spyne.util.six.moves'" (and on 3.11 the same importer raises ImportWarning under -W error). This
finder answers every `spyne.util.six.moves[...]` import with the matching module of the `six` package
(a dependency), whose importer implements `find_spec`; the rest of spyne's six (which has extras of
its own) stays as it is. spyne's other Python 3.13 gap, the removed
`cgi` module, is filled by the `legacy-cgi` dependency.

spyne's modules are imported here, once, with their import-time warnings silenced (`'cgi' is deprecated`
on 3.11 and 3.12, invalid escape sequences on 3.12+): they are spyne's, not the user's, and a project
that turns warnings into errors (pytest's `filterwarnings = error`) would otherwise fail every test that
starts a mock server.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

_VENDORED = "spyne.util.six.moves"
# every spyne module mockmarketo imports (their imports bring in the rest; nothing is imported later)
_SPYNE_MODULES = ("spyne", "spyne.error", "spyne.protocol.soap", "spyne.protocol.xml", "spyne.server.wsgi")


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
    """Put the alias in front of the import system (once) and load spyne; then take out the importer
    spyne's six appends, which only answers what the alias now answers and, lacking find_spec,
    raises ImportWarning whenever an import fails after it."""
    if not any(isinstance(finder, _SixAlias) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SixAlias())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in _SPYNE_MODULES:
            importlib.import_module(name)
    sys.meta_path[:] = [finder for finder in sys.meta_path if getattr(finder, "name", None) != "spyne.util.six"]
