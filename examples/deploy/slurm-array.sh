#!/bin/bash
# A billing run split over a Slurm job array of 8 tasks: Slurm sets SLURM_ARRAY_TASK_ID and
# SLURM_ARRAY_TASK_COUNT, and `--shard auto` reads them (no --shard-count needed).
#   sbatch examples/deploy/slurm-array.sh /data/invoices-2026-11.jsonl
#SBATCH --job-name=invoices
#SBATCH --array=0-7
#SBATCH --cpus-per-task=2
#SBATCH --time=01:00:00
set -euo pipefail
data=${1:?usage: sbatch slurm-array.sh INPUT.jsonl}
out=out/shard-${SLURM_ARRAY_TASK_ID}
resume=(); [ -e "$out.journal" ] && resume=(--resume)   # a requeued task carries on
exec missive batch invoice --data "$data" --out-dir "$out" --shard auto --summary "$out.summary.json" "${resume[@]}"
