#!/usr/bin/env bash
# Runs one scenario N times back to back with `bin/pgcert run` while another process opens and
# closes many loopback connections (each takes an ephemeral port, the range Docker's host ports
# used to come from). Every run must end in a verdict (exit 0 or 1); a harness error (exit 2)
# fails this check. Prints one line per run and a summary.
#   src/test/sh/back-to-back-runs.sh [RUNS] [SCENARIO]
set -uo pipefail
cd "$(dirname "$0")/../../.."
runs=${1:-10}
scenario=${2:-scenarios/primary-crash-async.yaml}
log=target/back-to-back; mkdir -p "$log"

# The churn: a loopback listener and a client that connects and closes as fast as it can.
python3 - <<'PY' &
import socket, threading, time
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0)); srv.listen(512); port = srv.getsockname()[1]
def accept():
    while True:
        c, _ = srv.accept(); c.close()
threading.Thread(target=accept, daemon=True).start()
n = 0
while True:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    try:
        s.connect(("127.0.0.1", port))
    except OSError:
        time.sleep(0.01)
    s.close(); n += 1
    if n % 50 == 0:
        time.sleep(0.05)  # about 1,000 connections a second: churn, without taking a core from the cluster
PY
churn=$!
trap 'kill $churn 2>/dev/null' EXIT

verdicts=0; errors=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  PGCERT_NO_REPORT=1 bin/pgcert run "$scenario" >"$log/run-$i.log" 2>&1
  rc=$?
  case $rc in 0|1) verdicts=$((verdicts + 1)); what="verdict (exit $rc)";; *) errors=$((errors + 1)); what="HARNESS ERROR (exit $rc)";; esac
  echo "run $i: $what in $(( $(date +%s) - start )) s; port retries: $(grep -c 'host port was taken' "$log/run-$i.log")"
done
echo "$runs runs: $verdicts verdicts, $errors harness errors"
[ "$errors" -eq 0 ]
