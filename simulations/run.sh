#!/usr/bin/env bash
# Reproduces the simulation table of BENCHMARKS.md: every reference trace through every policy
# (gb, seed-script, hpa and the oracle, the floor with perfect foresight),
# with the seed's settings (simulations/seed-config.csv), capacity 600 requests/min, boot 60 s.
# Needs gb-cli/target/gb-scale.jar (mvn -B -pl gb-cli -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
printf '%-14s %-12s %18s %18s %15s %15s\n' trace policy instance-minutes violation-minutes scaling-events peak-instances
for trace in daily-cycle flash-crowd slow-ramp noisy-plateau; do
  for policy in gb seed-script hpa oracle; do
    out=$(bin/gb-scale simulate simulations/seed-config.csv "simulations/traces/$trace.csv" --policy "$policy" "$@")
    printf '%-14s %-12s %18s %18s %15s %15s\n' "$trace" "$policy" $(echo "$out" | awk '{print $2}')
  done
done
