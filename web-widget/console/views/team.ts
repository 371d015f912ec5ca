import { el } from '../../src/dom.ts';
import type { ConsoleApi } from '../api.ts';

interface AgentRow {
  id: string;
  email: string;
  displayName: string;
  role: string;
  removedAt: string | null;
}

/** Admins add and remove accounts. */
export async function renderTeam(
  root: HTMLElement,
  api: ConsoleApi,
  me: string,
  say: (m: string) => void,
): Promise<void> {
  const { agents } = await api.get<{ agents: AgentRow[] }>('/agents');
  const field = (name: string, label: string, type = 'text') =>
    el('label', {}, [
      document.createTextNode(`${label} `),
      el('input', { attrs: { name, type, required: '' } }),
    ]);
  const role = el(
    'select',
    { attrs: { name: 'role' } },
    ['agent', 'admin', 'operator'].map((r) => el('option', { text: r, attrs: { value: r } })),
  );
  const form = el('form', { class: 'add-agent' }, [
    field('displayName', 'Name'),
    field('email', 'Email', 'email'),
    field('password', 'Password (12+)', 'password'),
    role,
    el('button', { text: 'Add', attrs: { type: 'submit' } }),
  ]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    api.post('/agents', data).then(
      () => void renderTeam(root, api, me, say),
      (err: Error) => say(err.message),
    );
  });
  root.replaceChildren(
    el('h2', { text: 'Team' }),
    el(
      'ul',
      { class: 'team' },
      agents
        .filter((a) => !a.removedAt)
        .map((a) => {
          const remove = el('button', { text: 'Remove', attrs: { type: 'button' } });
          remove.addEventListener('click', () => {
            api.post(`/agents/${a.id}/remove`).then(
              () => void renderTeam(root, api, me, say),
              (err: Error) => say(err.message),
            );
          });
          return el('li', {}, [
            el('span', { text: `${a.displayName} <${a.email}> · ${a.role}` }),
            a.id === me ? undefined : remove,
          ]);
        }),
    ),
    form,
  );
}
