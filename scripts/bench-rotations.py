#!/usr/bin/env python3
"""make bench: the table-rotation planner on the issue's instances, beside a random shuffle.

Runs `rendezvous rotations` (the release build), checks every plan independently (everyone seated
once per round, no table over its size, repeated pairs recounted) and prints one line per instance."""
import itertools, json, random, subprocess, sys, tempfile, time

BIN = sys.argv[1] if len(sys.argv) > 1 else ".build/release/rendezvous"

def run(people, size, rounds, seed=1, seconds=10, shuffle=False, companies=None):
    args = [BIN, "rotations", "--people", str(people), "--table-size", str(size), "--rounds", str(rounds),
            "--seed", str(seed), "--seconds", str(seconds)]
    if shuffle:
        args.append("--shuffle")
    if companies:
        args += ["--companies", companies]
    started = time.monotonic()
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    wall = time.monotonic() - started
    plan = json.loads(out)
    check(plan, people, size, rounds)
    return plan, wall

def check(plan, people, size, rounds):
    assert len(plan["rounds"]) == rounds, "rounds"
    meetings = {}
    for rnd in plan["rounds"]:
        seated = sorted(p for table in rnd for p in table)
        assert seated == list(range(people)), "everyone exactly once per round"
        for table in rnd:
            assert len(table) <= size, "table over its size"
            for a, b in itertools.combinations(sorted(table), 2):
                meetings[(a, b)] = meetings.get((a, b), 0) + 1
    repeated = sum(1 for c in meetings.values() if c > 1)
    assert repeated == plan["repeatedPairs"], f"reported {plan['repeatedPairs']} repeated pairs, counted {repeated}"

def main():
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        rng = random.Random(70)
        # 70 people, a third from 8 companies of various spellings.
        for i in range(70):
            f.write((rng.choice(["Airbus", "AIRBUS SAS", "Capgemini", "Thales", "Sopra Steria", "CGI", "Orange", "Safran"]) if i % 3 == 0 else "") + "\n")
        companies = f.name
    instances = [
        ("70 people, tables of 7, 4 rounds (companies)", 70, 7, 4, companies, "0 repeats, 0 colleagues, < 100 ms"),
        ("1,000 people, tables of 8, 4 rounds", 1000, 8, 4, None, "0 repeats, < 1 s"),
        ("Kirkman: 15 people, 5 tables of 3, 7 rounds", 15, 3, 7, None, "0 repeats, < 10 s"),
        ("Social golfer: 32 people, 8 tables of 4, 9 rounds", 32, 4, 9, None, "0 repeats, < 10 s"),
        ("Social golfer: 64 people, 8 tables of 8, 9 rounds", 64, 8, 9, None, "0 repeats, < 10 s"),
        ("Social golfer: 32 people, 8 tables of 4, 10 rounds", 32, 4, 10, None, "0 repeats (open: not reached)"),
    ]
    print("== table rotations (planner vs random shuffle; every plan re-checked here)")
    for label, people, size, rounds, comp, target in instances:
        plan, wall = run(people, size, rounds, companies=comp)
        base, _ = run(people, size, rounds, shuffle=True, companies=comp)
        print(f"  {label:<52} repeated pairs {plan['repeatedPairs']:>4} (bound {plan['lowerBound']['repeatedPairs']}), "
              f"colleague pairs {plan['colleaguePairs']:>3}, mix {plan['mixScore']:>3}/100, {plan['seconds']*1000:>8.1f} ms planning "
              f"({wall*1000:.0f} ms with process start) | shuffle: repeated {base['repeatedPairs']}, colleagues {base['colleaguePairs']}, mix {base['mixScore']}/100"
              f"   target: {target}")

if __name__ == "__main__":
    main()
