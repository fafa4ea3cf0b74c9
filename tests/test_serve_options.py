"""`mockmarketo serve`'s server options (issue 5, "Production server"): --http-server, --workers and
--threads, from the command line or MOCKMARKETO_* variables, and the combinations refused before serving."""

from __future__ import annotations

import pytest

from mockmarketo.cli import main
from mockmarketo.config import ConfigError, load_settings
from mockmarketo.server import check_workers


def test_defaults_are_waitress_one_worker_eight_threads():
    # waitress: the faster for one process in bench/http_throughput.py (docs/deployment.md)
    settings = load_settings(environ={})
    assert (settings.chosen_http_server(), settings.workers, settings.threads) == ("waitress", 1, 8)


def test_several_workers_choose_gunicorn():
    settings = load_settings(overrides={"workers": 2}, environ={})
    assert settings.chosen_http_server() == "gunicorn"


def test_server_options_come_from_mockmarketo_variables():
    settings = load_settings(environ={"MOCKMARKETO_HTTP_SERVER": "waitress", "MOCKMARKETO_WORKERS": "1",
                                      "MOCKMARKETO_THREADS": "16"})
    assert (settings.http_server, settings.workers, settings.threads) == ("waitress", 1, 16)


def test_command_line_wins_over_the_environment():
    settings = load_settings(overrides={"workers": 4, "threads": 2},
                             environ={"MOCKMARKETO_WORKERS": "3", "MOCKMARKETO_THREADS": "16"})
    assert (settings.workers, settings.threads) == (4, 2)


def test_zero_threads_is_a_config_error():
    with pytest.raises(ConfigError, match=r"^MOCKMARKETO_THREADS: expected 1 or more, got 0$"):
        load_settings(environ={"MOCKMARKETO_THREADS": "0"})


def test_unknown_http_server_is_a_config_error():
    with pytest.raises(ConfigError, match=r"^MOCKMARKETO_HTTP_SERVER: expected one of gunicorn, waitress, got 'uwsgi'$"):
        load_settings(environ={"MOCKMARKETO_HTTP_SERVER": "uwsgi"})


def test_several_workers_on_an_in_memory_database_are_refused():
    settings = load_settings(overrides={"workers": 2}, environ={})
    with pytest.raises(ConfigError) as refused:
        check_workers(settings)
    assert str(refused.value) == ("workers: an in-memory database lives in one process; --workers 2 needs a "
                                  "SQLite file or PostgreSQL --database-url")


def test_several_workers_with_waitress_are_refused():
    settings = load_settings(overrides={"workers": 3, "http_server": "waitress",
                                        "database_url": "sqlite:///x.db"}, environ={})
    with pytest.raises(ConfigError) as refused:
        check_workers(settings)
    assert str(refused.value) == "workers: waitress serves from one process; --workers 3 needs --http-server gunicorn"


def test_serve_reports_a_refused_combination_in_one_line_and_exits_2(capsys, monkeypatch):
    for name in ("MOCKMARKETO_DATABASE_URL", "MOCKMARKETO_CONFIG", "MOCKMARKETO_HTTP_SERVER"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve", "--workers", "2"]) == 2
    assert capsys.readouterr().err == ("mockmarketo: workers: an in-memory database lives in one process; "
                                       "--workers 2 needs a SQLite file or PostgreSQL --database-url\n")


@pytest.mark.parametrize(("tls", "worker"), [({}, "WaitressWorker"),
                                             ({"certfile": "server.pem", "keyfile": "server.key"}, "ThreadWorker")])
def test_gunicorn_workers_serve_with_waitress_unless_gunicorn_must_speak_tls(tls, worker):
    """Reliability issue, items 2 and 6: each worker serves HTTP with the hardened waitress server;
    waitress cannot terminate TLS, so a gunicorn given a certificate keeps its own threaded worker."""
    from mockmarketo.gunicorn_server import _Application, gunicorn_options

    settings = load_settings(overrides={"workers": 2}, environ={})
    application = _Application(lambda: None, settings, {**gunicorn_options(settings, print), **tls})
    assert application.cfg.worker_class.__name__ == worker
