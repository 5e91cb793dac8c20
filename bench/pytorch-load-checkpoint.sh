#!/usr/bin/env bash
# Writes a jgrad checkpoint (bench/WriteCheckpoint.java) and loads it into PyTorch
# (bench/pytorch-load-checkpoint.py, system python3 with torch). Usage: bench/pytorch-load-checkpoint.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-$(mktemp -d)}"
JAVA=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25*; do
  if [[ -n "$candidate" && -x "$candidate/bin/java" ]] && "$candidate/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    JAVA="$candidate/bin/java"; break
  fi
done
[[ -n "$JAVA" ]] || { echo "pytorch-load-checkpoint: no JDK 25 found (set JAVA_HOME)" >&2; exit 1; }
[[ -d jgrad-core/target/classes/org/jgrad/io ]] || ./mvnw -B -q -DskipTests compile -pl jgrad-core >&2
"$JAVA" --add-modules jdk.incubator.vector -cp jgrad-core/target/classes bench/WriteCheckpoint.java "$out"
/usr/bin/python3 bench/pytorch-load-checkpoint.py "$out"
