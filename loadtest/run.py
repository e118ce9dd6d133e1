"""Run the load test in this one process, headless, and print Locust's table and the summary line.

    python -m loadtest.run --host https://127.0.0.1:8000 --users 50 --partners 300 --seconds 60

(scripts/loadtest starts what it talks to.) The host is the site's HTTPS
address; gunicorn listens in plain HTTP on its port (loadtest/locustfile.py). Every simulated partner logs in
first; the clock of the measure starts once the last one has, with Locust's
figures reset: a login is ~1 s of password hashing by design, a cost paid
once per session, and is reported on its own line, before the table.
"""

import argparse
import os
import sys
import time

import gevent
import psutil
from locust import events
from locust.env import Environment
from locust.log import setup_logging
from locust.stats import print_error_report, print_percentile_stats, print_stats

from loadtest.locustfile import Partner
from loadtest.scenario import LOGIN_NAME, Summary, usernames

LOGIN_TIMEOUT_SECONDS = 300


def _workers_cpu_seconds(server: psutil.Process | None) -> float:
    """The CPU time gunicorn's workers have used so far: what a request costs, whoever else shares the machine."""
    if server is None:
        return 0.0
    return sum(sum(worker.cpu_times()[:2]) for worker in server.children())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--partners", type=int, default=300)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--server-pid", type=int, help="gunicorn's master: its workers' CPU time per request is shown")
    options = parser.parse_args()
    setup_logging("WARNING")

    Partner.usernames = usernames(users=options.users, partners=options.partners)
    environment = Environment(user_classes=[Partner], host=options.host, events=events)
    runner = environment.create_local_runner()
    runner.start(options.users, spawn_rate=options.users)
    deadline = time.monotonic() + LOGIN_TIMEOUT_SECONDS
    while Partner.logged_in + Partner.stopped < options.users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    logins = environment.stats.get(LOGIN_NAME, "POST")
    print(
        f"logins: {logins.num_requests} of {options.users}, failed {logins.num_failures}, "
        f"p50_ms={logins.median_response_time:.0f} p95_ms={logins.get_response_time_percentile(0.95):.0f} "
        "(before the measure)"
    )
    if Partner.logged_in < options.users:
        print_error_report(environment.stats)
        runner.quit()
        print(f"Only {Partner.logged_in} of {options.users} partners logged in.", file=sys.stderr)
        return 1

    server = psutil.Process(options.server_pid) if options.server_pid else None
    server_cpu = _workers_cpu_seconds(server)
    environment.stats.reset_all()
    for name, method in ((LOGIN_NAME, "POST"), (f"{LOGIN_NAME} (form)", "GET")):
        environment.stats.entries.pop((name, method), None)
    started = time.monotonic()
    gevent.sleep(options.seconds)
    server_cpu = _workers_cpu_seconds(server) - server_cpu
    runner.quit()
    elapsed = time.monotonic() - started

    print_stats(environment.stats, current=False)
    print_percentile_stats(environment.stats)
    print_error_report(environment.stats)
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} over the last minute (the measure included)")
    total = environment.stats.total
    if server is not None and total.num_requests:
        print(f"gunicorn's workers: {1000 * server_cpu / total.num_requests:.0f} ms of CPU per request")
    summary = Summary(
        users=options.users,
        rps=total.num_requests / elapsed,
        p50_ms=total.get_response_time_percentile(0.50),
        p95_ms=total.get_response_time_percentile(0.95),
        p99_ms=total.get_response_time_percentile(0.99),
        errors=total.num_failures,
    )
    print(summary.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
