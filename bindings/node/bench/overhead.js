'use strict';
// Per-call overhead of the JavaScript binding: the same scaled_grouped_mm
// calls timed from JavaScript and from C++ (bench/overhead.cpp, built here
// on first use), as the median and the fastest of repetitions of a batch of
// calls in wall time, and the median in process CPU time, which a busy
// machine disturbs least (with SGMM_NUM_THREADS=1 it is the work itself).
//
//   npm run bench                          (from bindings/node)
//   node bench/overhead.js [b m k n]...    (default: 32 10 64 10 and 16 128 256 128)
//   SGMM_NUM_THREADS=1 node bench/overhead.js    (both sides single-threaded)

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

function microsecondsPerCall(fn) {
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
  const cpuPerCall = [];
  for (let r = 0; r < REPETITIONS; ++r) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    for (let i = 0; i < calls; ++i) fn();
    const cpu = process.cpuUsage(cpuStart);
    perCall.push(Number(process.hrtime.bigint() - start) / 1e3 / calls);
    cpuPerCall.push((cpu.user + cpu.system) / calls);
  }
  return { median: median(perCall), min: Math.min(...perCall), cpu: median(cpuPerCall) };
}

function nativeTimings(shapes) {
  if (!fs.existsSync(nativeBench)) {
    const build = spawnSync('cmake', ['--build', buildDir, '--target', 'sgmm_overhead_bench'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('cannot build the C++ timing program (run npm install first)');
  }
  const result = spawnSync(nativeBench, shapes.flat().map(String), { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${nativeBench} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n').map((line) => {
    const timing = JSON.parse(line);
    return { median: timing.us_per_call, min: timing.us_per_call_min, cpu: timing.cpu_us_per_call };
  });
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
    const js = microsecondsPerCall(() => F.scaled_grouped_mm(input, weight, 0.125));
    // The same call writing into one reused output, as the C++ loop's
    // freed-and-reallocated output effectively is: a new output per call
    // stays allocated until garbage collection, so each call touches fresh
    // pages, a cost of JavaScript's memory model rather than of the binding.
    const out = torch.empty(b, m, n);
    const jsOut = microsecondsPerCall(() => F.scaled_grouped_mm(input, weight, { scale: 0.125, out }));
    return [
      { shape: `${b}x${m}x${k}x${n}`, cpp: cpp[i], js },
      { shape: `  same, out reused`, cpp: cpp[i], js: jsOut },
    ];
  }).flat();
  const tensor = torch.randn(2, 2);
  const crossing = microsecondsPerCall(() => tensor.numel());
  const wrap = microsecondsPerCall(() => tensor.transpose(0, 1));

  const cell = (value) => value.toFixed(2).padStart(9);
  console.log(`threads: ${torch.get_num_threads()}, kernel: ${torch.runtime_info().kernel}, ` +
    `load average: ${require('node:os').loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('                      ---- median us/call -----  ---- fastest us/call ----  --- CPU us/call (median) --');
  console.log('shape (b x m x k x n)      C++       JS  overhead       C++       JS  overhead       C++       JS  overhead');
  for (const { shape, cpp: c, js } of rows) {
    console.log(`${shape.padEnd(18)}${cell(c.median)}${cell(js.median)}${cell(js.median - c.median)} ` +
      `${cell(c.min)}${cell(js.min)}${cell(js.min - c.min)} ${cell(c.cpu)}${cell(js.cpu)}${cell(js.cpu - c.cpu)}`);
  }
  console.log(`a bare call into the addon (tensor.numel()): ${crossing.median.toFixed(3)} us median, ` +
    `${crossing.min.toFixed(3)} us fastest`);
  console.log(`a call returning a new Tensor object (tensor.transpose(0, 1)): ${wrap.median.toFixed(3)} us median, ` +
    `${wrap.min.toFixed(3)} us fastest`);
}

main();
