#!/usr/bin/python3
"""mmc_simpy.py: the benchmark's M/M/c model in SimPy 2 (Debian's python3-simpy 2.3.1), the
peer bench/run compares scalesim against. Same model as `bench_sim --mmc`: Poisson arrivals at
RATE/s, c servers (single-core pods, concurrency 1) behind one FIFO, exponential service with
mean 0.8 * c / RATE s (utilisation 0.8). Prints one line with requests served, wall seconds,
requests per wall second and the mean response time (a check that both run the same model).

usage: mmc_simpy.py HOURS [RATE] [C]"""
import random
import sys
import time

from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate


class Stats:
    served = 0
    sojourn = 0.0


class Customer(Process):
    def visit(self, server, mean_s, stats):
        arrive = now()
        yield request, self, server
        yield hold, self, random.expovariate(1.0 / mean_s)
        yield release, self, server
        stats.served += 1
        stats.sojourn += now() - arrive


class Source(Process):
    def generate(self, rate, server, mean_s, stats):
        while True:
            yield hold, self, random.expovariate(rate)
            c = Customer()
            activate(c, c.visit(server, mean_s, stats))


def main():
    hours = float(sys.argv[1]) if len(sys.argv) > 1 else 0.25
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 1000.0
    c = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    random.seed(1)
    stats = Stats()
    t0 = time.monotonic()
    c0 = time.process_time()
    initialize()
    server = Resource(capacity=c)
    src = Source()
    activate(src, src.generate(rate, server, 0.8 * c / rate, stats))
    simulate(until=hours * 3600)
    dt = time.monotonic() - t0
    cpu = time.process_time() - c0
    print("SimPy M/M/c %.3gh %g rps %d pods: %d requests, %.2f s wall, %.2f s cpu, "
          "%.4f M requests/s, %.4f M requests/cpu-s, mean response %.2f ms"
          % (hours, rate, c, stats.served, dt, cpu, stats.served / dt / 1e6,
             stats.served / cpu / 1e6, stats.sojourn / max(stats.served, 1) * 1e3))


if __name__ == "__main__":
    main()
