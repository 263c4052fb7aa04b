#!/usr/bin/env bash
# Make a self-signed certificate for nginx in deploy/certs (replace with a real one in production).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p certs
name="${1:-localhost}"
openssl req -x509 -newkey rsa:2048 -nodes -days 365 \
  -keyout certs/invsim.key -out certs/invsim.crt -subj "/CN=${name}" \
  -addext "subjectAltName=DNS:${name}"
chmod 600 certs/invsim.key
echo "wrote deploy/certs/invsim.crt and invsim.key for ${name}"
