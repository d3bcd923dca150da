// The SQL editor: a textarea over a highlighted copy of its text (same font and metrics, so the
// colours line up), with completion of table and column names and Ctrl/⌘+Enter to run.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Tokens } from './highlighted';
import { currentWord, suggestions, type NameInfo } from './completion';

interface Props {
  value: string;
  onChange: (v: string) => void;
  onRun: () => void;
  names: NameInfo[];
  /** 0-based offset of an error to mark. */
  errorAt: number | null;
}

const lineHeight = 20;
const pad = 8;
let charWidth = 0;
function measure(): number {
  if (charWidth) return charWidth;
  const ctx = document.createElement('canvas').getContext('2d');
  if (ctx) ctx.font = '13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
  charWidth = ctx?.measureText('M'.repeat(100)).width ? ctx.measureText('M'.repeat(100)).width / 100 : 7.8;
  return charWidth;
}

export function SqlEditor({ value, onChange, onRun, names, errorAt }: Props) {
  const ta = useRef<HTMLTextAreaElement>(null);
  const hl = useRef<HTMLPreElement>(null);
  const [items, setItems] = useState<string[]>([]);
  const [pick, setPick] = useState(0);
  const [at, setAt] = useState({ top: 0, left: 0 });

  useEffect(() => { measure(); }, []);
  const sync = () => {
    if (hl.current && ta.current) {
      hl.current.scrollTop = ta.current.scrollTop;
      hl.current.scrollLeft = ta.current.scrollLeft;
    }
  };
  const complete = (text: string, caret: number) => {
    const next = suggestions(text, caret, names);
    setItems(next);
    setPick(0);
    if (next.length > 0 && ta.current) {
      const lines = text.slice(0, caret).split('\n');
      const col = lines[lines.length - 1]!.length - currentWord(text, caret).word.length;
      setAt({ top: lines.length * lineHeight + pad - ta.current.scrollTop, left: col * measure() + pad - ta.current.scrollLeft });
    }
  };
  const accept = (item: string) => {
    const el = ta.current;
    if (!el) return;
    const caret = el.selectionStart;
    const { start } = currentWord(value, caret);
    const text = value.slice(0, start) + item + value.slice(caret);
    // The text and caret change now, not after the next render: keys typed meanwhile land after the
    // completed word (a caret moved in a later frame put them in the middle of it).
    el.value = text;
    el.selectionStart = el.selectionEnd = start + item.length;
    el.focus();
    onChange(text);
    setItems([]);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      setItems([]);
      onRun();
      return;
    }
    if (items.length > 0) {
      if (e.key === 'ArrowDown') { e.preventDefault(); setPick((pick + 1) % items.length); return; }
      if (e.key === 'ArrowUp') { e.preventDefault(); setPick((pick - 1 + items.length) % items.length); return; }
      if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); accept(items[pick]!); return; }
      if (e.key === 'Escape') { e.preventDefault(); setItems([]); return; }
    }
    if (e.key === 'Tab' && !e.shiftKey) {
      e.preventDefault();
      const el = e.currentTarget as HTMLTextAreaElement;
      const s = el.selectionStart;
      const text = value.slice(0, s) + '  ' + value.slice(el.selectionEnd);
      el.value = text;
      el.selectionStart = el.selectionEnd = s + 2;
      onChange(text);
    }
  };
  return (
    <div class="editor">
      <pre class="editor-hl" ref={hl} aria-hidden="true"><code><Tokens sql={value + '\n'} errorAt={errorAt} /></code></pre>
      <textarea
        ref={ta} class="editor-input" spellcheck={false} aria-label="SQL" value={value}
        onInput={(e) => { const el = e.currentTarget; onChange(el.value); complete(el.value, el.selectionStart); }}
        onKeyDown={onKeyDown} onScroll={sync} onBlur={() => setTimeout(() => setItems([]), 150)}
      />
      {items.length > 0 && (
        <ul class="completion" role="listbox" style={{ top: `${at.top}px`, left: `${at.left}px` }}>
          {items.map((it, i) => (
            <li key={it} role="option" aria-selected={i === pick} class={i === pick ? 'active' : ''} onMouseDown={(e) => { e.preventDefault(); accept(it); }}>{it}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
