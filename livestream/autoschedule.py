"""Auto-scheduling a festival with OR-Tools CP-SAT, bounded in time.

Every request gets an optional interval per studio on a 15-minute grid. Hard rules: a studio holds one
session at a time including its changeover; a host one at a time including the rest gap; a session
lies inside the festival, the host's availability and one of its wished windows; already booked
sessions stay where they are. Objective: the value of the slots used (prime time of each request's
target market weighs more), then fairness: the least-served manufacturer gets as many sessions as
possible. Pure: data in, placements out; the service writes them as drafts in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ortools.sat.python import cp_model

SLOT = dt.timedelta(minutes=15)
# UTC offsets of each target market in November (standard or summer time as in force then) and the
# prime-time curve: evenings 19-23 local weigh 3, lunch 12-14 weighs 2, other hours 1.
MARKET_UTC_OFFSET_HOURS = {"DE": 1, "FR": 1, "IT": 1, "ES": 1, "NL": 1, "GB": 0, "JP": 9, "KR": 9, "SG": 8,
                           "AU": 11, "US": -5, "CA": -5, "CN": 8}


def prime_weight(moment: dt.datetime, market: str) -> int:
    hour = (moment + dt.timedelta(hours=MARKET_UTC_OFFSET_HOURS.get(market, 0))).hour
    if 19 <= hour < 23:
        return 3
    if 12 <= hour < 14:
        return 2
    return 1


@dataclass(frozen=True)
class Request:
    id: int
    host_id: int
    manufacturer_id: int | None
    duration_minutes: int
    wished_windows: tuple[tuple[dt.datetime, dt.datetime], ...]
    market: str


@dataclass(frozen=True)
class Booked:
    studio_id: int
    host_id: int
    studio_block: tuple[dt.datetime, dt.datetime]
    host_block: tuple[dt.datetime, dt.datetime]


@dataclass
class Result:
    placed: dict[int, tuple[int, dt.datetime, dt.datetime]]  # request id -> (studio id, start, end)
    unplaced: dict[int, str]
    status: str
    objective: float


def solve(*, festival_start: dt.datetime, festival_end: dt.datetime, studios: dict[int, int],
          host_rest: dict[int, int], availability: dict[int, list[tuple[dt.datetime, dt.datetime]]],
          requests: list[Request], booked: list[Booked], seconds: float = 5.0) -> Result:
    """studios: id -> changeover minutes; host_rest: host id -> rest minutes."""
    start0 = festival_start
    horizon = int((festival_end - start0) / SLOT)

    def slot(moment: dt.datetime) -> int:
        return int((moment - start0) / SLOT)

    def moment(index: int) -> dt.datetime:
        return start0 + index * SLOT

    model = cp_model.CpModel()
    studio_intervals: dict[int, list] = {k: [] for k in studios}
    host_intervals: dict[int, list] = {}
    def fixed(block: tuple[dt.datetime, dt.datetime], name: str):
        begin, end = max(0, slot(block[0])), min(horizon, math.ceil((block[1] - start0) / SLOT))
        return model.NewIntervalVar(begin, end - begin, end, name) if end > begin else None

    for b in booked:  # fixed: what is already booked stays where it is
        if b.studio_id in studio_intervals and (interval := fixed(b.studio_block, f"booked_s{b.studio_id}")):
            studio_intervals[b.studio_id].append(interval)
        if interval := fixed(b.host_block, f"booked_h{b.host_id}"):
            host_intervals.setdefault(b.host_id, []).append(interval)

    unplaced: dict[int, str] = {}
    placed_vars, starts, choices, values = {}, {}, {}, {}
    for request in requests:
        length = -(-request.duration_minutes // 15)
        windows = request.wished_windows or ((festival_start, festival_end),)
        allowed = []
        for index in range(0, horizon - length + 1):
            begin, end = moment(index), moment(index + length)
            if not any(w0 <= begin and end <= w1 for w0, w1 in windows):
                continue
            if not any(a0 <= begin and end <= a1 for a0, a1 in availability.get(request.host_id, [])):
                continue
            allowed.append(index)
        if not allowed:
            unplaced[request.id] = ("No start inside the festival, the host's availability and the wished windows "
                                    f"fits {request.duration_minutes} minutes.")
            continue
        start = model.NewIntVarFromDomain(cp_model.Domain.FromValues(allowed), f"start_{request.id}")
        present = model.NewBoolVar(f"placed_{request.id}")
        rest = -(-host_rest.get(request.host_id, 0) // 15)
        host_intervals.setdefault(request.host_id, []).append(
            model.NewOptionalIntervalVar(start, length + rest, start + length + rest, present, f"h_{request.id}"))
        per_studio = []
        for studio_id, changeover in studios.items():
            chosen = model.NewBoolVar(f"x_{request.id}_{studio_id}")
            size = length + -(-changeover // 15)
            studio_intervals[studio_id].append(
                model.NewOptionalIntervalVar(start, size, start + size, chosen, f"s_{request.id}_{studio_id}"))
            per_studio.append((studio_id, chosen))
        model.Add(sum(c for _, c in per_studio) == present)
        weights = [prime_weight(moment(i), request.market) * length for i in range(horizon)]
        weight = model.NewIntVar(0, max(weights), f"w_{request.id}")
        model.AddElement(start, weights, weight)
        value = model.NewIntVar(0, max(weights), f"v_{request.id}")
        model.Add(value <= weight)
        model.Add(value <= max(weights) * present)
        placed_vars[request.id], starts[request.id], choices[request.id], values[request.id] = (
            present, start, per_studio, value)

    for intervals in studio_intervals.values():
        model.AddNoOverlap(intervals)
    for intervals in host_intervals.values():
        model.AddNoOverlap(intervals)

    makers = sorted({r.manufacturer_id for r in requests if r.manufacturer_id and r.id in placed_vars})
    least = model.NewIntVar(0, len(requests), "least_served")
    for maker in makers:
        mine = [placed_vars[r.id] for r in requests if r.manufacturer_id == maker and r.id in placed_vars]
        model.Add(least <= sum(mine))
    # Slot value first; fairness breaks ties and outweighs a single low-value slot.
    model.Maximize(10 * sum(values.values()) + 40 * least if makers else 10 * sum(values.values()))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    placed: dict[int, tuple[int, dt.datetime, dt.datetime]] = {}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        for request in requests:
            if request.id not in placed_vars:
                continue
            if solver.Value(placed_vars[request.id]):
                studio_id = next(k for k, c in choices[request.id] if solver.Value(c))
                begin = moment(solver.Value(starts[request.id]))
                placed[request.id] = (studio_id, begin, begin + dt.timedelta(minutes=request.duration_minutes))
            else:
                unplaced[request.id] = ("No studio and host time left inside its windows (changeovers and rest "
                                        "gaps included) without displacing a more valuable or fairer placement.")
    else:
        for request_id in placed_vars:
            unplaced[request_id] = "The solver found no feasible schedule in the time allowed."
    return Result(placed, unplaced, solver.StatusName(status), solver.ObjectiveValue() if placed else 0.0)
