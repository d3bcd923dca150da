// Reads a password for `pesquel admin add-user --password-stdin`: the first line of standard input
// when it is piped, or typed at a prompt that does not echo when it is a terminal.
import { spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CliError } from '../cli-error.js';

export async function readSecretInput(prompt: string): Promise<string> {
  const input = process.stdin;
  const tty = input.isTTY === true;
  if (tty) process.stderr.write(prompt);
  const rl = createInterface({ input, terminal: false });
  // On a terminal, typed characters are hidden by turning echo off for the line.
  const muted = tty ? muteEcho() : () => undefined;
  try {
    for await (const line of rl) {
      const pw = line.replace(/\r$/, '');
      if (pw === '') throw new CliError('the password is empty', 2);
      return pw;
    }
    throw new CliError('no password on standard input', 2);
  } finally {
    muted();
    rl.close();
    if (tty) process.stderr.write('\n');
  }
}

/** Turns terminal echo off (stty) and returns how to turn it back on; a no-op where stty is missing. */
function muteEcho(): () => void {
  const stty = (arg: string) => {
    // Without stty the password is echoed, as `read` without -s would.
    spawnSync('stty', [arg], { stdio: ['inherit', 'ignore', 'ignore'] });
  };
  stty('-echo');
  return () => stty('echo');
}
