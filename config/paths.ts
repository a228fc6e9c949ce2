import fs from 'node:fs';
import path from 'node:path';

/**
 * The directory holding the project's package.json: the source tree when run with tsx, and
 * still the same directory when run from the compiled build (dist/app/…), so files outside
 * the code — the portal's build, the SQL migrations — are found either way.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export const projectRoot = findProjectRoot(__dirname);
