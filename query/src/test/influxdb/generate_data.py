#!/usr/bin/env python3
"""Writes the differential test's data set as line protocol (stdout).

Deterministic: values come from integer formulas, no randomness, so the file never changes
unless this script does. Window: 2016-01-01T00:00:00Z .. 01:00:00Z. Floats carry at most two
decimals so sums and means compare within 1e-9 whatever the summation order.
"""

T0 = 1451606400  # 2016-01-01T00:00:00Z in seconds
NS = 1_000_000_000
lines = []


def emit(measurement, tags, fields, seconds):
    tag_text = "".join(f",{k}={v}" for k, v in sorted(tags.items()))
    parts = []
    for name, value in fields.items():
        if isinstance(value, bool):
            parts.append(f"{name}={'true' if value else 'false'}")
        elif isinstance(value, int):
            parts.append(f"{name}={value}i")
        elif isinstance(value, float):
            parts.append(f"{name}={value!r}")
        else:
            parts.append(f'{name}="{value}"')
    lines.append(f"{measurement}{tag_text} {','.join(parts)} {(T0 + seconds) * NS}")


# cpu: 4 hosts in 2 regions, every 10 s for an hour; same timestamps across series.
hosts = [("server01", "us-west"), ("server02", "us-west"), ("server03", "us-east"), ("server04", "us-east")]
for h, (host, region) in enumerate(hosts):
    for i in range(360):
        user = round(((i * 7 + h * 13) % 97) / 1.0 + h * 0.25, 2)
        system = round(((i * 3 + h * 5) % 23) * 0.5, 2)
        idle = round(100.0 - user - system, 2)
        requests = (i * (h + 3) + h * 11) % 50
        emit("cpu", {"host": host, "region": region},
             {"usage_user": float(user), "usage_system": float(system), "usage_idle": float(idle),
              "requests": requests}, i * 10)

# mem: 2 hosts, every 30 s, integer fields.
for h, host in enumerate(["server01", "server02"]):
    for i in range(120):
        total = 16000 + h * 8000
        used = 4000 + ((i * 37 + h * 101) % 3000)
        emit("mem", {"host": host}, {"used": used, "free": total - used, "total": total}, i * 30)

# status: string and boolean fields, every 60 s.
states = ["running", "idle", "stopped", "degraded"]
for h, host in enumerate(["server01", "server02"]):
    for i in range(60):
        emit("status", {"host": host},
             {"state": states[(i + h) % 4], "ok": (i * (h + 1)) % 3 != 0, "code": (i * 7 + h) % 5}, i * 60)

# temp: sparse, gappy series with negative values; sensor b has a 20-minute hole.
for s, sensor in enumerate(["a", "b"]):
    for i in range(80):
        if s == 1 and 20 <= i < 40:
            continue
        if i % 7 == 3:
            continue
        seconds = i * 45 + (i % 3) * 5
        value = round(((i * 11 + s * 17) % 41) * 0.5 - 12.0, 2)
        emit("temp", {"sensor": sensor, "site": "lab" if s == 0 else "roof"}, {"value": float(value)}, seconds)

# net: a counter per interface with a reset, every 20 s.
for n, iface in enumerate(["eth0", "eth1"]):
    counter = 1000 * n
    for i in range(180):
        if i == 90 + n * 10:
            counter = 0
        counter += 100 + (i * 13 + n * 7) % 60
        emit("net", {"host": "server01", "interface": iface}, {"bytes_recv": counter}, i * 20)

print("\n".join(lines))
