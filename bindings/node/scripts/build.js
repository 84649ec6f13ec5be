#!/usr/bin/env node
'use strict';
// Builds the native addon (build/sgmm.node) and the C++ library it links,
// with CMake against the headers of the Node that runs this script. Nothing
// is downloaded: node-addon-api comes from npm, the Node-API headers from the
// local Node installation (/usr/include/node on Debian).
//
// Environment:
//   SGMM_NODE_BUILD_TYPE   CMake build type (default Release)
//   SGMM_NODE_JOBS         parallel compile jobs (default: number of cores)
//   SGMM_NODE_CMAKE_ARGS   extra arguments for the configure step

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const packageDir = path.resolve(__dirname, '..');
const buildDir = path.join(packageDir, 'build');

function findNodeIncludeDir() {
  const candidates = [
    process.env.SGMM_NODE_INCLUDE_DIR,
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'node_api.h'))) return dir;
  }
  throw new Error(
    `sgmm: cannot find node_api.h (looked in ${candidates.join(', ')}); ` +
      'install the Node.js development headers (Debian: apt-get install libnode-dev) ' +
      'or set SGMM_NODE_INCLUDE_DIR');
}

function findNodeAddonApiDir() {
  return path.dirname(require.resolve('node-addon-api/package.json', { paths: [packageDir] }));
}

function run(command, args) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error) throw new Error(`sgmm: cannot run ${command}: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);
}

function main() {
  const buildType = process.env.SGMM_NODE_BUILD_TYPE || 'Release';
  const jobs = process.env.SGMM_NODE_JOBS || String(os.availableParallelism ? os.availableParallelism() : os.cpus().length);
  const extraArgs = (process.env.SGMM_NODE_CMAKE_ARGS || '').split(/\s+/).filter(Boolean);
  run('cmake', [
    '-S', packageDir,
    '-B', buildDir,
    `-DCMAKE_BUILD_TYPE=${buildType}`,
    `-DNODE_INCLUDE_DIR=${findNodeIncludeDir()}`,
    `-DNODE_ADDON_API_DIR=${findNodeAddonApiDir()}`,
    ...extraArgs,
  ]);
  run('cmake', ['--build', buildDir, '--target', 'sgmm_node', '-j', jobs]);
}

try {
  main();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
