import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProgramToExit, startProgram } from './program.js';

const dir = mkdtempSync(join(tmpdir(), 'trainbook-host-'));
const script = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const env = { PATH: process.env.PATH };

describe('startProgram', () => {
  it('resolves on the ready line with its match, and stop() ends the program', async () => {
    const entry = script(
      'server.mjs',
      `process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
       console.error('warming up'); console.log('listening on http://127.0.0.1:' + process.env.PORT + '/trpc');
       setInterval(() => {}, 1000);`,
    );
    const program = await startProgram({
      entry,
      cwd: dir,
      env: { ...env, PORT: '4321' },
      tsx: false,
      ready: /listening on (http:\/\/\S+)/,
    });
    expect(program.ready[1]).toBe('http://127.0.0.1:4321/trpc');
    expect(program.output()).toContain('warming up');
    expect(await program.stop()).toBe(0);
    expect(program.output()).toContain('bye');
    expect(await program.stop()).toBe(0); // a second stop just waits
  });

  it('rejects with the output when the program exits before it is ready', async () => {
    const entry = script('fails.mjs', `console.error('PORT: expected a number'); process.exit(2);`);
    await expect(
      startProgram({ entry, cwd: dir, env, tsx: false, ready: /listening/ }),
    ).rejects.toThrow(/exited with 2:\nPORT: expected a number/);
  });
});

describe('runProgramToExit', () => {
  it('gives the exit code and everything printed', async () => {
    const entry = script(
      'args.mjs',
      `console.log(process.argv.slice(2).join(',')); process.exit(3);`,
    );
    expect(await runProgramToExit({ entry, args: ['a', 'b'], cwd: dir, env, tsx: false })).toEqual({
      code: 3,
      output: 'a,b\n',
    });
  });
});
