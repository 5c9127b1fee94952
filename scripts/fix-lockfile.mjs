// npm here leaves other platforms' optional packages out of the lockfile (its registry has only this
// platform's), and `npm ci` then refuses the lock (npm/cli#8320). Add skeleton entries for them:
// npm ci skips a platform-mismatched optional package without fetching it.
import { readFileSync, writeFileSync } from 'node:fs';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
const platform = (name) => {
  const m = /-(android|darwin|linux|win32|freebsd)-(arm64|x64|arm|ia32)(-(musl|gnu|msvc))?$/.exec(name);
  if (!m) return null;
  return {
    os: [m[1]],
    cpu: [m[2]],
    ...(m[4] === 'musl' ? { libc: ['musl'] } : m[1] === 'linux' ? { libc: ['glibc'] } : {}),
  };
};
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (pkgs[`node_modules/${dep}`] || pkgs[`${path}/node_modules/${dep}`]) continue;
    const p = platform(dep);
    if (!p) throw new Error(`no platform in ${dep}`);
    pkgs[`node_modules/${dep}`] = {
      version,
      cpu: p.cpu,
      optional: true,
      os: p.os,
      ...(p.libc ? { libc: p.libc } : {}),
    };
    added++;
  }
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} entries`);
