#!/usr/bin/env bash
# Regenerates the committed ABI and bytecode artifacts in artifacts/ from the
# Solidity sources in src/, with a pinned solc from npm (installed into build/,
# which git ignores). Run it after changing a contract, then commit artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
SOLC_VERSION=0.8.28
if [ "$(node -p "try{require('./build/node_modules/solc/package.json').version}catch(e){''}")" != "$SOLC_VERSION" ]; then
	npm install --silent --no-audit --no-fund --prefix build "solc@$SOLC_VERSION"
fi
mkdir -p artifacts
node build/compile.js src artifacts
