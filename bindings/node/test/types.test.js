'use strict';
// index.d.ts against the specification's examples (verbatim, in TypeScript)
// and the rest of the API, with `tsc --noEmit`; and a misuse that the
// declarations must reject, so the check is known to be able to fail.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const packageDir = path.resolve(__dirname, '..');
const tsc = path.join(packageDir, 'node_modules', 'typescript', 'bin', 'tsc');

function runTsc(args) {
  return spawnSync(process.execPath, [tsc, ...args], { cwd: packageDir, encoding: 'utf8', timeout: 120000 });
}

test('the specification\'s examples and the API usage type-check', () => {
  const result = runTsc(['--noEmit', '-p', path.join('test', 'types', 'tsconfig.json')]);
  assert.equal(result.status, 0, `tsc failed:\n${result.stdout}\n${result.stderr}`);
});

test('the declarations reject a string scale and a misspelt option', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sgmm-types-'));
  try {
    fs.writeFileSync(path.join(dir, 'misuse.ts'), [
      "import torch from 'sgmm';",
      'const q = torch.randn(2, 3, 4);',
      "torch.nn.functional.scaled_grouped_mm(q, q, '0.5');",
      'torch.randn(2, { requiresGrad: true });',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node10',
        esModuleInterop: true, types: [], baseUrl: '.', paths: { sgmm: [path.join(packageDir, 'index.d.ts')] },
      },
      files: ['misuse.ts'],
    }));
    const result = runTsc(['-p', path.join(dir, 'tsconfig.json')]);
    assert.notEqual(result.status, 0, 'tsc accepted code the declarations must reject');
    assert.match(result.stdout, /misuse\.ts\(3,/);
    assert.match(result.stdout, /misuse\.ts\(4,/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
