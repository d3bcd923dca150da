// One function or procedure: signature, result, language, volatility and its full definition.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { ErrorBox, errorOf } from '../ui/widgets';
import { HighlightedSql } from '../sql/highlighted';

type Fn = Record<string, string | null>;
const volatility: Record<string, string> = { i: 'IMMUTABLE', s: 'STABLE', v: 'VOLATILE' };

export function FunctionView({ oid }: { oid: string }) {
  const [fn, setFn] = useState<Fn | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { get<Fn>(`/api/catalog/function?oid=${oid}`).then(setFn, setError); }, [oid]);
  if (error) return <ErrorBox error={errorOf(error)} />;
  if (!fn) return <p class="muted">Loading…</p>;
  return (
    <section>
      <h2>{fn.schema}.{fn.name}({fn.arguments})</h2>
      <p class="muted">returns {fn.result} · {fn.language} · {volatility[fn.volatility ?? ''] ?? ''}{fn.security_definer === 't' ? ' · SECURITY DEFINER' : ''} · owner {fn.owner}</p>
      {fn.comment && <p>{fn.comment}</p>}
      <HighlightedSql sql={fn.ddl ?? ''} />
    </section>
  );
}
