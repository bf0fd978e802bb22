// compile.js SRC OUT: compiles every SRC/*.sol with solc's standard JSON
// interface and writes OUT/<Contract>.abi and OUT/<Contract>.bin (and
// Multicall3.runtime, its deployed code).
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const [src, out] = process.argv.slice(2);
const sources = {};
for (const f of fs.readdirSync(src).filter((f) => f.endsWith('.sol')).sort()) {
  sources[f] = { content: fs.readFileSync(path.join(src, f), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 1000 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
let failed = false;
for (const e of output.errors || []) {
  console.error(e.formattedMessage);
  if (e.severity === 'error') failed = true;
}
if (failed) process.exit(1);
for (const file of Object.keys(output.contracts)) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    if (!c.evm.bytecode.object) continue; // interfaces
    fs.writeFileSync(path.join(out, name + '.abi'), JSON.stringify(c.abi, null, 1) + '\n');
    fs.writeFileSync(path.join(out, name + '.bin'), c.evm.bytecode.object + '\n');
    if (name === 'Multicall3') {
      // the dev chain puts Multicall3 at its canonical address in the genesis
      fs.writeFileSync(path.join(out, name + '.runtime'), c.evm.deployedBytecode.object + '\n');
    }
  }
}
