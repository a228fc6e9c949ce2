import fs from 'node:fs';
import path from 'node:path';
import { toolCacheDir } from './paths';
import { run, which } from './process';
import { note } from './step';

/**
 * The contract checks that come from PyPI, pinned: an OpenAPI validator and the Schemathesis
 * fuzzer. Changing a version here makes a new virtual environment beside the old one.
 */
export const PYTHON_TOOLS = {
  'openapi-spec-validator': '0.9.0',
  schemathesis: '4.32.5',
} as const;

export interface PythonTools {
  /** The virtual environment's interpreter; run the tools as modules with it. */
  python: string;
  /** `python -m <module>` arguments of each tool. */
  openapiSpecValidator: string[];
  schemathesis: string[];
}

function tools(python: string): PythonTools {
  return {
    python,
    openapiSpecValidator: ['-m', 'openapi_spec_validator'],
    schemathesis: ['-m', 'schemathesis.cli'],
  };
}

/**
 * Finds the contract tools, in this order: PYTHON_TOOLS_VENV (a virtual environment that has
 * them) → the per-machine cache → a new virtual environment there, installed with pip from
 * PyPI (once per machine and set of versions; later runs and other clones reuse it).
 */
export async function ensurePythonTools(): Promise<PythonTools> {
  const configured = process.env.PYTHON_TOOLS_VENV;
  if (configured) {
    const python = path.join(configured, 'bin', 'python');
    if (!fs.existsSync(python)) {
      throw new Error(`PYTHON_TOOLS_VENV points at ${configured}, which has no bin/python`);
    }
    note(`using PYTHON_TOOLS_VENV=${configured}`);
    return tools(python);
  }
  const key = Object.entries(PYTHON_TOOLS)
    .map(([name, version]) => `${name}-${version}`)
    .join('_');
  const home = path.join(toolCacheDir(), `python-tools_${key}`);
  const python = path.join(home, 'bin', 'python');
  if (fs.existsSync(python)) {
    note(`cached: ${home}`);
    return tools(python);
  }
  const python3 = which('python3');
  if (!python3) {
    throw new Error(
      'The contract tests need Python 3.9+ (python3 with the venv module) to install ' +
        `${Object.keys(PYTHON_TOOLS).join(' and ')} from PyPI, or PYTHON_TOOLS_VENV set to a ` +
        'virtual environment that has them.',
    );
  }
  note(`installing ${key.replace(/_/g, ', ')} from PyPI into a virtual environment (once)`);
  // Built aside and renamed into place, so an interrupted or concurrent install never leaves
  // a half environment. The tools run as `python -m`, which works after the move (the
  // console scripts' first lines would still name the staging folder).
  const staging = `${home}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  await run(python3, ['-m', 'venv', staging]);
  await run(path.join(staging, 'bin', 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    ...Object.entries(PYTHON_TOOLS).map(([name, version]) => `${name}==${version}`),
  ]);
  try {
    fs.renameSync(staging, home);
  } catch (error) {
    // Another run finished first: use its environment.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(python)) throw error;
  }
  note(`ready: ${home}`);
  return tools(python);
}
