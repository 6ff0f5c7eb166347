#!/usr/bin/env python3
"""A registration rush: N people register for one event at the same moment.
Usage: rush.py HOST PORT EVENT_ID N [CONCURRENCY]. Prints one JSON line of results."""
import asyncio, collections, json, sys, time

async def attempt(host, port, event_id, index, results, gate):
    body = json.dumps({"acceptCodeOfConduct": True, "firstName": "Rush", "lastName": f"Person {index}", "email": f"rush{index}@example.org",
                       "jobTitle": "Consultant", "company": "Bench"}).encode()
    request = (f"POST /api/v1/events/{event_id}/registrations HTTP/1.1\r\nHost: {host}:{port}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    async with gate:
        started = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            raw = await reader.read()
            writer.close()
            head, _, payload = raw.partition(b"\r\n\r\n")
            status = int(head.split(b" ")[1])
            data = json.loads(payload) if status == 201 else {}
            results.append((status, data.get("status"), data.get("waitlistPosition"), time.perf_counter() - started))
        except Exception as error:
            results.append((0, repr(error), None, time.perf_counter() - started))

async def main():
    host, port, event_id, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    concurrency = int(sys.argv[5]) if len(sys.argv) > 5 else 512
    results, gate = [], asyncio.Semaphore(concurrency)
    started = time.perf_counter()
    await asyncio.gather(*(attempt(host, port, event_id, i, results, gate) for i in range(count)))
    elapsed = time.perf_counter() - started
    statuses = collections.Counter(r[0] for r in results)
    positions = sorted(r[2] for r in results if r[2] is not None)
    latencies = sorted(r[3] for r in results)
    print(json.dumps({
        "attempts": count, "concurrency": concurrency, "seconds": round(elapsed, 3),
        "registrations_per_second": round(count / elapsed, 1),
        "statuses": {str(k): v for k, v in statuses.items()},
        "confirmed": sum(1 for r in results if r[1] == "confirmed"),
        "waitlisted": sum(1 for r in results if r[1] == "waitlisted"),
        "positions_unique_and_contiguous": positions == list(range(1, len(positions) + 1)),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1),
    }))

asyncio.run(main())
