'use strict';
// Per-call overhead of the JavaScript binding: the same scaled_grouped_mm
// calls timed from JavaScript and from C++ (bench/overhead.cpp, built here
// on first use), median over repetitions of a batch of calls.
//
//   npm run bench                          (from bindings/node)
//   node bench/overhead.js [b m k n]...    (default: 32 10 64 10 and 16 128 256 128)

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const torch = require('..');

const REPETITIONS = 15;
const TARGET_REPETITION_SECONDS = 0.05;
const packageDir = path.resolve(__dirname, '..');
const buildDir = path.join(packageDir, 'build');
const nativeBench = path.join(buildDir, 'sgmm_overhead_bench');

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function medianMicrosecondsPerCall(fn) {
  let calls = 1;
  for (;;) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; ++i) fn();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (elapsed > TARGET_REPETITION_SECONDS / 4 || calls > 1 << 24) {
      calls = Math.max(1, Math.floor((calls * TARGET_REPETITION_SECONDS) / Math.max(elapsed, 1e-9)));
      break;
    }
    calls *= 2;
  }
  const perCall = [];
  for (let r = 0; r < REPETITIONS; ++r) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; ++i) fn();
    perCall.push(Number(process.hrtime.bigint() - start) / 1e3 / calls);
  }
  return median(perCall);
}

function nativeTimings(shapes) {
  if (!fs.existsSync(nativeBench)) {
    const build = spawnSync('cmake', ['--build', buildDir, '--target', 'sgmm_overhead_bench'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('cannot build the C++ timing program (run npm install first)');
  }
  const result = spawnSync(nativeBench, shapes.flat().map(String), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${nativeBench} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n').map((line) => JSON.parse(line).us_per_call);
}

function main() {
  const args = process.argv.slice(2).map(Number);
  const shapes = [];
  for (let i = 0; i + 3 < args.length; i += 4) shapes.push(args.slice(i, i + 4));
  if (shapes.length === 0) shapes.push([32, 10, 64, 10], [16, 128, 256, 128]);

  const F = torch.nn.functional;
  const cpp = nativeTimings(shapes);
  torch.manual_seed(0);
  const rows = shapes.map(([b, m, k, n], i) => {
    const input = torch.randn(b, m, k);
    const weight = torch.randn(b, k, n);
    const js = medianMicrosecondsPerCall(() => F.scaled_grouped_mm(input, weight, 0.125));
    const gflops = (2 * b * m * k * n) / (js * 1e3);
    return { shape: `${b}x${m}x${k}x${n}`, cpp_us: cpp[i], js_us: js, overhead_us: js - cpp[i], js_gflops: gflops };
  });
  const tensor = torch.randn(2, 2);
  const crossing = medianMicrosecondsPerCall(() => tensor.numel());
  const wrap = medianMicrosecondsPerCall(() => tensor.transpose(0, 1));

  console.log(`threads: ${torch.get_num_threads()}, kernel: ${torch.runtime_info().kernel}`);
  console.log('shape (b x m x k x n)   C++ us/call   JS us/call   overhead us   JS GFLOP/s');
  for (const row of rows) {
    console.log(`${row.shape.padEnd(22)}  ${row.cpp_us.toFixed(2).padStart(11)}  ${row.js_us.toFixed(2).padStart(11)}  ` +
      `${row.overhead_us.toFixed(2).padStart(12)}  ${row.js_gflops.toFixed(1).padStart(11)}`);
  }
  console.log(`a bare call into the addon (tensor.numel()): ${crossing.toFixed(3)} us`);
  console.log(`a call returning a new Tensor object (tensor.transpose(0, 1)): ${wrap.toFixed(3)} us`);
}

main();
