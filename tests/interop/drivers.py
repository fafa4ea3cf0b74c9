"""The interop drivers of this folder as long-running processes: each real client is installed by its
script in ../shared/clients (run once with no endpoint: the scripts install before reading arguments,
and cache what they install), then one driver process per client serves every call of a test run.

    drivers = Drivers(endpoint, user_id, secret_key)
    outcome = drivers["php-soapclient"].call("getLead", {"leadKey": {"keyType": "EMAIL", "keyValue": "a@b.c"}})
    # {"client": ..., "operation": ..., "ok": ..., "fault_code": ..., "fault_string": ..., "response": ...}
    drivers.close()

The Java driver is compiled against stubs that ../shared/clients/java-jaxws generates with wsimport from
Marketo's own WSDL (MKTO_STUBS_WSDL); both the stubs and the compiled driver are cached by content.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED_CLIENTS = HERE.parents[2] / "shared" / "clients"
MARKETO_WSDL = SHARED_CLIENTS.parent / "reference" / "mktows-2_1.wsdl"
CLIENT_NAMES = ("php-soapclient", "java-jaxws", "node-soap", "python-zeep", "python-suds")
# what the java-jaxws script puts on the class path (jaxws-rt's manifest pulls in the rest)
JAVA_CLASS_PATH = "/usr/share/java/jaxws-rt.jar:/usr/share/java/commons-codec.jar"


class DriverError(RuntimeError):
    """A client that cannot be installed or started, or a driver process that stopped answering."""


class CallRefused(DriverError):
    """The client could not make a call at all (e.g. it cannot build the request from the WSDL)."""


def clients_home() -> Path:
    """Where the ../shared/clients scripts install and cache the clients (as they compute it)."""
    if os.environ.get("MKTO_CLIENTS_HOME"):
        return Path(os.environ["MKTO_CLIENTS_HOME"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "mockmarketo-clients"


# what the scripts read besides MKTO_CLIENTS_HOME: without them, a script given no endpoint (or no
# credentials) stops right after installing, before any call
_CALL_VARIABLES = ("MKTO_ENDPOINT", "MKTO_USER_ID", "MKTO_SECRET_KEY", "MKTO_STUBS_WSDL")


def _run_script(name: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in _CALL_VARIABLES}
    return subprocess.run([str(SHARED_CLIENTS / name), *args], capture_output=True, text=True, timeout=900,
                          env={**clean, **(env or {})})


def _install(name: str, expected: Path | None = None, *args: str, env: dict | None = None) -> None:
    """Run the client's script, which installs what is missing and stops before calling (see
    _CALL_VARIABLES); `expected` must exist afterwards."""
    if not SHARED_CLIENTS.is_dir():
        raise DriverError(f"client scripts not found at {SHARED_CLIENTS}: ../shared must sit beside the project")
    result = _run_script(name, *args, env=env)
    if expected is not None and not expected.exists():
        raise DriverError(f"{name} did not install ({expected} missing): {result.stderr.strip()[-2000:]}")


def _java_stubs() -> Path:
    """The classes wsimport made from Marketo's own WSDL, built by the java-jaxws script (which names its
    build directory after the WSDL and the script)."""
    script = SHARED_CLIENTS / "java-jaxws"
    digest = hashlib.sha1(MARKETO_WSDL.read_bytes() + script.read_bytes()).hexdigest()[:12]
    build = clients_home() / "java-jaxws" / f"build-{digest}"
    if not (build / "ok").exists():
        # with an endpoint but no credentials the script builds the stubs, then its program stops (exit 2)
        _install("java-jaxws", build / "ok", "http://127.0.0.1:1/unused",
                 env={"MKTO_STUBS_WSDL": str(MARKETO_WSDL)})
    return build / "bin"


def _java_driver(stubs: Path) -> Path:
    source = HERE / "JaxwsDriver.java"
    digest = hashlib.sha1(str(stubs).encode() + source.read_bytes()).hexdigest()[:12]
    classes = _own_cache() / f"jaxws-driver-{digest}"
    if not classes.exists():
        building = Path(tempfile.mkdtemp(dir=_own_cache()))
        result = subprocess.run(["javac", "-nowarn", "-cp", f"{stubs}:{JAVA_CLASS_PATH}", "-d", str(building),
                                 str(source)], capture_output=True, text=True, timeout=300)
        if result.returncode:
            shutil.rmtree(building)
            raise DriverError(f"javac JaxwsDriver.java failed: {result.stderr.strip()[-2000:]}")
        building.rename(classes)
    return classes


def _own_cache() -> Path:
    """This harness's own cache beside the clients' (the compiled Java driver, the install lock)."""
    path = clients_home() / "mockmarketo-interop"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def _installing():
    """One install at a time across processes (pytest-xdist workers): the scripts install into shared
    directories."""
    with open(_own_cache() / "install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def command(name: str) -> tuple[list[str], dict]:
    """The driver command line (endpoint and credentials still to be appended) and its extra environment,
    installing the client first if needed."""
    with _installing():
        return _command(name)


def _command(name: str) -> tuple[list[str], dict]:
    home = clients_home()
    if name == "php-soapclient":
        _install(name)
        return ["php", str(HERE / "php_driver.php")], {}
    if name == "node-soap":
        _install(name, home / "node-soap" / "node_modules" / "soap" / "package.json")
        return ["node", str(HERE / "node_driver.js")], {"NODE_PATH": str(home / "node-soap" / "node_modules")}
    if name in ("python-zeep", "python-suds"):
        python = home / name / "bin" / "python"
        _install(name, python)
        return [str(python), str(HERE / f"{name.split('-')[1]}_driver.py")], {}
    if name == "java-jaxws":
        stubs = _java_stubs()
        classes = _java_driver(stubs)
        return ["java", "-Djavax.xml.soap.SAAJMetaFactory=com.sun.xml.messaging.saaj.soap.SAAJMetaFactoryImpl",
                "-cp", f"{classes}:{stubs}:{JAVA_CLASS_PATH}", "JaxwsDriver"], {}
    raise DriverError(f"no driver for {name!r} (known: {', '.join(CLIENT_NAMES)})")


class Driver:
    """One driver process: a JSON line per call in, a JSON line per answer out."""

    def __init__(self, name: str, endpoint: str, user_id: str, secret_key: str):
        self.name = name
        args, env = command(name)
        self._stderr = tempfile.TemporaryFile(mode="w+")
        self._process = subprocess.Popen([*args, endpoint, user_id, secret_key], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._stderr, text=True,
                                         env={**os.environ, **env})
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self._process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read()[-3000:]

    def call(self, operation: str, params: dict, timeout: float = 120) -> dict:
        """The client's answer to one call of `operation` with `params` (element-name JSON)."""
        try:
            self._process.stdin.write(json.dumps({"operation": operation, "params": params}) + "\n")
            self._process.stdin.flush()
            line = self._lines.get(timeout=timeout)
        except (BrokenPipeError, queue.Empty) as error:
            raise DriverError(f"{self.name} driver did not answer ({type(error).__name__}): "
                              f"{self._stderr_tail()}") from None
        if line is None:
            raise DriverError(f"{self.name} driver exited with {self._process.wait()}: {self._stderr_tail()}")
        answer = json.loads(line)
        if "error" in answer:
            raise CallRefused(f"{self.name} could not call {operation}: {answer['error']}\n{self._stderr_tail()}")
        return answer

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.stdin.close()
            try:
                self._process.wait(30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process.stdout.close()
        self._stderr.close()


class Drivers:
    """One driver per client for one endpoint, each started on first use; a client that cannot be
    installed or started fails once, and every later use raises the same error at once."""

    def __init__(self, endpoint: str, user_id: str, secret_key: str):
        self.endpoint, self.user_id, self.secret_key = endpoint, user_id, secret_key
        self._started: dict[str, Driver | DriverError] = {}

    def __getitem__(self, name: str) -> Driver:
        if name not in self._started:
            try:
                self._started[name] = Driver(name, self.endpoint, self.user_id, self.secret_key)
            except DriverError as error:
                self._started[name] = error
        started = self._started[name]
        if isinstance(started, DriverError):
            raise started
        return started

    def close(self) -> None:
        for started in self._started.values():
            if isinstance(started, Driver):
                started.close()
