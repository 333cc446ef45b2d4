// Maven's entry point (console/pom.xml): installs the locked packages when package-lock.json
// changed since the last install, type-checks, bundles with Vite into the given directory and
// writes files.txt there, the list the server loads the assets from (a jar cannot be listed).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 18) {
  console.error(`sundial-console: Node ${process.versions.node} is too old to build the web console; install Node 18 or newer (20 is tested)`);
  process.exit(1);
}
const outDir = process.argv[2] && resolve(process.argv[2]);
if (!outDir) {
  console.error('usage: node build.mjs <output directory>');
  process.exit(2);
}

function run(command, args, quietStdout = false) {
  const result = spawnSync(command, args, { stdio: ['inherit', quietStdout ? 'ignore' : 'inherit', 'inherit'] });
  if (result.error) {
    console.error(`sundial-console: cannot run ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    console.error(`sundial-console: '${command} ${args.join(' ')}' failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

process.chdir(dirname(fileURLToPath(import.meta.url)));

const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const stamp = join('node_modules', '.sundial-lock-sha256');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  // --loglevel=error: the build must stay quiet under mvn -q (machine-wide npmrc may carry warnings).
  run('npm', ['ci', '--loglevel=error', '--no-audit', '--no-fund'], true);
  writeFileSync(stamp, lockHash);
}
run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit']);
run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir']);

function list(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? list(path) : [path];
  });
}
const files = list(outDir).map((path) => relative(outDir, path).split('\\').join('/')).filter((p) => p !== 'files.txt').sort();
writeFileSync(join(outDir, 'files.txt'), files.join('\n') + '\n');
