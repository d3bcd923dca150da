// parseFlags treats command-specific flags as switches unless written `--name=value`; this lets
// `pesquel migrate --dir db/migrations` (a separate value) work for the flags that take one.
export function joinValueFlags(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = args[i + 1];
    if (names.some((n) => a === `--${n}`) && next !== undefined && !next.startsWith('--')) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}
