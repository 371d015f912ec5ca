import { stringify } from 'yaml';

/**
 * A small evaluator for the part of Helm's template language our chart uses — `helm` itself is not
 * needed to check the chart in CI: `{{ .Values.a.b }}`, `.Release.Name`, `.Chart.Name`, `$.Values…`,
 * variables from `range $x := …` / `range $k, $v := …`, `if` / `if not` / `end`, and the pipes
 * `quote`, `toYaml` and `nindent N`; `{{-` and `-}}` trim whitespace as in Go templates.
 * Anything else is an error, so a template using more fails this check instead of passing unseen.
 */
export function renderHelm(template: string, root: Record<string, unknown>): string {
  const parts: Array<{ text: string } | { action: string }> = [];
  const re = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
  let last = 0;
  let trimNext = false;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    parts.push({ text }, { action: m[2]! });
    trimNext = m[3] === '-';
    last = m.index + m[0].length;
  }
  let tail = template.slice(last);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  parts.push({ text: tail });

  let i = 0;
  const block = (scope: Record<string, unknown>, live = true): string => {
    let out = '';
    while (i < parts.length) {
      const p = parts[i++]!;
      if ('text' in p) {
        out += p.text;
        continue;
      }
      const a = p.action;
      if (a === 'end' || a === 'else') {
        i--;
        return out;
      }
      const cond = /^if (not )?(.+)$/.exec(a);
      const loop = /^range (\$\w+)(?:, (\$\w+))? := (.+)$/.exec(a);
      if (cond) {
        const truthy = live && Boolean(value(cond[2]!, scope)) !== Boolean(cond[1]);
        const body = block(scope, live && truthy);
        let alt = '';
        if ((parts[i] as { action?: string }).action === 'else') {
          i++;
          alt = block(scope, live && !truthy);
        }
        expectEnd();
        out += truthy ? body : alt;
      } else if (loop) {
        const items = live ? value(loop[3]!, scope) : [];
        const start = i;
        const entries: Array<[unknown, unknown]> = Array.isArray(items)
          ? items.map((v, k) => [k, v])
          : Object.entries((items ?? {}) as object);
        let body = '';
        if (!entries.length) block(scope, false);
        for (const [k, v] of entries) {
          i = start;
          body += block({ ...scope, ...(loop[2] ? { [loop[1]!]: k, [loop[2]]: v } : { [loop[1]!]: v }) });
        }
        expectEnd();
        out += body;
      } else if (live) {
        out += pipeline(a, scope);
      }
    }
    return out;
  };
  const expectEnd = () => {
    const p = parts[i++] as { action?: string } | undefined;
    if (p?.action !== 'end') throw new Error('unbalanced {{ end }}');
  };
  const value = (expr: string, scope: Record<string, unknown>): unknown => {
    const m = /^(\$\w*|)(\.[\w.]+)?$/.exec(expr.trim());
    if (!m) throw new Error(`unsupported expression: ${expr}`);
    let v: unknown = m[1] && m[1] !== '$' ? scope[m[1]] : root;
    for (const key of (m[2] ?? '').split('.').filter(Boolean))
      v = (v as Record<string, unknown> | undefined)?.[key];
    return v;
  };
  const pipeline = (action: string, scope: Record<string, unknown>): string => {
    const [head, ...pipes] = action.split('|').map((s) => s.trim());
    let v: unknown;
    const fn = /^toYaml (.+)$/.exec(head!);
    v = fn ? stringify(value(fn[1]!, scope)).trimEnd() : value(head!, scope);
    for (const pipe of pipes) {
      const indent = /^nindent (\d+)$/.exec(pipe);
      if (pipe === 'quote') v = JSON.stringify(String(v ?? ''));
      else if (indent)
        v = `\n${String(v)
          .split('\n')
          .map((l) => ' '.repeat(Number(indent[1])) + l)
          .join('\n')}`;
      else throw new Error(`unsupported pipe: ${pipe}`);
    }
    if (v === undefined) throw new Error(`no value for {{ ${action} }}`);
    return String(v);
  };
  const out = block({});
  if (i < parts.length) throw new Error('unexpected {{ end }}');
  return out;
}
