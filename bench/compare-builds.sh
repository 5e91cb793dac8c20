#!/usr/bin/env bash
# This build against an earlier commit, alternating in one run: did a change slow anything down?
#
#   bench/compare-builds.sh REV [rounds] [what...]
#
# REV: the commit to compare with (e.g. HEAD~3 or a hash); rounds: default 5; what: any of
# mlp mlp-nn tiny cnn (default all four). mlp, mlp-nn, tiny are TrainingStep's steady-state step
# (median_ms; its cold figure is printed too); cnn is one Fashion-MNIST epoch of the standard CNN
# (./jgrad cnn --epochs 1 --threads 2). Each round runs the old build, then the new one, for every
# item, so both see the same state of the shared host. Prints every sample, the medians and the
# ratio new/old (below 1: this build is faster).
#
# REV is built once into a worktree under ${TMPDIR:-/tmp} (./mvnw package -DskipTests), this tree's
# jars are built if missing. Both JVMs run with -Djgrad.threads=2.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

rev="${1:?usage: bench/compare-builds.sh REV [rounds] [mlp|mlp-nn|tiny|cnn ...]}"
rounds="${2:-5}"
shift $(( $# >= 2 ? 2 : 1 ))
what=("$@")
((${#what[@]})) || what=(mlp mlp-nn tiny cnn)

JDK=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25*; do
  if [[ -n "$candidate" && -x "$candidate/bin/java" ]] && "$candidate/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then
    JDK="$candidate"; break
  fi
done
[[ -n "$JDK" ]] || { echo "compare-builds: no JDK 25 found (set JAVA_HOME)" >&2; exit 1; }
export JAVA_HOME="$JDK" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

hash="$(git rev-parse --short "$rev")"
old="${TMPDIR:-/tmp}/jgrad-build-$hash"
if [[ ! -f "$old/jgrad-bench/target/benchmarks.jar" ]]; then
  echo "# building $hash in $old" >&2
  rm -rf "$old"
  git worktree add -f --detach "$old" "$hash" >/dev/null 2>&1 || git -C "$old" checkout -q "$hash"
  (cd "$old" && ./mvnw -B -q -DskipTests package) >&2
fi
if [[ ! -f jgrad-bench/target/benchmarks.jar || ! -f jgrad-examples/target/jgrad-examples-0.1.0-SNAPSHOT.jar ]]; then
  ./mvnw -B -q -DskipTests package >&2
fi
echo "# old: $hash ($(git log -1 --format=%s "$hash" | cut -c1-70)); new: $(git rev-parse --short HEAD) + working tree"
echo "# cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1); load: $(cut -d' ' -f1-3 /proc/loadavg)"

JVM=("$JDK/bin/java" --add-modules jdk.incubator.vector -Djgrad.threads=2)
run() { # run TREE ITEM: prints the figure (ms per step, or s per epoch) then the whole line
  local tree="$1" item="$2" line
  if [[ "$item" == cnn ]]; then
    line="$("${JVM[@]}" -cp "$tree/jgrad-core/target/jgrad-core-0.1.0-SNAPSHOT.jar:$tree/jgrad-examples/target/jgrad-examples-0.1.0-SNAPSHOT.jar" \
      org.jgrad.examples.FashionCnn --epochs 1 --threads 2 2>/dev/null | grep '^epoch 1 ')"
    echo "$(sed -n 's/.*epoch time \([0-9.]*\) s.*/\1/p' <<<"$line") $line"
  else
    line="$("${JVM[@]}" -cp "$tree/jgrad-bench/target/benchmarks.jar" org.jgrad.bench.TrainingStep "$item" 2>/dev/null)"
    echo "$(awk '{for (i=1;i<=NF;i++) if ($i=="median_ms") print $(i+1)}' <<<"$line") $line"
  fi
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

declare -A olds news
for ((r = 1; r <= rounds; r++)); do
  for item in "${what[@]}"; do
    o="$(run "$old" "$item")"; n="$(run . "$item")"
    echo "round $r $item: old ${o%% *} new ${n%% *}   [old: ${o#* }] [new: ${n#* }]"
    olds[$item]+="${o%% *} "; news[$item]+="${n%% *} "
  done
done
for item in "${what[@]}"; do
  om="$(tr ' ' '\n' <<<"${olds[$item]}" | grep . | median)"; nm="$(tr ' ' '\n' <<<"${news[$item]}" | grep . | median)"
  unit=ms; [[ "$item" == cnn ]] && unit=s
  echo "$item: old median $om $unit, new median $nm $unit, ratio new/old $(awk -v a="$nm" -v b="$om" 'BEGIN {printf "%.3f", a/b}')"
done
