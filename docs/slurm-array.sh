#!/bin/sh
# A junkan batch as a Slurm array job: task i of n runs shard i/n of the
# batch and writes a partial result; `junkan merge` then combines them into
# exactly the result of one machine (same bytes).
#
#   jid=$(sbatch --parsable --array=1-8 docs/slurm-array.sh scenarios/saitama-2050-batch.yaml /scratch/mc)
#   sbatch --dependency=afterok:$jid --wrap "junkan merge /scratch/mc/shard-* -o /scratch/mc/result"
#
# Arguments: SCENARIO.yaml OUTDIR. Environment: JUNKAN (the junkan binary,
# default: junkan on PATH), JUNKAN_DATA_DIR (the data directory, if the
# scenario's data_dir does not hold on the compute nodes).
#SBATCH --job-name=junkan-batch
#SBATCH --cpus-per-task=2
#SBATCH --time=02:00:00
set -eu
scenario=$1
out=$2
i=${SLURM_ARRAY_TASK_ID:?run me with sbatch --array=1-N}
n=${SLURM_ARRAY_TASK_COUNT:?run me with sbatch --array=1-N}
mkdir -p "$out"
exec "${JUNKAN:-junkan}" batch "$scenario" -o "$out/shard-$i" --shard "$i/$n" --quiet --workers "${SLURM_CPUS_PER_TASK:-1}"
