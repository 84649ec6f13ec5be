'use strict';
// A loop of one million small calls keeps resident memory flat: every
// Tensor the loop makes is freed when garbage-collected. The loops run in a
// child process started with --expose-gc (test/memory_loop.js describes them).

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

// Allowed growth of resident memory over each loop, after its warm-up: far
// below what leaking one small tensor per call would cost (a tensor's
// storage, impl and wrapper are >= 200 bytes: >= 190 MB over the 950,000
// measured synchronous calls; the view loop makes two tensors and a typed
// array per iteration, >= 75 MB over its 150,000). The view loop's bound is
// looser: V8 keeps growing its heap for the typed arrays for a while.
const ALLOWED_GROWTH_MB = { sync: 32, views: 32 };

const MB = 1 << 20;

test('a loop of one million small calls keeps resident memory flat', () => {
  const child = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'memory_loop.js')], {
    encoding: 'utf8',
    timeout: 180000,
  });
  assert.equal(child.status, 0, `memory loop failed:\n${child.stdout}\n${child.stderr}`);
  const report = JSON.parse(child.stdout.trim().split('\n').pop());
  for (const [name, loop] of Object.entries(report)) {
    const growthMB = (loop.rssAfter - loop.rssWarm) / MB;
    test.diagnostic?.(`${name}: ${loop.calls} calls in ${loop.seconds.toFixed(1)} s, resident memory ` +
      `${(loop.rssWarm / MB).toFixed(1)} MB after warm-up, ${(loop.rssAfter / MB).toFixed(1)} MB at the end`);
    assert.ok(growthMB < ALLOWED_GROWTH_MB[name],
      `${name}: resident memory grew by ${growthMB.toFixed(1)} MB over ${loop.calls} calls ` +
        `(allowed ${ALLOWED_GROWTH_MB[name]} MB)`);
  }
});
