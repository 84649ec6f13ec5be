'use strict';
// The loops memory.test.js measures (run with --expose-gc), each sampling
// resident memory after a warm-up and at the end, after full collections:
//
// 1. synchronous: one million scaled_grouped_mm calls on small tensors, with
//    views, reductions and failing calls mixed in. Tensor objects are freed
//    inside garbage collection, so this stays flat without ever yielding.
// 2. yielding every 1000 iterations: toArray() and from() views. Node runs
//    the finalizers of external ArrayBuffers on the event loop, so their
//    memory comes back when the loop turns, as in any real program.

const torch = require('..');

const F = torch.nn.functional;
const SYNC_CALLS = 1000000;
const SYNC_WARM_UP = 50000;
const YIELDING_CALLS = 200000;
const YIELDING_WARM_UP = 50000;

function collect() {
  global.gc();
  global.gc();
}

const turnOfEventLoop = () => new Promise((resolve) => setImmediate(resolve));

const input = torch.randn(2, 3, 4);
const weight = torch.randn(2, 4, 5);

function synchronousIteration(i) {
  const out = F.scaled_grouped_mm(input, weight, 0.5);
  if (i % 16 === 0) out.transpose(1, 2).sum();
  if (i % 256 === 0) {
    try {
      F.scaled_grouped_mm(input, input, 0.5);
    } catch {
      // The shape error is expected; the point is that it leaks nothing.
    }
  }
}

function viewIteration(i) {
  F.scaled_grouped_mm(input, weight, 0.5).transpose(1, 2).toArray();
  if (i % 4 === 0) torch.from(new Float32Array(8), [2, 4]).mul(2);
}

async function main() {
  let started = process.hrtime.bigint();
  for (let i = 0; i < SYNC_WARM_UP; ++i) synchronousIteration(i);
  collect();
  const syncWarm = process.memoryUsage().rss;
  for (let i = SYNC_WARM_UP; i < SYNC_CALLS; ++i) synchronousIteration(i);
  collect();
  const syncAfter = process.memoryUsage().rss;
  const syncSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  started = process.hrtime.bigint();
  for (let i = 0; i < YIELDING_WARM_UP; ++i) {
    viewIteration(i);
    if (i % 1000 === 999) await turnOfEventLoop();
  }
  collect();
  await turnOfEventLoop();
  collect();
  const viewsWarm = process.memoryUsage().rss;
  for (let i = YIELDING_WARM_UP; i < YIELDING_CALLS; ++i) {
    viewIteration(i);
    if (i % 1000 === 999) await turnOfEventLoop();
  }
  collect();
  await turnOfEventLoop();
  collect();
  const viewsAfter = process.memoryUsage().rss;
  const viewsSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  console.log(JSON.stringify({
    sync: { calls: SYNC_CALLS, rssWarm: syncWarm, rssAfter: syncAfter, seconds: syncSeconds },
    views: { calls: YIELDING_CALLS, rssWarm: viewsWarm, rssAfter: viewsAfter, seconds: viewsSeconds },
  }));
}

main();
