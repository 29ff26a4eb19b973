#!/usr/bin/env bash
# Makes sure `kcat` (the Kafka producer/consumer CLI on librdkafka, Debian package `kcat`) and `jq` are on
# PATH, for the README's "Producing to fapiao from other languages" example and the e2e test that runs it
# (apps/e2e/src/asyncapi-producer.e2e-spec.ts). Installs Debian's packages that are missing when we are
# root; otherwise says why in one line and exits 1. Idempotent: does nothing when both are there.
set -euo pipefail

say() { echo "ensure-kcat: $*" >&2; }

missing=()
for tool in kcat jq; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [[ ${#missing[@]} == 0 ]]; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  say "${missing[*]} not installed and only root can install: run 'sudo apt-get install ${missing[*]}' (or 'brew install ${missing[*]}')"
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  say "${missing[*]} not installed and this machine has no apt-get: install with your package manager"
  exit 1
fi
say "installing Debian's ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
for tool in "${missing[@]}"; do
  command -v "$tool" >/dev/null || { say "apt-get installed $tool but it is not on PATH"; exit 1; }
done
