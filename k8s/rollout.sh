#!/usr/bin/env bash
# Roll out the project pipeline: the Flyway migration Job first, once, then the server.
#
#   k8s/rollout.sh prod            # or: dev
#
# 1. delete the previous migration Job (a Job's pod template is immutable; the name is fixed for kubectl apply);
# 2. apply the configuration and the migration Job only, and wait until it has migrated the database;
# 3. apply everything else: the Deployment rolls its pods, which do not migrate (QUARKUS_FLYWAY_MIGRATE_AT_START=false).
# The Secret project-pipeline-db must exist (README, "Operate").
set -euo pipefail
overlay="${1:?usage: $0 dev|prod}"
dir="$(cd "$(dirname "$0")" && pwd)/overlays/${overlay}"
ns="$(kubectl kustomize "${dir}" | sed -n 's/^  namespace: //p' | head -n 1)"

kubectl -n "${ns}" delete job project-pipeline-migrate --ignore-not-found --wait=true
kubectl apply -k "${dir}" -l 'app.kubernetes.io/component in (config,migration)'
if ! kubectl -n "${ns}" wait --for=condition=complete job/project-pipeline-migrate --timeout=15m; then
  kubectl -n "${ns}" logs job/project-pipeline-migrate --tail=100 || true
  echo "migration failed: the server was not rolled out" >&2
  exit 1
fi
kubectl apply -k "${dir}" -l 'app.kubernetes.io/component!=migration'
kubectl -n "${ns}" rollout status deployment/project-pipeline --timeout=15m
